import type { Alignment, PipeTable } from './markdown-table-to-code.js';
import {
  RENDER_MAX_TABLE_CELL_CHARS,
  SLACK_MAX_TABLE_CELLS_PER_ROW,
  SLACK_MAX_TABLE_ROWS,
} from './slack-limits.js';
import type { KnownBlock } from './slack-message-payload.js';

type TableBlock = Extract<KnownBlock, { type: 'table' }>;

/** A table block and the characters of text its cells add to a message. */
export interface RenderedTable {
  readonly block: TableBlock;
  readonly chars: number;
}

// A raw_text cell needs at least one character
// (https://docs.slack.dev/reference/block-kit/composition-objects/text-object), so an empty cell is a space.
const EMPTY_CELL = ' ';

/**
 * A Slack table block for a pipe table (https://docs.slack.dev/reference/block-kit/blocks/table-block): plain
 * `raw_text` cells, the header as the first row, column alignment kept, long cells wrapped. Undefined when
 * Slack would refuse it or it would crowd a message: over 100 rows (header included), over 20 columns, a cell
 * over RENDER_MAX_TABLE_CELL_CHARS, or more than maxChars of cell text in all.
 */
export function pipeTableToBlock(table: PipeTable, maxChars: number): RenderedTable | undefined {
  const columns = Math.max(0, ...table.rows.map((row) => row.length));
  if (table.rows.length > SLACK_MAX_TABLE_ROWS || columns > SLACK_MAX_TABLE_CELLS_PER_ROW) return undefined;
  const cells = table.rows.flat();
  const chars = cells.reduce((total, cell) => total + cell.length, 0);
  if (chars > maxChars || cells.some((cell) => cell.length > RENDER_MAX_TABLE_CELL_CHARS)) return undefined;
  const rows = table.rows.map((row) =>
    Array.from({ length: columns }, (_, column) => ({
      type: 'raw_text' as const,
      text: row[column] || EMPTY_CELL,
    })),
  );
  return {
    block: { type: 'table', rows, column_settings: columnSettings(table.alignments, columns) },
    chars,
  };
}

function columnSettings(alignments: readonly Alignment[], columns: number) {
  return Array.from({ length: columns }, (_, column) => ({
    align: alignments[column] ?? 'left',
    is_wrapped: true,
  }));
}
