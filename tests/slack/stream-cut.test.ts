import { describe, expect, it } from 'vitest';
import { streamCut } from '../../src/slack/stream-cut.js';

describe('streamCut', () => {
  it('cuts before the last ## section heading within the limit', () => {
    const text = 'intro\n\n## API\nendpoints\n\n## Schema\ntables\n## Late\n';
    const cut = streamCut(text, 0, text.indexOf('## Late') - 1);
    expect(text.slice(cut)).toMatch(/^## Schema/);
  });

  it('prefers a section heading to a later paragraph break', () => {
    const text = 'intro\n## API\nline one\n\nline two\nline three';
    expect(text.slice(streamCut(text, 0, 100))).toMatch(/^## API/);
  });

  it('cuts at a paragraph break when there is no section heading', () => {
    const text = 'first paragraph\nstill first\n\nsecond paragraph\nmore';
    const cut = streamCut(text, 0, 100) ?? -1;
    expect(text.slice(0, cut).trimEnd()).toBe('first paragraph\nstill first');
    expect(text.slice(cut).trimStart()).toMatch(/^second paragraph/);
  });

  it('never cuts inside a code fence, even at a blank line or a heading-like line', () => {
    const text = 'intro\n```sql\nSELECT 1;\n\n## not a heading\nSELECT 2;\n```\nafter';
    expect(streamCut(text, 0, 100)).toBeUndefined();
  });

  it('finds nothing before `from`: text already shown stays in its message', () => {
    const text = '## A\nx\n\n## B\ny\nz';
    expect(streamCut(text, text.indexOf('y'), 100)).toBeUndefined();
  });

  it('finds nothing beyond the limit', () => {
    const text = 'a long first paragraph\nwithout breaks\n\n## Late';
    expect(streamCut(text, 0, 10)).toBeUndefined();
  });

  it('when forced, cuts at the last line break, then at the limit itself', () => {
    const fenced = '```\nline 1\nline 2\nline 3\n';
    expect(fenced.slice(0, streamCut(fenced, 0, 14, true))).toBe('```\nline 1\n');
    const oneLine = 'x'.repeat(50);
    expect(streamCut(oneLine, 0, 20, true)).toBe(20);
  });
});
