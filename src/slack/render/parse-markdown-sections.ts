import { type CodeFence, fenceAfterLine } from './code-fences.js';
import { measurePipeTable } from './markdown-table-to-code.js';
import { stripInlineMarkdown } from './strip-inline-markdown.js';

/** A part of an answer under one `#` or `##` heading (or before the first one). */
export interface MarkdownSection {
  /** The heading as plain text, untruncated; undefined before the first (non-empty) heading. */
  readonly heading?: string;
  /** The section's Markdown: rules dropped, tables as written, fences closed, edges trimmed. */
  readonly body: string;
}

// ATX heading of level 1 or 2 (CommonMark 4.2): up to 3 spaces, then "#" or "##", then a space or the end.
const SECTION_HEADING = /^ {0,3}#{1,2}(?:[ \t]+(.*?))?[ \t]*$/;
const HEADING_CLOSING_SEQUENCE = /(?:^|[ \t]+)#+$/;
// Slack's markdown block does not render horizontal rules
// (https://docs.slack.dev/reference/block-kit/blocks/markdown-block), so they are dropped.
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/** Splits an answer's Markdown into sections at level-1 and level-2 headings outside code fences. */
export function parseMarkdownSections(markdown: string): MarkdownSection[] {
  const lines = markdown.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const sections: { heading?: string; lines: string[] }[] = [{ lines: [] }];
  let fence: CodeFence | undefined;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const current = sections.at(-1) ?? { lines: [] };
    const heading = fence === undefined ? parseSectionHeading(line) : undefined;
    const tableLength = fence === undefined ? measurePipeTable(lines, index) : 0;
    if (heading !== undefined) {
      if (heading !== '') sections.push({ heading, lines: [] }); // An empty heading is dropped.
    } else if (tableLength > 0) {
      current.lines.push(...lines.slice(index, index + tableLength));
      index += tableLength - 1;
    } else if (
      fence !== undefined ||
      !(THEMATIC_BREAK.test(line) || isRepeatedBlankLine(line, current.lines))
    ) {
      current.lines.push(line);
      fence = fenceAfterLine(line, fence);
    }
  }
  const last = sections.at(-1);
  if (fence !== undefined && last !== undefined) {
    last.lines = [...trimBlankLines(last.lines), fence.indent + fence.marker];
  }
  return sections
    .map((section) => ({ ...section, body: trimBlankLines(section.lines).join('\n') }))
    .filter((section) => section.heading !== undefined || section.body !== '')
    .map(({ heading, body }) => (heading === undefined ? { body } : { heading, body }));
}

/** The plain text of a level-1 or level-2 heading line; "" for an empty heading; undefined for other lines. */
function parseSectionHeading(line: string): string | undefined {
  const match = SECTION_HEADING.exec(line);
  if (match === null) return undefined;
  return stripInlineMarkdown((match[1] ?? '').replace(HEADING_CLOSING_SEQUENCE, ''));
}

/** A blank line after another blank line outside code, which Markdown ignores (left by dropped rules). */
function isRepeatedBlankLine(line: string, previous: readonly string[]): boolean {
  return line.trim() === '' && (previous.at(-1) ?? '').trim() === '';
}

function trimBlankLines(lines: readonly string[]): readonly string[] {
  const isContent = (line: string) => line.trim() !== '';
  const start = lines.findIndex(isContent);
  if (start === -1) return [];
  return lines.slice(start, lines.findLastIndex(isContent) + 1);
}
