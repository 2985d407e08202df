import { isFenceLine } from './code-fences.js';
import type { RenderedBlock } from './pack-blocks-into-messages.js';
import { RENDER_MAX_FALLBACK_CHARS } from './slack-limits.js';
import { stripInlineMarkdown } from './strip-inline-markdown.js';
import { truncateWithEllipsis } from './truncate-text.js';

const CONTINUED = ' (continued)';
const UNTITLED = "Architect's answer";
const LINE_MARKERS = /^\s*(?:(?:[-*+]|\d+[.)]|>|#{1,6})(?:\s+|$))*/;

/**
 * The `text` fallback of one message: the title of the section it starts in, else its first line of text, as
 * plain text escaped for Slack, at most RENDER_MAX_FALLBACK_CHARS; " (continued)" from the second message on.
 */
export function messageFallbackText(blocks: readonly RenderedBlock[], messageIndex: number): string {
  const summary = blocks[0]?.sectionTitle ?? firstLineOfText(blocks) ?? UNTITLED;
  const suffix = messageIndex > 0 ? CONTINUED : '';
  return truncateEscaped(escapeForSlackText(summary), RENDER_MAX_FALLBACK_CHARS - suffix.length) + suffix;
}

function firstLineOfText(blocks: readonly RenderedBlock[]): string | undefined {
  for (const { block } of blocks) {
    if (block.type !== 'markdown') continue;
    for (const line of block.text.split('\n')) {
      const plain = isFenceLine(line) ? '' : stripInlineMarkdown(line.replace(LINE_MARKERS, ''));
      if (plain !== '') return plain;
    }
  }
  return undefined;
}

// The top-level `text` is read as mrkdwn, where &, < and > must be escaped
// (https://docs.slack.dev/messaging/formatting-message-text#escaping); this also keeps model text such as
// "<!channel>" from notifying anyone.
function escapeForSlackText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Truncates escaped text without leaving half an entity ("&am…") at the cut. */
function truncateEscaped(text: string, maxLength: number): string {
  return truncateWithEllipsis(text, maxLength).replace(/&[a-z]{0,3}…$/, '…');
}
