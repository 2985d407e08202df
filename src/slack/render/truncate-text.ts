const ELLIPSIS = '…';

/** Cuts text to at most maxLength UTF-16 units, ending with "…" when cut, never splitting a surrogate pair. */
export function truncateWithEllipsis(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  return `${sliceWithoutSplittingPairs(text, maxLength - ELLIPSIS.length).trimEnd()}${ELLIPSIS}`;
}

/** The longest prefix of text of at most maxLength UTF-16 units that does not end in half a surrogate pair. */
export function sliceWithoutSplittingPairs(text: string, maxLength: number): string {
  const end = isHighSurrogate(text.charCodeAt(maxLength - 1)) ? maxLength - 1 : maxLength;
  return text.slice(0, Math.max(0, end));
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
