import { stripInlineMarkdown } from './strip-inline-markdown.js';

/** A run of a table cell's text with the one style Markdown gave it. */
export interface StyledRun {
  readonly text: string;
  readonly style?: { readonly bold: true } | { readonly code: true };
}

const CODE_SPAN = /(`+)([\s\S]*?)\1/g;
const STRONG = /(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g;

/**
 * The runs of a table cell written in Markdown: code spans and bold text styled, everything else plain, with the
 * rest of the inline Markdown (links, italics, strikethrough) reduced to its text as in stripInlineMarkdown.
 * Undefined when the cell has no code span or bold text, so a plain raw_text cell does.
 */
export function styledCellRuns(cell: string): StyledRun[] | undefined {
  if (!/`|\*\*|__/.test(cell)) return undefined;
  const runs: StyledRun[] = [];
  let last = 0;
  for (const match of cell.matchAll(CODE_SPAN)) {
    runs.push(...boldRuns(cell.slice(last, match.index)));
    const code = (match[2] ?? '').trim();
    if (code !== '') runs.push({ text: code, style: { code: true } });
    last = match.index + match[0].length;
  }
  runs.push(...boldRuns(cell.slice(last)));
  const merged = trimEdges(runs.filter((run) => run.text !== ''));
  return merged.some((run) => run.style !== undefined) ? merged : undefined;
}

function boldRuns(text: string): StyledRun[] {
  const runs: StyledRun[] = [];
  let last = 0;
  for (const match of text.matchAll(STRONG)) {
    runs.push(plainRun(text.slice(last, match.index)));
    runs.push({ text: stripInlineMarkdown(match[2] ?? ''), style: { bold: true } });
    last = match.index + match[0].length;
  }
  runs.push(plainRun(text.slice(last)));
  return runs;
}

/** Plain text without inline Markdown, keeping one space at an edge that had whitespace (it separates runs). */
function plainRun(text: string): StyledRun {
  const stripped = stripInlineMarkdown(text);
  if (stripped === '') return { text: /\s/.test(text) ? ' ' : '' };
  const before = /^\s/.test(text) ? ' ' : '';
  const after = /\s$/.test(text) ? ' ' : '';
  return { text: before + stripped + after };
}

function trimEdges(runs: StyledRun[]): StyledRun[] {
  const first = runs[0];
  const last = runs.at(-1);
  if (first !== undefined && first.style === undefined) runs[0] = { text: first.text.trimStart() };
  if (last !== undefined && last.style === undefined)
    runs[runs.length - 1] = { text: (runs.at(-1)?.text ?? '').trimEnd() };
  return runs.filter((run) => run.text !== '');
}
