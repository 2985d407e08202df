const CODE_SPAN = /(`+)([\s\S]*?)\1/g;

/** Plain text of one line of Markdown: code spans, emphasis, strikethrough, links and images unwrapped. */
export function stripInlineMarkdown(text: string): string {
  let plain = '';
  let last = 0;
  for (const match of text.matchAll(CODE_SPAN)) {
    plain += stripOutsideCode(text.slice(last, match.index)) + (match[2] ?? '').trim();
    last = match.index + match[0].length;
  }
  plain += stripOutsideCode(text.slice(last));
  return plain.replace(/\s+/g, ' ').trim();
}

function stripOutsideCode(text: string): string {
  return text
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '$1')
    .replace(/(^|[^\p{L}\p{N}*])\*(?=\S)(.+?)(?<=\S)\*(?![\p{L}\p{N}*])/gu, '$1$2')
    .replace(/(^|[^\p{L}\p{N}_])_(?=\S)(.+?)(?<=\S)_(?![\p{L}\p{N}_])/gu, '$1$2')
    .replace(/\*\*|__|`/g, '');
}
