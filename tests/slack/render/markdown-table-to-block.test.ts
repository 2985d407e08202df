import { describe, expect, it } from 'vitest';
import { pipeTableToBlock } from '../../../src/slack/render/markdown-table-to-block.js';
import { parsePipeTable } from '../../../src/slack/render/markdown-table-to-code.js';

const table = (rows: number, columns: number) => ({
  rows: Array.from({ length: rows }, (_, row) =>
    Array.from({ length: columns }, (_, column) => `r${row}c${column}`),
  ),
  alignments: [],
});

describe('pipeTableToBlock', () => {
  it('makes raw_text cells (rich_text for inline code), pads short rows and keeps the column alignment', () => {
    const parsed = parsePipeTable([
      '| Method | Path | p99 |',
      '|:--|:-:|--:|',
      '| `GET` | /orders | 40 ms |',
      '| POST |',
    ]);

    const rendered = pipeTableToBlock(parsed, 10_000);

    expect(rendered?.block).toEqual({
      type: 'table',
      rows: [
        [
          { type: 'raw_text', text: 'Method' },
          { type: 'raw_text', text: 'Path' },
          { type: 'raw_text', text: 'p99' },
        ],
        [
          {
            type: 'rich_text',
            elements: [
              { type: 'rich_text_section', elements: [{ type: 'text', text: 'GET', style: { code: true } }] },
            ],
          },
          { type: 'raw_text', text: '/orders' },
          { type: 'raw_text', text: '40 ms' },
        ],
        [
          { type: 'raw_text', text: 'POST' },
          { type: 'raw_text', text: ' ' },
          { type: 'raw_text', text: ' ' },
        ],
      ],
      column_settings: [
        { align: 'left', is_wrapped: true },
        { align: 'center', is_wrapped: true },
        { align: 'right', is_wrapped: true },
      ],
    });
    expect(rendered?.chars).toBe('MethodPathp99GET/orders40 msPOST'.length);
  });

  it('accepts 100 rows of 20 cells, Slack’s maximum', () => {
    expect(pipeTableToBlock(table(100, 20), 100_000)?.block.rows).toHaveLength(100);
  });

  it.each([
    ['101 rows', table(101, 2)],
    ['21 columns', table(2, 21)],
  ])('gives no table block for %s', (_name, tooBig) => {
    expect(pipeTableToBlock(tooBig, 100_000)).toBeUndefined();
  });

  it('gives no table block when a cell is over 1,000 characters or the cells over the budget', () => {
    const longCell = { rows: [['Name'], ['x'.repeat(1_001)]], alignments: [] };

    expect(pipeTableToBlock(longCell, 100_000)).toBeUndefined();
    expect(pipeTableToBlock(table(10, 10), 100)).toBeUndefined();
  });
});
