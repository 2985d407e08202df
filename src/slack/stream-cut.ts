/**
 * Where a streamed message may end so the answer continues in a new one: at a `## ` section, else
 * at a blank line, never inside a code fence. Searches `text` between `from` (already shown, so the
 * cut cannot come earlier) and `maxChars`. Returns the index the next message starts at (the text
 * before it stays in this message), or undefined when no such place exists yet; with `force`, falls
 * back to the last line break, then to `maxChars` itself, so a message never outgrows its limit.
 */
export function streamCut(text: string, from: number, maxChars: number, force = false): number | undefined {
  const limit = Math.min(text.length, maxChars);
  let section: number | undefined;
  let paragraph: number | undefined;
  let line: number | undefined;
  let inFence = false;
  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    // A cut "at" this line puts the line first in the next message: it must start at or before the limit.
    if (lineStart > limit) break;
    const current = text.slice(lineStart, lineEnd);
    if (lineStart >= from && lineStart > 0 && lineStart <= limit && newline !== -1) {
      if (!inFence) {
        if (current.startsWith('## ')) section = lineStart;
        if (text[lineStart - 2] === '\n' || current.trim() === '') paragraph = lineStart;
      }
      line = lineStart;
    }
    if (/^\s{0,3}(```|~~~)/.test(current)) inFence = !inFence;
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  // A heading that starts the text can never be a cut: from is where this message already is.
  const best = section ?? paragraph;
  if (best !== undefined) return best;
  if (!force) return undefined;
  return line ?? Math.max(from, limit);
}
