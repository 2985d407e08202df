import type { KnownBlock, SlackMessagePayload } from './slack-message-payload.js';

// Slack's documented limits for one message:
// - https://docs.slack.dev/reference/block-kit/blocks/markdown-block: a markdown block's text is at most
//   12,000 characters, and that is also the cumulative limit of all markdown blocks in one payload.
// - https://docs.slack.dev/reference/block-kit/blocks/header-block: header text is plain_text, at most 150.
// - https://docs.slack.dev/reference/methods/chat.postMessage: at most 50 blocks a message.
// - https://docs.slack.dev/reference/block-kit/blocks/table-block: one table block a message, at most 100 rows
//   of at most 20 cells each; a raw_text cell has at least one character.
// - https://docs.slack.dev/reference/block-kit/blocks/image-block: image_url at most 3,000 characters,
//   alt_text required, at most 2,000.
// - https://docs.slack.dev/reference/block-kit/blocks/context-block: a text element's text at most 3,000.

/** Most blocks Slack accepts in one message. */
export const SLACK_MAX_BLOCKS_PER_MESSAGE = 50;
/** Most characters Slack accepts across all markdown blocks of one message (and in any one of them). */
export const SLACK_MAX_MARKDOWN_CHARS_PER_MESSAGE = 12_000;
/** Most characters in a header block's text. */
export const SLACK_MAX_HEADER_CHARS = 150;
/** Most table blocks Slack accepts in one message. */
export const SLACK_MAX_TABLES_PER_MESSAGE = 1;
/** Most rows of a table block, the header row included. */
export const SLACK_MAX_TABLE_ROWS = 100;
/** Most cells in one row of a table block. */
export const SLACK_MAX_TABLE_CELLS_PER_ROW = 20;
/** Most characters in an image block's image_url. */
export const SLACK_MAX_IMAGE_URL_CHARS = 3_000;
/** Most characters in an image block's alt_text. */
export const SLACK_MAX_ALT_TEXT_CHARS = 2_000;
/** Most characters in a mrkdwn or plain_text element of a context block. */
export const SLACK_MAX_CONTEXT_TEXT_CHARS = 3_000;

// What the renderer aims for, under Slack's caps: `msg_blocks_too_long` has been seen from about 13.2k of
// text across all blocks, headers included (https://github.com/slackapi/bolt-js/issues/2509), so the
// renderer counts header text against this budget too and keeps a margin under 12,000.
/** Most characters of block text (markdown and header) the renderer puts in one message. */
export const RENDER_MAX_TEXT_CHARS_PER_MESSAGE = 10_000;
/** Most characters in a message's `text` fallback. */
export const RENDER_MAX_FALLBACK_CHARS = 300;
// Slack documents no limit per table cell; a cell this long reads better as part of a code block.
/** Longest cell the renderer puts in a table block; a table with a longer one becomes a code block. */
export const RENDER_MAX_TABLE_CELL_CHARS = 1_000;

/** Ways the message breaks Slack's documented limits; empty when it is within them. */
export function findLimitViolations(message: SlackMessagePayload): string[] {
  const violations: string[] = [];
  if (message.text.trim() === '') violations.push('text fallback is empty');
  if (message.blocks.length > SLACK_MAX_BLOCKS_PER_MESSAGE) {
    violations.push(`${message.blocks.length} blocks; Slack allows ${SLACK_MAX_BLOCKS_PER_MESSAGE}`);
  }
  let markdownChars = 0;
  let tables = 0;
  message.blocks.forEach((block, index) => {
    if (block.type === 'markdown') {
      markdownChars += block.text.length;
      violations.push(...markdownBlockViolations(block.text, index));
    } else if (block.type === 'header') {
      violations.push(...headerViolations(block.text.text, index));
    } else if (block.type === 'table') {
      tables += 1;
      violations.push(...tableViolations(block, index));
    } else if (block.type === 'image') {
      violations.push(...imageViolations(block, index));
    } else if (block.type === 'context') {
      violations.push(...contextViolations(block, index));
    }
  });
  if (tables > SLACK_MAX_TABLES_PER_MESSAGE) {
    violations.push(`${tables} table blocks; Slack allows ${SLACK_MAX_TABLES_PER_MESSAGE}`);
  }
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

function tableViolations(block: Extract<KnownBlock, { type: 'table' }>, index: number): string[] {
  const violations: string[] = [];
  if (block.rows.length === 0) violations.push(`block ${index}: table has no rows`);
  if (block.rows.length > SLACK_MAX_TABLE_ROWS) {
    violations.push(
      `block ${index}: table has ${block.rows.length} rows; Slack allows ${SLACK_MAX_TABLE_ROWS}`,
    );
  }
  block.rows.forEach((row, rowIndex) => {
    if (row.length > SLACK_MAX_TABLE_CELLS_PER_ROW) {
      violations.push(
        `block ${index}: table row ${rowIndex} has ${row.length} cells; Slack allows ${SLACK_MAX_TABLE_CELLS_PER_ROW}`,
      );
    }
    if (row.some((cell) => cell.type === 'raw_text' && cell.text.length === 0)) {
      violations.push(`block ${index}: table row ${rowIndex} has an empty raw_text cell`);
    }
  });
  return violations;
}

function imageViolations(block: Extract<KnownBlock, { type: 'image' }>, index: number): string[] {
  const violations: string[] = [];
  const url = 'image_url' in block ? block.image_url : undefined;
  if (url !== undefined && (url.length === 0 || url.length > SLACK_MAX_IMAGE_URL_CHARS)) {
    violations.push(
      `block ${index}: image_url is ${url.length} chars; Slack allows 1 to ${SLACK_MAX_IMAGE_URL_CHARS}`,
    );
  }
  if (block.alt_text.trim() === '' || block.alt_text.length > SLACK_MAX_ALT_TEXT_CHARS) {
    violations.push(
      `block ${index}: alt_text is ${block.alt_text.length} chars; Slack allows 1 to ${SLACK_MAX_ALT_TEXT_CHARS}`,
    );
  }
  return violations;
}

function contextViolations(block: Extract<KnownBlock, { type: 'context' }>, index: number): string[] {
  return block.elements.flatMap((element, elementIndex) =>
    'text' in element && element.text.length > SLACK_MAX_CONTEXT_TEXT_CHARS
      ? [
          `block ${index}: context element ${elementIndex} is ${element.text.length} chars; Slack allows ${SLACK_MAX_CONTEXT_TEXT_CHARS}`,
        ]
      : [],
  );
}
