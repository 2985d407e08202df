import { countBlockText } from './count-block-text.js';
import { mermaidDiagramBlock } from './diagram-block.js';
import { pipeTableToBlock } from './markdown-table-to-block.js';
import { markdownTableToCode, parsePipeTable } from './markdown-table-to-code.js';
import { messageFallbackText } from './message-fallback-text.js';
import {
  type MessageLimits,
  packBlocksIntoMessages,
  type RenderedBlock,
} from './pack-blocks-into-messages.js';
import { type MarkdownSection, parseMarkdownSections } from './parse-markdown-sections.js';
import { headingWithSectionEmoji } from './section-emoji.js';
import { segmentSectionBody } from './segment-section-body.js';
import {
  RENDER_MAX_TEXT_CHARS_PER_MESSAGE,
  SLACK_MAX_BLOCKS_PER_MESSAGE,
  SLACK_MAX_HEADER_CHARS,
  SLACK_MAX_MARKDOWN_CHARS_PER_MESSAGE,
} from './slack-limits.js';
import type { KnownBlock, SlackMessagePayload } from './slack-message-payload.js';
import { MIN_SPLIT_CHARS, splitMarkdown } from './split-markdown.js';
import { truncateWithEllipsis } from './truncate-text.js';

export type { SlackMessagePayload } from './slack-message-payload.js';

/** How to render: where diagrams are drawn, what ends the answer, and (for tests) smaller limits. */
export interface RenderOptions {
  /** Most characters of block text in one message; default 10,000, at most 12,000. */
  maxMarkdownCharsPerMessage?: number;
  /** Most blocks in one message; default 50, at least 2 (a header and its body) plus the footer blocks. */
  maxBlocksPerMessage?: number;
  /**
   * A Kroki or mermaid.ink server (`DIAGRAM_RENDER_URL`) that draws mermaid diagrams as PNG images; when unset,
   * a diagram gets a link to the online mermaid editor instead. Either way its source stays as a code block.
   */
  diagramRenderUrl?: string | undefined;
  /** Blocks that end the last message (context line, buttons); never separated from the text before them. */
  footerBlocks?: readonly KnownBlock[];
  /**
   * Characters every message keeps free for the footer, when more than the footer's own. Give the same figure
   * to every render of one answer and it is cut at the same places whatever the footer says (the model's name,
   * the time taken): a re-run then lines its messages up with the ones an earlier attempt posted.
   */
  footerReserveChars?: number;
}

/** Smallest maxMarkdownCharsPerMessage: a full-length header plus a body piece the splitter accepts. */
export const MIN_MARKDOWN_CHARS_PER_MESSAGE = SLACK_MAX_HEADER_CHARS + MIN_SPLIT_CHARS;

const EMPTY_ANSWER = 'The model returned no text for this question. Please try asking again.';

/** Renders a complete Markdown answer as one or more Slack messages, in order, each within Slack's limits. */
export function renderAnswer(markdown: string, options: RenderOptions = {}): SlackMessagePayload[] {
  const footer = footerWithReserve(options);
  const limits = resolveLimits(options, footer);
  // Every body piece leaves room for the footer, so the last one can always share a message with it.
  const footerChars = footer.reduce((total, block) => total + block.chars, 0);
  const blocks = answerBlocks(parseMarkdownSections(markdown), {
    maxTextChars: limits.maxTextChars - footerChars,
    diagramRenderUrl: options.diagramRenderUrl,
  });
  if (blocks.length === 0) {
    const empty = emptyAnswerMessage();
    return [{ ...empty, blocks: [...empty.blocks, ...footer.map(({ block }) => block)] }];
  }
  return packBlocksIntoMessages(blocks, limits, footer).map((message, index) => ({
    text: messageFallbackText(message, index),
    blocks: message.map(({ block }) => block),
  }));
}

/** The footer blocks, the last one counted as long as the reserve asks when the footer is shorter. */
function footerWithReserve(options: RenderOptions): RenderedBlock[] {
  const footer = (options.footerBlocks ?? []).map((block) => ({ block, chars: countBlockText(block) }));
  const chars = footer.reduce((total, block) => total + block.chars, 0);
  const last = footer.at(-1);
  const shortBy = (options.footerReserveChars ?? 0) - chars;
  if (last && shortBy > 0) footer[footer.length - 1] = { ...last, chars: last.chars + shortBy };
  return footer;
}

interface BodyOptions {
  readonly maxTextChars: number;
  readonly diagramRenderUrl: string | undefined;
}

