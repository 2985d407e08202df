import type { Alignment, PipeTable } from './markdown-table-to-code.js';
import {
  RENDER_MAX_TABLE_CELL_CHARS,
  SLACK_MAX_TABLE_CELLS_PER_ROW,
  SLACK_MAX_TABLE_ROWS,
} from './slack-limits.js';
import type { KnownBlock } from './slack-message-payload.js';
import { styledCellRuns } from './table-cell-rich-text.js';

type TableBlock = Extract<KnownBlock, { type: 'table' }>;
type TableCell = TableBlock['rows'][number][number];

/** A table block and the characters of text its cells add to a message. */
export interface RenderedTable {
  readonly block: TableBlock;
  readonly chars: number;
}

// A raw_text cell needs at least one character
// (https://docs.slack.dev/reference/block-kit/composition-objects/text-object), so an empty cell is a space.
const EMPTY_CELL = ' ';

/**
 * A Slack table block for a pipe table (https://docs.slack.dev/reference/block-kit/blocks/table-block): `raw_text`
 * cells, or `rich_text` for a cell with inline code or bold text, the header as the first row, column alignment kept, long cells wrapped. Undefined when
 * Slack would refuse it or it would crowd a message: over 100 rows (header included), over 20 columns, a cell
 * over RENDER_MAX_TABLE_CELL_CHARS, or more than maxChars of cell text in all.
 */
export function pipeTableToBlock(table: PipeTable, maxChars: number): RenderedTable | undefined {
  const columns = Math.max(0, ...table.rows.map((row) => row.length));
  if (table.rows.length > SLACK_MAX_TABLE_ROWS || columns > SLACK_MAX_TABLE_CELLS_PER_ROW) return undefined;
  const cells = table.rows.flat();
  const chars = cells.reduce((total, cell) => total + cell.length, 0);
  if (chars > maxChars || cells.some((cell) => cell.length > RENDER_MAX_TABLE_CELL_CHARS)) return undefined;
  const rows = table.rows.map((row, rowIndex) =>
    Array.from({ length: columns }, (_, column) =>
      tableCell(row[column] ?? '', table.markdownRows?.[rowIndex]?.[column]),
    ),
  );
  return {
    block: { type: 'table', rows, column_settings: columnSettings(table.alignments, columns) },
    chars,
  };
}

function tableCell(plain: string, markdown: string | undefined): TableCell {
  const runs = markdown === undefined ? undefined : styledCellRuns(markdown);
  if (runs === undefined) return { type: 'raw_text', text: plain || EMPTY_CELL };
  return {
    type: 'rich_text',
    elements: [{ type: 'rich_text_section', elements: runs.map((run) => ({ type: 'text', ...run })) }],
  };
}

function columnSettings(alignments: readonly Alignment[], columns: number) {
  return Array.from({ length: columns }, (_, column) => ({
    align: alignments[column] ?? 'left',
    is_wrapped: true,
  }));
}
