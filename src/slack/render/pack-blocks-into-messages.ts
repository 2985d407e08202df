import { SLACK_MAX_TABLES_PER_MESSAGE } from './slack-limits.js';
import type { KnownBlock } from './slack-message-payload.js';

/** A block with what packing and the fallback text need to know about it. */
export interface RenderedBlock {
  readonly block: KnownBlock;
  /** Characters of text the block adds to the message (markdown, header, table cell, link or alt text). */
  readonly chars: number;
  /** Plain heading of the section the block belongs to, if the section has one. */
  readonly sectionTitle?: string;
}

/** How much one message may hold. */
export interface MessageLimits {
  readonly maxTextChars: number;
  readonly maxBlocks: number;
}

/**
 * Groups blocks, in order, into as few messages as fit the limits (one table block a message), never leaving
 * a header last in one. The footer blocks end the last message, always together with the last block before them.
 */
export function packBlocksIntoMessages(
  blocks: readonly RenderedBlock[],
  limits: MessageLimits,
  footer: readonly RenderedBlock[] = [],
): RenderedBlock[][] {
  const messages: RenderedBlock[][] = [];
  let current: RenderedBlock[] = [];
  const startNewMessage = () => {
    if (current.length > 0) messages.push(current);
    current = [];
  };
  const place = (unit: readonly RenderedBlock[]) => {
    if (!fits([...current, ...unit], limits)) startNewMessage();
    current.push(...unit);
  };
  const units = groupHeadersWithNextBlock(blocks);
  if (footer.length > 0) units.push([...(units.pop() ?? []), ...footer]);
  for (const unit of units) {
    if (fits(unit, limits)) {
      place(unit);
    } else {
      // More headings in a row than one message holds: unavoidable, so give them messages of their own.
      startNewMessage();
      for (const block of unit) place([block]);
    }
  }
  startNewMessage();
  return messages;
}

/** Runs of header blocks together with the block that follows them, so a header travels with its body. */
function groupHeadersWithNextBlock(blocks: readonly RenderedBlock[]): RenderedBlock[][] {
  const units: RenderedBlock[][] = [];
  let pending: RenderedBlock[] = [];
  for (const block of blocks) {
    pending.push(block);
    if (block.block.type !== 'header') {
      units.push(pending);
      pending = [];
    }
  }
  if (pending.length > 0) units.push(pending);
  return units;
}

function fits(blocks: readonly RenderedBlock[], limits: MessageLimits): boolean {
  const chars = blocks.reduce((total, block) => total + block.chars, 0);
  const tables = blocks.filter(({ block }) => block.type === 'table').length;
  return (
    blocks.length <= limits.maxBlocks &&
    chars <= limits.maxTextChars &&
    tables <= SLACK_MAX_TABLES_PER_MESSAGE
  );
}
