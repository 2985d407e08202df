import { monospaceWidth } from './monospace-width.js';
import { stripInlineMarkdown } from './strip-inline-markdown.js';

/** How a table column is aligned, from its delimiter cell ("---", ":-:", "--:"). */
export type Alignment = 'left' | 'center' | 'right';

/** A GitHub pipe table: the header row first, then the body rows. */
export interface PipeTable {
  /** Each cell as plain text, inline Markdown removed. */
  readonly rows: readonly (readonly string[])[];
  /** Each cell's Markdown as written (escaped pipes unescaped), for styled cells; defaults to `rows`. */
  readonly markdownRows?: readonly (readonly string[])[];
  readonly alignments: readonly Alignment[];
}

const COLUMN_GAP = '  ';
const DELIMITER_CELL = /^:?-+:?$/;

/** How many lines from `start` form a GitHub pipe table (header, delimiter row, body rows); 0 when none. */
export function measurePipeTable(lines: readonly string[], start: number): number {
  const header = lines[start];
  const delimiter = lines[start + 1];
  if (header === undefined || delimiter === undefined || !header.includes('|')) return 0;
  const alignments = parseDelimiterRow(delimiter);
  if (alignments === undefined || alignments.length !== splitTableRow(header).length) return 0;
  let end = start + 2;
  while (isTableBodyRow(lines[end])) end += 1;
  return end - start;
}

// Slack's markdown block does not render tables (https://docs.slack.dev/reference/block-kit/blocks/markdown-block),
// so a table is shown as aligned plain text in a code block instead.
/** Renders the lines of a GitHub pipe table as an aligned plain-text table inside a code fence. */
export function markdownTableToCode(tableLines: readonly string[]): string[] {
  const { rows, alignments } = parsePipeTable(tableLines);
  const [header = [], ...body] = rows;
  const widths = columnWidths([header, ...body]);
  const fence = fenceLongerThanAnyIn([header, ...body].flat());
  return [
    fence,
    formatRow(header, widths, alignments),
    widths.map((width) => '-'.repeat(width)).join(COLUMN_GAP),
    ...body.map((row) => formatRow(row, widths, alignments)),
    fence,
  ];
}

/** The cells of a GitHub pipe table's lines (as measured by measurePipeTable), without inline Markdown. */
export function parsePipeTable(tableLines: readonly string[]): PipeTable {
  const [headerLine = '', delimiterLine = '', ...bodyLines] = tableLines;
  const markdownRows = [headerLine, ...bodyLines].map(splitTableRow);
  return {
    rows: markdownRows.map((row) => row.map(stripInlineMarkdown)),
    markdownRows,
    alignments: parseDelimiterRow(delimiterLine) ?? [],
  };
}

function isTableBodyRow(line: string | undefined): boolean {
  if (line === undefined) return false;
  return line.includes('|') && line.trim() !== '' && !/^\s*(```|~~~)/.test(line);
}

function parseDelimiterRow(line: string): Alignment[] | undefined {
  if (!line.includes('|')) return undefined;
  const cells = splitTableRow(line);
  if (!cells.every((cell) => DELIMITER_CELL.test(cell))) return undefined;
  return cells.map(cellAlignment);
}

function cellAlignment(cell: string): Alignment {
  if (cell.endsWith(':')) return cell.startsWith(':') ? 'center' : 'right';
  return 'left';
}

function splitTableRow(line: string): string[] {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  return row.split(/(?<!\\)\|/).map((cell) => cell.trim().replaceAll('\\|', '|'));
}

function columnWidths(rows: readonly (readonly string[])[]): number[] {
  const columnCount = Math.max(...rows.map((row) => row.length));
  return Array.from({ length: columnCount }, (_, column) =>
    Math.max(1, ...rows.map((row) => monospaceWidth(row[column] ?? ''))),
  );
}

function formatRow(
  cells: readonly string[],
  widths: readonly number[],
  alignments: readonly Alignment[],
): string {
  return widths
    .map((width, column) => pad(cells[column] ?? '', width, alignments[column] ?? 'left'))
    .join(COLUMN_GAP)
    .trimEnd();
}

function pad(cell: string, width: number, alignment: Alignment): string {
  const missing = width - monospaceWidth(cell);
  if (alignment === 'right') return ' '.repeat(missing) + cell;
  if (alignment === 'center') {
    const left = Math.floor(missing / 2);
    return ' '.repeat(left) + cell + ' '.repeat(missing - left);
  }
  return cell + ' '.repeat(missing);
}

function fenceLongerThanAnyIn(cells: readonly string[]): string {
  const longestRun = Math.max(
    0,
    ...cells.flatMap((cell) => (cell.match(/`+/g) ?? []).map((run) => run.length)),
  );
  return '`'.repeat(Math.max(3, longestRun + 1));
}
