import * as z from 'zod/mini';
import type { AnswerJob } from '../core/conversation.js';
import { slackId, slackTs } from '../core/slack-identifiers.js';
import { parseButtonValue } from './button-value.js';
import type { KnownBlock } from './render/slack-message-payload.js';

/** The action id of the Retry button on failure messages. */
export const RETRY_ACTION_ID = 'architect_retry';

/** What the button carries: which stored post to answer again (no text: that stays in the store). */
const retryValueSchema = z.object({ team: slackId, channel: slackId, thread: slackTs, post: slackTs });
export type RetryValue = z.infer<typeof retryValueSchema>;

/** An `actions` block with a Retry button for the job's post. */
export function retryButtonBlock(job: AnswerJob): KnownBlock {
  const value: RetryValue = {
    team: job.thread.teamId,
    channel: job.thread.channelId,
    thread: job.thread.threadTs,
    post: job.postTs,
  };
  return {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: RETRY_ACTION_ID,
        text: { type: 'plain_text', text: 'Retry', emoji: true },
        value: JSON.stringify(value),
      },
    ],
  };
}

/** Reads a Retry button's value back; null when it is not one of ours. */
export function parseRetryValue(value: unknown): RetryValue | null {
  return parseButtonValue(retryValueSchema, value);
}