/** The blocks of all sections, in order: each header, then its body in blocks that fit a message. */
function answerBlocks(sections: readonly MarkdownSection[], options: BodyOptions): RenderedBlock[] {
  const blocks: RenderedBlock[] = [];
  // Header text since the last body: a body's first block must fit in one message with all of it.
  let headerRunChars = 0;
  for (const { heading, body } of sections) {
    const header = heading === undefined ? undefined : headerBlock(heading);
    if (header !== undefined) blocks.push(header);
    headerRunChars += header?.chars ?? 0;
    const bodyBlocks = body === '' ? [] : sectionBodyBlocks(body, heading, options, headerRunChars);
    if (bodyBlocks.length > 0) headerRunChars = 0;
    blocks.push(...bodyBlocks);
  }
  return blocks;
}

/**
 * One section body as blocks: Markdown in pieces that fit a message, each pipe table as a table block (or, when
 * Slack would refuse that, an aligned code block), and each mermaid diagram as its code followed by an image or
 * an editor link.
 */
function sectionBodyBlocks(
  body: string,
  heading: string | undefined,
  options: BodyOptions,
  headerRunChars: number,
): RenderedBlock[] {
  const blocks: RenderedBlock[] = [];
  let text: string[] = [];
  // Only the first block shares its message with the header run.
  const budget = () => options.maxTextChars - (blocks.length === 0 ? headerRunChars : 0);
  const flushText = () => {
    const markdown = text.join('\n').trim();
    text = [];
    if (markdown === '') return;
    for (const piece of splitMarkdown(markdown, Math.max(MIN_SPLIT_CHARS, budget()))) {
      blocks.push(markdownBlock(piece, heading));
    }
  };
  for (const segment of segmentSectionBody(body)) {
    if (segment.kind === 'markdown') {
      text.push(segment.text);
    } else if (segment.kind === 'table') {
      const table = pipeTableToBlock(parsePipeTable(segment.lines), options.maxTextChars);
      if (table === undefined) {
        text.push(markdownTableToCode(segment.lines).join('\n'));
      } else {
        flushText();
        blocks.push(withSectionTitle({ block: table.block, chars: table.chars }, heading));
      }
    } else {
      text.push(segment.text);
      const diagram = mermaidDiagramBlock(segment.source, options.diagramRenderUrl, heading);
      // Under test-sized limits even the link may not fit a message; the source is there either way.
      if (diagram !== undefined && diagram.chars <= options.maxTextChars) {
        flushText();
        blocks.push(diagram);
      }
    }
  }
  flushText();
  return blocks;
}

function headerBlock(heading: string): RenderedBlock {
  const text = truncateWithEllipsis(headingWithSectionEmoji(heading), SLACK_MAX_HEADER_CHARS);
  return {
    block: { type: 'header', text: { type: 'plain_text', text, emoji: true } },
    chars: text.length,
    sectionTitle: heading,
  };
}

function markdownBlock(text: string, sectionTitle: string | undefined): RenderedBlock {
  return withSectionTitle({ block: { type: 'markdown', text }, chars: text.length }, sectionTitle);
}

function withSectionTitle(block: RenderedBlock, sectionTitle: string | undefined): RenderedBlock {
  return sectionTitle === undefined ? block : { ...block, sectionTitle };
}

function emptyAnswerMessage(): SlackMessagePayload {
  return { text: EMPTY_ANSWER, blocks: [{ type: 'markdown', text: `_${EMPTY_ANSWER}_` }] };
}

function resolveLimits(options: RenderOptions, footer: readonly RenderedBlock[]): MessageLimits {
  const maxTextChars = options.maxMarkdownCharsPerMessage ?? RENDER_MAX_TEXT_CHARS_PER_MESSAGE;
  const maxBlocks = options.maxBlocksPerMessage ?? SLACK_MAX_BLOCKS_PER_MESSAGE;
  const footerChars = footer.reduce((total, block) => total + block.chars, 0);
  requireIntegerIn(
    'maxMarkdownCharsPerMessage',
    maxTextChars,
    MIN_MARKDOWN_CHARS_PER_MESSAGE + footerChars,
    SLACK_MAX_MARKDOWN_CHARS_PER_MESSAGE,
  );
  requireIntegerIn('maxBlocksPerMessage', maxBlocks, 2 + footer.length, SLACK_MAX_BLOCKS_PER_MESSAGE);
  return { maxTextChars, maxBlocks };
}

function requireIntegerIn(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}
