/** An open fenced code block: how it was opened, so it can be closed and reopened the same way. */
export interface CodeFence {
  /** Whitespace before the marker on the opening line. */
  readonly indent: string;
  /** The run of backticks or tildes that opened the block, e.g. "```" or "~~~~". */
  readonly marker: string;
  /** The language tag: the first word of the info string, e.g. "sql" or "mermaid"; "" when none. */
  readonly language: string;
}

// Fences are recognised at any indentation, not only 0-3 spaces as in CommonMark: models nest fences in
// list items, and treating those as code keeps `## ` lines inside them from becoming headings.
const OPENING_FENCE = /^([ \t]*)(`{3,}|~{3,})(.*)$/;
const CLOSING_FENCE = /^[ \t]*(`{3,}|~{3,})[ \t]*$/;

/** The fence a line opens, or undefined when the line does not open a fenced code block. */
export function parseFenceOpening(line: string): CodeFence | undefined {
  const match = OPENING_FENCE.exec(line);
  if (match === null) return undefined;
  const [, indent = '', marker = '', info = ''] = match;
  // A backtick fence's info string cannot contain a backtick (CommonMark 4.5): "```x```" is inline code.
  if (marker.startsWith('`') && info.includes('`')) return undefined;
  return { indent, marker, language: info.trim().split(/\s+/)[0] ?? '' };
}

/** True when the line closes the given fence: the same character, at least as many, nothing after. */
export function closesFence(line: string, fence: CodeFence): boolean {
  const marker = CLOSING_FENCE.exec(line)?.[1];
  return marker !== undefined && marker[0] === fence.marker[0] && marker.length >= fence.marker.length;
}

/** The fence still open after a line, given the fence open before it. */
export function fenceAfterLine(line: string, openBefore: CodeFence | undefined): CodeFence | undefined {
  if (openBefore === undefined) return parseFenceOpening(line);
  return closesFence(line, openBefore) ? undefined : openBefore;
}

/** True when the line opens or closes a fence (a structural line rather than content). */
export function isFenceLine(line: string): boolean {
  return parseFenceOpening(line) !== undefined || CLOSING_FENCE.test(line);
}
