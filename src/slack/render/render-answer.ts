import { messageFallbackText } from './message-fallback-text.js';
import {
  type MessageLimits,
  packBlocksIntoMessages,
  type RenderedBlock,
} from './pack-blocks-into-messages.js';
import { type MarkdownSection, parseMarkdownSections } from './parse-markdown-sections.js';
import {
  RENDER_MAX_TEXT_CHARS_PER_MESSAGE,
  SLACK_MAX_BLOCKS_PER_MESSAGE,
  SLACK_MAX_HEADER_CHARS,
  SLACK_MAX_MARKDOWN_CHARS_PER_MESSAGE,
} from './slack-limits.js';
import type { SlackMessagePayload } from './slack-message-payload.js';
import { MIN_SPLIT_CHARS, splitMarkdown } from './split-markdown.js';
import { truncateWithEllipsis } from './truncate-text.js';

export type { SlackMessagePayload } from './slack-message-payload.js';

/** Smaller per-message limits, for tests that exercise splitting. */
export interface RenderOptions {
  /** Most characters of markdown and header text in one message; default 10,000, at most 12,000. */
  maxMarkdownCharsPerMessage?: number;
  /** Most blocks in one message; default 50, at least 2 (a header and its body). */
  maxBlocksPerMessage?: number;
}

/** Smallest maxMarkdownCharsPerMessage: a full-length header plus a body piece the splitter accepts. */
export const MIN_MARKDOWN_CHARS_PER_MESSAGE = SLACK_MAX_HEADER_CHARS + MIN_SPLIT_CHARS;

const EMPTY_ANSWER = 'The model returned no text for this question. Please try asking again.';

/** Renders a complete Markdown answer as one or more Slack messages, in order, each within Slack's limits. */
export function renderAnswer(markdown: string, options: RenderOptions = {}): SlackMessagePayload[] {
  const limits = resolveLimits(options);
  const blocks = answerBlocks(parseMarkdownSections(markdown), limits.maxTextChars);
  if (blocks.length === 0) return [emptyAnswerMessage()];
  return packBlocksIntoMessages(blocks, limits).map((message, index) => ({
    text: messageFallbackText(message, index),
    blocks: message.map(({ block }) => block),
  }));
}

/** The blocks of all sections, in order: each header, then its body in pieces that fit a message. */
function answerBlocks(sections: readonly MarkdownSection[], maxTextChars: number): RenderedBlock[] {
  const blocks: RenderedBlock[] = [];
  // Header text since the last body: a body's first piece must fit in one message with all of it.
  let headerRunChars = 0;
  for (const { heading, body } of sections) {
    const header = heading === undefined ? undefined : headerBlock(heading);
    headerRunChars += header?.chars ?? 0;
    const pieces =
      body === '' ? [] : splitMarkdown(body, Math.max(MIN_SPLIT_CHARS, maxTextChars - headerRunChars));
    if (pieces.length > 0) headerRunChars = 0;
    blocks.push(
      ...(header === undefined ? [] : [header]),
      ...pieces.map((text) => markdownBlock(text, heading)),
    );
  }
  return blocks;
}

function headerBlock(heading: string): RenderedBlock {
  const text = truncateWithEllipsis(heading, SLACK_MAX_HEADER_CHARS);
  return {
    block: { type: 'header', text: { type: 'plain_text', text, emoji: true } },
    chars: text.length,
    sectionTitle: heading,
  };
}

function markdownBlock(text: string, sectionTitle: string | undefined): RenderedBlock {
  const block: RenderedBlock = { block: { type: 'markdown', text }, chars: text.length };
  return sectionTitle === undefined ? block : { ...block, sectionTitle };
}

function emptyAnswerMessage(): SlackMessagePayload {
  return { text: EMPTY_ANSWER, blocks: [{ type: 'markdown', text: `_${EMPTY_ANSWER}_` }] };
}

function resolveLimits(options: RenderOptions): MessageLimits {
  const maxTextChars = options.maxMarkdownCharsPerMessage ?? RENDER_MAX_TEXT_CHARS_PER_MESSAGE;
  const maxBlocks = options.maxBlocksPerMessage ?? SLACK_MAX_BLOCKS_PER_MESSAGE;
  requireIntegerIn(
    'maxMarkdownCharsPerMessage',
    maxTextChars,
    MIN_MARKDOWN_CHARS_PER_MESSAGE,
    SLACK_MAX_MARKDOWN_CHARS_PER_MESSAGE,
  );
  requireIntegerIn('maxBlocksPerMessage', maxBlocks, 2, SLACK_MAX_BLOCKS_PER_MESSAGE);
  return { maxTextChars, maxBlocks };
}

function requireIntegerIn(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}
