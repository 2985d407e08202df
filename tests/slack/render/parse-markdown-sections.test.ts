import { describe, expect, it } from 'vitest';
import { parseMarkdownSections } from '../../../src/slack/render/parse-markdown-sections.js';

describe('parseMarkdownSections', () => {
  it('starts a section at each level-1 and level-2 heading and keeps text before the first as its own', () => {
    const sections = parseMarkdownSections('Intro\n# Title\nA\n## Part\nB\n### Detail\nC');

    expect(sections).toEqual([
      { body: 'Intro' },
      { heading: 'Title', body: 'A' },
      { heading: 'Part', body: 'B\n### Detail\nC' },
    ]);
  });

  it('keeps a heading with no body as a section with an empty body', () => {
    expect(parseMarkdownSections('# Design\n## Overview\nText')).toEqual([
      { heading: 'Design', body: '' },
      { heading: 'Overview', body: 'Text' },
    ]);
  });

  it('does not start a section at a heading inside a tilde fence', () => {
    expect(parseMarkdownSections('~~~\n## not a heading\n~~~')).toEqual([
      { body: '~~~\n## not a heading\n~~~' },
    ]);
  });

  it('does not let a shorter fence close a longer one', () => {
    const markdown = '````md\n```\n## inside\n```\n````\n## Outside';

    expect(parseMarkdownSections(markdown)).toEqual([
      { body: '````md\n```\n## inside\n```\n````' },
      { heading: 'Outside', body: '' },
    ]);
  });

  it('leaves one blank line where a horizontal rule between paragraphs was dropped', () => {
    expect(parseMarkdownSections('One\n\n---\n\nTwo')).toEqual([{ body: 'One\n\nTwo' }]);
  });

  it('closes an unterminated fence with its own marker, after the last line of code', () => {
    expect(parseMarkdownSections('~~~~ts\nconst a = 1;\n\n')).toEqual([
      { body: '~~~~ts\nconst a = 1;\n~~~~' },
    ]);
  });

  it('strips a byte-order mark and handles lone CR line endings', () => {
    expect(parseMarkdownSections('\uFEFF## Title\rBody')).toEqual([{ heading: 'Title', body: 'Body' }]);
  });
});
