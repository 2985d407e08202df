import type { LatencySummary } from './latency-stats.js';
/** Prints a numbered section title. */
export function section(title: string): void {
  process.stdout.write(`\n== ${title}\n\n`);
}

/** Prints a line. */
export function say(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** `1,234,567` */
export function bytes(value: number): string {
  return value.toLocaleString('en-US');
}

/** `12.34` */
export function ms(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : 'n/a';
}

/** `PASS` or `FAIL`, to print in a sentence. */
export function verdict(pass: boolean): 'PASS' | 'FAIL' {
  return pass ? 'PASS' : 'FAIL';
}

/** A table row of a latency summary: label, count, p50, p90, p99, max, mean (ms). */
export function latencyRow(label: string, latency: LatencySummary): string[] {
  return [
    label,
    String(latency.count),
    ms(latency.p50),
    ms(latency.p90),
    ms(latency.p99),
    ms(latency.max),
    ms(latency.mean),
  ];
}
