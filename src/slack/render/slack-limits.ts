import type { SlackMessagePayload } from './slack-message-payload.js';

// Slack's documented limits for one message:
// - https://docs.slack.dev/reference/block-kit/blocks/markdown-block: a markdown block's text is at most
//   12,000 characters, and that is also the cumulative limit of all markdown blocks in one payload.
// - https://docs.slack.dev/reference/block-kit/blocks/header-block: header text is plain_text, at most 150.
// - https://docs.slack.dev/reference/methods/chat.postMessage: at most 50 blocks a message.

/** Most blocks Slack accepts in one message. */
export const SLACK_MAX_BLOCKS_PER_MESSAGE = 50;
/** Most characters Slack accepts across all markdown blocks of one message (and in any one of them). */
export const SLACK_MAX_MARKDOWN_CHARS_PER_MESSAGE = 12_000;
/** Most characters in a header block's text. */
export const SLACK_MAX_HEADER_CHARS = 150;

// What the renderer aims for, under Slack's caps: `msg_blocks_too_long` has been seen from about 13.2k of
// text across all blocks, headers included (https://github.com/slackapi/bolt-js/issues/2509), so the
// renderer counts header text against this budget too and keeps a margin under 12,000.
/** Most characters of block text (markdown and header) the renderer puts in one message. */
export const RENDER_MAX_TEXT_CHARS_PER_MESSAGE = 10_000;
/** Most characters in a message's `text` fallback. */
export const RENDER_MAX_FALLBACK_CHARS = 300;

/** Ways the message breaks Slack's documented limits; empty when it is within them. */
export function findLimitViolations(message: SlackMessagePayload): string[] {
  const violations: string[] = [];
  if (message.text.trim() === '') violations.push('text fallback is empty');
  if (message.blocks.length > SLACK_MAX_BLOCKS_PER_MESSAGE) {
    violations.push(`${message.blocks.length} blocks; Slack allows ${SLACK_MAX_BLOCKS_PER_MESSAGE}`);
  }
  let markdownChars = 0;
  message.blocks.forEach((block, index) => {
    if (block.type === 'markdown') {
      markdownChars += block.text.length;
      violations.push(...markdownBlockViolations(block.text, index));
    } else if (block.type === 'header') {
      violations.push(...headerViolations(block.text.text, index));
    }
  });
  if (markdownChars > SLACK_MAX_MARKDOWN_CHARS_PER_MESSAGE) {
    violations.push(
      `markdown blocks total ${markdownChars} chars; Slack allows ${SLACK_MAX_MARKDOWN_CHARS_PER_MESSAGE}`,
    );
  }
  return violations;
}

function markdownBlockViolations(text: string, index: number): string[] {
  if (text.trim() === '') return [`block ${index}: markdown text is empty`];
  if (text.length > SLACK_MAX_MARKDOWN_CHARS_PER_MESSAGE) {
    return [
      `block ${index}: markdown text is ${text.length} chars; Slack allows ${SLACK_MAX_MARKDOWN_CHARS_PER_MESSAGE}`,
    ];
  }
  return [];
}

function headerViolations(text: string, index: number): string[] {
  if (text.trim() === '') return [`block ${index}: header text is empty`];
  if (text.length > SLACK_MAX_HEADER_CHARS) {
    return [`block ${index}: header text is ${text.length} chars; Slack allows ${SLACK_MAX_HEADER_CHARS}`];
  }
  return [];
}
