import { describe, expect, it } from 'vitest';
import { markdownTableToCode, measurePipeTable } from '../../../src/slack/render/markdown-table-to-code.js';

describe('markdownTableToCode', () => {
  it('pads every column to its widest cell and puts a dashed line under the header', () => {
    const table = ['| Store | Latency |', '|---|---|', '| DynamoDB | 5 ms |', '| S3 | 50 ms |'];

    expect(markdownTableToCode(table)).toEqual([
      '```',
      'Store     Latency',
      '--------  -------',
      'DynamoDB  5 ms',
      'S3        50 ms',
      '```',
    ]);
  });

  it('accepts rows without leading and trailing pipes', () => {
    expect(markdownTableToCode(['a | b', '--- | ---', '1 | 2'])).toEqual([
      '```',
      'a  b',
      '-  -',
      '1  2',
      '```',
    ]);
  });

  it('right-aligns a column whose delimiter ends with a colon and centres one with colons at both ends', () => {
    const table = [
      '| Item | Cost | Tier |',
      '|:--|--:|:-:|',
      '| Disk | 4 | gold |',
      '| Network egress | 120 | b |',
    ];

    expect(markdownTableToCode(table).slice(1, -1)).toEqual([
      'Item            Cost  Tier',
      '--------------  ----  ----',
      'Disk               4  gold',
      'Network egress   120   b',
    ]);
  });

  it('keeps the text of cells beyond the header and of rows with missing cells', () => {
    const table = ['| a | b |', '|---|---|', '| 1 | 2 | extra |', '| only |'];

    expect(markdownTableToCode(table).slice(1, -1)).toEqual([
      'a     b',
      '----  -  -----',
      '1     2  extra',
      'only',
    ]);
  });

  it('removes Markdown emphasis and code marks from cells and unescapes pipes', () => {
    const table = [
      '| Option | Notes |',
      '|---|---|',
      '| **Kafka** | `acks=all` \\| [docs](https://kafka.apache.org) |',
    ];

    expect(markdownTableToCode(table)[3]).toBe('Kafka   acks=all | docs');
  });

  it('uses a longer fence when a cell holds a run of backticks', () => {
    const table = ['| Syntax |', '|---|', '| ``` `` ``` |'];

    const lines = markdownTableToCode(table);

    expect(lines[0]).toBe('```');
    expect(lines.at(-1)).toBe(lines[0]);
    expect(lines[3]).toBe('``');
  });
});

describe('measurePipeTable', () => {
  it('counts the header, delimiter and body rows up to the first blank line', () => {
    const lines = ['| a | b |', '|---|---|', '| 1 | 2 |', '| 3 | 4 |', '', '| not | table |'];

    expect(measurePipeTable(lines, 0)).toBe(4);
  });

  it('finds no table when the delimiter row has a different number of cells than the header', () => {
    expect(measurePipeTable(['| a | b |', '|---|', '| 1 | 2 |'], 0)).toBe(0);
  });

  it('finds no table in a line with a pipe followed by a horizontal rule', () => {
    expect(measurePipeTable(['Use A | B', '---'], 0)).toBe(0);
  });
});
