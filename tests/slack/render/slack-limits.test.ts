import { describe, expect, it } from 'vitest';
import { findLimitViolations } from '../../../src/slack/render/slack-limits.js';
import type { KnownBlock } from '../../../src/slack/render/slack-message-payload.js';

const markdown = (text: string): KnownBlock => ({ type: 'markdown', text });
const header = (text: string): KnownBlock => ({ type: 'header', text: { type: 'plain_text', text } });

describe('findLimitViolations', () => {
  it('finds nothing wrong with a message at every limit', () => {
    const blocks = [header('h'.repeat(150)), markdown('m'.repeat(6_000)), markdown('m'.repeat(6_000))];

    expect(
      findLimitViolations({ text: 'Summary', blocks: [...blocks, ...Array(47).fill(header('x'))] }),
    ).toEqual([]);
  });

  it('reports more than 50 blocks', () => {
    const violations = findLimitViolations({ text: 'Summary', blocks: Array(51).fill(markdown('x')) });

    expect(violations).toEqual(['51 blocks; Slack allows 50']);
  });

  it('reports markdown blocks that together exceed 12,000 characters', () => {
    const violations = findLimitViolations({
      text: 'Summary',
      blocks: [markdown('a'.repeat(6_001)), markdown('b'.repeat(6_000))],
    });

    expect(violations).toEqual(['markdown blocks total 12001 chars; Slack allows 12000']);
  });

  it('reports a single markdown block over 12,000 characters', () => {
    const violations = findLimitViolations({ text: 'Summary', blocks: [markdown('a'.repeat(12_001))] });

    expect(violations).toContain('block 0: markdown text is 12001 chars; Slack allows 12000');
  });

  it('reports a header over 150 characters', () => {
    const violations = findLimitViolations({
      text: 'Summary',
      blocks: [header('h'.repeat(151)), markdown('body')],
    });

    expect(violations).toEqual(['block 0: header text is 151 chars; Slack allows 150']);
  });

  it('reports empty header and markdown text', () => {
    const violations = findLimitViolations({ text: 'Summary', blocks: [header(' '), markdown('\n\n')] });

    expect(violations).toEqual(['block 0: header text is empty', 'block 1: markdown text is empty']);
  });

  it('reports an empty text fallback', () => {
    expect(findLimitViolations({ text: '  ', blocks: [markdown('body')] })).toEqual([
      'text fallback is empty',
    ]);
  });
});
