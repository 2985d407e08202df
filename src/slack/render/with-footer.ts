import { SLACK_MAX_BLOCKS_PER_MESSAGE } from './slack-limits.js';
import type { KnownBlock, SlackMessagePayload } from './slack-message-payload.js';

/** The fallback text of a message that holds only the footer. */
const FOOTER_ONLY_TEXT = 'Was this design helpful?';

/**
 * Appends `footer` to the last message of an answer, or, when that message has no room left for it
 * (Slack's 50 blocks), sends it as one more message. Depends only on the block counts, so a re-run
 * renders the same number of messages.
 */
export function withFooter(messages: SlackMessagePayload[], footer: KnownBlock[]): SlackMessagePayload[] {
  if (footer.length === 0) return messages;
  const last = messages.at(-1);
  if (!last || last.blocks.length + footer.length > SLACK_MAX_BLOCKS_PER_MESSAGE) {
    return [...messages, { text: FOOTER_ONLY_TEXT, blocks: footer }];
  }
  return [...messages.slice(0, -1), { ...last, blocks: [...last.blocks, ...footer] }];
}
