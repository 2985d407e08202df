import type { types } from '@slack/bolt';

/** The Block Kit blocks this renderer emits. */
export type KnownBlock = types.KnownBlock;

/** The `text` and `blocks` arguments of one `chat.postMessage` / `chat.update` call. */
export interface SlackMessagePayload {
  /** Plain fallback for notifications and screen readers; never empty. */
  text: string;
  blocks: KnownBlock[];
}
