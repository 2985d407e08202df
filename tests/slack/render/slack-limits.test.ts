import { describe, expect, it } from 'vitest';
import { findLimitViolations } from '../../../src/slack/render/slack-limits.js';
import type { KnownBlock } from '../../../src/slack/render/slack-message-payload.js';

const markdown = (text: string): KnownBlock => ({ type: 'markdown', text });
const header = (text: string): KnownBlock => ({ type: 'header', text: { type: 'plain_text', text } });
const table = (rows: number, cells: number, text = 'c'): KnownBlock => ({
  type: 'table',
  rows: Array.from({ length: rows }, () => Array.from({ length: cells }, () => ({ type: 'raw_text', text }))),
});
const image = (imageUrl: string, altText: string): KnownBlock => ({
  type: 'image',
  image_url: imageUrl,
  alt_text: altText,
});

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

  it('finds nothing wrong with one table of 100 rows of 20 cells, an image and a 3,000-character link', () => {
    const blocks: KnownBlock[] = [
      table(100, 20),
      image(`https://x/${'a'.repeat(2_990)}`, 'a'.repeat(2_000)),
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'l'.repeat(3_000) }] },
    ];

    expect(findLimitViolations({ text: 'Summary', blocks })).toEqual([]);
  });

  it('reports two table blocks in one message', () => {
    expect(findLimitViolations({ text: 'Summary', blocks: [table(2, 2), table(2, 2)] })).toEqual([
      '2 table blocks; Slack allows 1',
    ]);
  });

  it('reports a table over 100 rows, a row over 20 cells and an empty cell', () => {
    expect(findLimitViolations({ text: 'Summary', blocks: [table(101, 1)] })).toEqual([
      'block 0: table has 101 rows; Slack allows 100',
    ]);
    expect(findLimitViolations({ text: 'Summary', blocks: [table(1, 21)] })).toEqual([
      'block 0: table row 0 has 21 cells; Slack allows 20',
    ]);
    expect(findLimitViolations({ text: 'Summary', blocks: [table(1, 1, '')] })).toEqual([
      'block 0: table row 0 has an empty raw_text cell',
    ]);
  });

  it('reports an image URL over 3,000 characters and a missing or long alt text', () => {
    const violations = findLimitViolations({
      text: 'Summary',
      blocks: [
        image(`https://x/${'a'.repeat(2_991)}`, 'ok'),
        image('https://x/y.png', ''),
        image('https://x/y.png', 'a'.repeat(2_001)),
      ],
    });

    expect(violations).toEqual([
      'block 0: image_url is 3001 chars; Slack allows 1 to 3000',
      'block 1: alt_text is 0 chars; Slack allows 1 to 2000',
      'block 2: alt_text is 2001 chars; Slack allows 1 to 2000',
    ]);
  });

  it('reports a context text over 3,000 characters', () => {
    const blocks: KnownBlock[] = [
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'l'.repeat(3_001) }] },
    ];

    expect(findLimitViolations({ text: 'Summary', blocks })).toEqual([
      'block 0: context element 0 is 3001 chars; Slack allows 3000',
    ]);
  });
});
