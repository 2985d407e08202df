import { type CodeFence, fenceAfterLine, parseFenceOpening } from './code-fences.js';
import { sliceWithoutSplittingPairs } from './truncate-text.js';

/** One part of a split Markdown text, with what the splitter added to keep code blocks valid. */
export interface MarkdownPiece {
  /** The Markdown of this part, at most maxChars long. */
  readonly text: string;
  /** First line of `text`, added to reopen a code block that the previous part closed. */
  readonly reopenedFence?: string;
  /** Last line of `text`, added to close a code block that continues in the next part (or never closed). */
  readonly closingFence?: string;
  /** True when this part ends inside an input line too long for one part; the next part continues it. */
  readonly endsMidLine: boolean;
}

/** Smallest maxChars the splitter accepts: room for a reopened and closed fence plus some content. */
export const MIN_SPLIT_CHARS = 20;

/**
 * Splits Markdown into texts of at most maxChars, between lines where possible, closing and reopening code
 * fences at splits. Removing each piece's `reopenedFence`/`closingFence` lines and joining the pieces with
 * "\n" ("" after a piece that `endsMidLine`) gives back the input with its line endings as "\n", less the
 * blank lines at piece edges (and a line that is only whitespace, if one was too long for a piece).
 */
export function splitMarkdownPieces(markdown: string, maxChars: number): MarkdownPiece[] {
  if (!Number.isInteger(maxChars) || maxChars < MIN_SPLIT_CHARS) {
    throw new RangeError(`maxChars must be an integer of at least ${MIN_SPLIT_CHARS}, got ${maxChars}`);
  }
  const lines = markdown.split(/\r\n|\r|\n/);
  const splitter = new LineSplitter(lines, maxChars);
  const pieces: MarkdownPiece[] = [];
  let cursor: Cursor = { line: 0, offset: 0 };
  while (cursor.line < lines.length) {
    const { piece, next } = splitter.takePiece(cursor);
    if (piece !== undefined) pieces.push(piece);
    cursor = next;
  }
  return pieces;
}

/** Splits Markdown into texts of at most maxChars each; see splitMarkdownPieces. */
export function splitMarkdown(markdown: string, maxChars: number): string[] {
  return splitMarkdownPieces(markdown, maxChars).map((piece) => piece.text);
}

interface Cursor {
  readonly line: number;
  /** Where in `line` the next piece starts; > 0 only after a long line was cut. */
  readonly offset: number;
}

interface FenceRepair {
  readonly reopen: string;
  /** Closes the fence in a piece that reopened it. */
  readonly closeReopened: string;
  /** Closes the fence in the piece that holds its original opening line. */
  readonly closeOriginal: string;
}

/** Where a piece may end: before line `end` (an exclusive line index), and how good a place that is. */
interface Boundary {
  readonly end: number;
  readonly size: number;
  readonly score: number;
}

const BOUNDARY_SCORES_BY_PREFERENCE = [3, 2, 1, 0];

class LineSplitter {
  private readonly fenceAfter: readonly (CodeFence | undefined)[];
  private readonly repairs = new Map<CodeFence, FenceRepair | undefined>();

  constructor(
    private readonly lines: readonly string[],
    private readonly maxChars: number,
  ) {
    let fence: CodeFence | undefined;
    this.fenceAfter = lines.map((line) => {
      fence = fenceAfterLine(line, fence);
      return fence;
    });
  }

  /** The piece that starts at the cursor (undefined when it would hold only blank lines), and the next start. */
  takePiece(cursor: Cursor): { piece?: MarkdownPiece; next: Cursor } {
    const reopened = this.fenceBefore(cursor.line);
    const reopen = reopened === undefined ? undefined : this.repair(reopened)?.reopen;
    const boundary = this.chooseBoundary(cursor, reopened, reopen);
    if (boundary === undefined) return this.cutLongLine(cursor, reopened, reopen);
    const content = [this.lineFrom(cursor), ...this.lines.slice(cursor.line + 1, boundary.end)];
    const trimmed = trimBlankLines(content, cursor.offset === 0, true);
    const closing = this.closingLine(this.fenceAfter[boundary.end - 1], reopened);
    return { piece: buildPiece(trimmed, reopen, closing, false), next: { line: boundary.end, offset: 0 } };
  }

  private chooseBoundary(cursor: Cursor, reopened?: CodeFence, reopen?: string): Boundary | undefined {
    const feasible: Boundary[] = [];
    let contentLength = -1;
    for (let end = cursor.line + 1; end <= this.lines.length; end += 1) {
      const line = end - 1 === cursor.line ? this.lineFrom(cursor) : (this.lines[end - 1] ?? '');
      contentLength += line.length + 1;
      if (contentLength > this.maxChars) break;
      const closing = this.closingLine(this.fenceAfter[end - 1], reopened);
      const size = lengthWithNewline(reopen) + contentLength + lengthWithNewline(closing);
      if (size > this.maxChars) continue;
      if (end === this.lines.length) return { end, size, score: Number.POSITIVE_INFINITY };
      feasible.push({ end, size, score: this.boundaryScore(end) });
    }
    return preferredBoundary(feasible, this.maxChars / 2);
  }

