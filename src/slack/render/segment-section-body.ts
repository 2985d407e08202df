import { type CodeFence, closesFence, fenceAfterLine, parseFenceOpening } from './code-fences.js';
import { measurePipeTable } from './markdown-table-to-code.js';

/** A part of a section body that renders its own way. */
export type BodySegment =
  /** Markdown for a markdown block. */
  | { readonly kind: 'markdown'; readonly text: string }
  /** The lines of a GitHub pipe table: header, delimiter row, body rows. */
  | { readonly kind: 'table'; readonly lines: readonly string[] }
  /** A ```mermaid code block: its fenced text as written, and the diagram source inside the fences. */
  | { readonly kind: 'mermaid'; readonly text: string; readonly source: string };

/** Splits a section body into Markdown, pipe tables and mermaid code blocks (outside other code blocks), in order. */
export function segmentSectionBody(body: string): BodySegment[] {
  const lines = body.split('\n');
  const segments: BodySegment[] = [];
  let markdown: string[] = [];
  const flushMarkdown = () => {
    if (markdown.some((line) => line.trim() !== ''))
      segments.push({ kind: 'markdown', text: markdown.join('\n') });
    markdown = [];
  };
  let fence: CodeFence | undefined;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (fence === undefined) {
      const opening = parseFenceOpening(line);
      if (opening?.language.toLowerCase() === 'mermaid') {
        const end = closingLineIndex(lines, index, opening);
        flushMarkdown();
        const fenced = lines.slice(index, end + 1);
        const closed = end < lines.length && closesFence(lines[end] ?? '', opening);
        const sourceLines = fenced.slice(1, closed ? -1 : undefined);
        segments.push({ kind: 'mermaid', text: fenced.join('\n'), source: sourceLines.join('\n') });
        index = end;
        continue;
      }
      const tableLength = opening === undefined ? measurePipeTable(lines, index) : 0;
      if (tableLength > 0) {
        flushMarkdown();
        segments.push({ kind: 'table', lines: lines.slice(index, index + tableLength) });
        index += tableLength - 1;
        continue;
      }
    }
    markdown.push(line);
    fence = fenceAfterLine(line, fence);
  }
  flushMarkdown();
  return segments;
}

/** Index of the line that closes the fence opened at `start`; the last line when it never closes. */
function closingLineIndex(lines: readonly string[], start: number, fence: CodeFence): number {
  for (let index = start + 1; index < lines.length; index += 1) {
    if (closesFence(lines[index] ?? '', fence)) return index;
  }
  return lines.length - 1;
}