  /** How good a place the boundary before line `end` is to split: paragraph 3, line 2, code 1 or 0, -1. */
  private boundaryScore(end: number): number {
    const before = this.lines[end - 1] ?? '';
    const after = this.lines[end] ?? '';
    if (this.fenceAfter[end - 1] === undefined) {
      const endsCode = this.fenceBefore(end - 1) !== undefined;
      const paragraphBreak =
        isBlank(before) || isBlank(after) || endsCode || parseFenceOpening(after) !== undefined;
      return paragraphBreak ? 3 : 2;
    }
    if (this.fenceBefore(end - 1) === undefined) return -1; // Right after the opening fence line.
    return isBlank(before) || isBlank(after) ? 1 : 0;
  }

  /** A piece holding the start of a line too long to fit whole, cut at whitespace if possible. */
  private cutLongLine(
    cursor: Cursor,
    reopened?: CodeFence,
    reopen?: string,
  ): { piece?: MarkdownPiece; next: Cursor } {
    const closing = this.closingLine(reopened, reopened);
    const available = this.maxChars - lengthWithNewline(reopen) - lengthWithNewline(closing);
    const rest = this.lineFrom(cursor);
    const fragment = rest.slice(0, cutLength(rest, available));
    const content = trimBlankLines([fragment], false, false);
    return {
      piece: buildPiece(content, reopen, closing, true),
      next: { line: cursor.line, offset: cursor.offset + fragment.length },
    };
  }

  private closingLine(openAtEnd: CodeFence | undefined, reopened: CodeFence | undefined): string | undefined {
    if (openAtEnd === undefined) return undefined;
    const repair = this.repair(openAtEnd);
    return openAtEnd === reopened ? repair?.closeReopened : repair?.closeOriginal;
  }

  private repair(fence: CodeFence): FenceRepair | undefined {
    if (!this.repairs.has(fence)) this.repairs.set(fence, planFenceRepair(fence, this.maxChars));
    return this.repairs.get(fence);
  }

  private fenceBefore(line: number): CodeFence | undefined {
    return line === 0 ? undefined : this.fenceAfter[line - 1];
  }

  private lineFrom(cursor: Cursor): string {
    return (this.lines[cursor.line] ?? '').slice(cursor.offset);
  }
}

/** The latest boundary past half the budget with the best score; else the latest one at all. */
function preferredBoundary(feasible: readonly Boundary[], halfBudget: number): Boundary | undefined {
  for (const minScore of BOUNDARY_SCORES_BY_PREFERENCE) {
    const found = feasible.findLast((boundary) => boundary.score >= minScore && boundary.size >= halfBudget);
    if (found !== undefined) return found;
  }
  return feasible.at(-1);
}

/**
 * How a split code block is closed and reopened: same marker and language tag. A fence indented 4 or more
 * (inside a list) is reopened unindented, since a new block has no list around it. The language is left out
 * when reopening and closing would take over half of maxChars; nothing is repaired for absurdly long markers.
 */
function planFenceRepair(fence: CodeFence, maxChars: number): FenceRepair | undefined {
  const indent = fence.indent.length <= 3 ? fence.indent : '';
  const closeReopened = indent + fence.marker;
  const closeOriginal = fence.indent + fence.marker;
  const overhead = (reopen: string) =>
    reopen.length + Math.max(closeReopened.length, closeOriginal.length) + 2;
  for (const reopen of [closeReopened + fence.language, closeReopened]) {
    if (overhead(reopen) * 2 <= maxChars) return { reopen, closeReopened, closeOriginal };
  }
  return undefined;
}

/** Length of a prefix of text to put in one piece: up to after the last whitespace past half, else hard. */
function cutLength(text: string, available: number): number {
  for (let index = Math.min(available, text.length) - 1; index >= available / 2; index -= 1) {
    if (/\s/.test(text[index] ?? '')) return index + 1;
  }
  return Math.max(1, sliceWithoutSplittingPairs(text, available).length);
}

function buildPiece(
  content: readonly string[],
  reopen: string | undefined,
  closing: string | undefined,
  endsMidLine: boolean,
): MarkdownPiece | undefined {
  if (content.every(isBlank)) return undefined;
  const lines = [
    ...(reopen === undefined ? [] : [reopen]),
    ...content,
    ...(closing === undefined ? [] : [closing]),
  ];
  return {
    text: lines.join('\n'),
    ...(reopen === undefined ? {} : { reopenedFence: reopen }),
    ...(closing === undefined ? {} : { closingFence: closing }),
    endsMidLine,
  };
}

/** Drops blank lines at the edges; a first or last line that is only part of an input line is kept. */
function trimBlankLines(lines: readonly string[], firstIsWhole: boolean, lastIsWhole: boolean): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && (start > 0 || firstIsWhole) && isBlank(lines[start])) start += 1;
  while (end > start && (end < lines.length || lastIsWhole) && isBlank(lines[end - 1])) end -= 1;
  return lines.slice(start, end);
}

function isBlank(line: string | undefined): boolean {
  return line === undefined || line.trim() === '';
}

function lengthWithNewline(line: string | undefined): number {
  return line === undefined ? 0 : line.length + 1;
}
