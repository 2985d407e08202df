import * as z from 'zod/mini';
import type { ThreadRef } from '../core/conversation.js';
import { slackId, slackTs } from '../core/slack-identifiers.js';
import { parseButtonValue } from './button-value.js';
import type { KnownBlock } from './render/slack-message-payload.js';

/** The action id of the "Open as canvas" button under an answer. */
export const CANVAS_ACTION_ID = 'architect_open_canvas';

/** What the button carries: which thread to export (no text: that stays in the store). */
const canvasValueSchema = z.object({ team: slackId, channel: slackId, thread: slackTs });
export type CanvasValue = z.infer<typeof canvasValueSchema>;

/** An `actions` block with an "Open as canvas" button for the thread. */
export function canvasButtonBlock(thread: ThreadRef): KnownBlock {
  const value: CanvasValue = { team: thread.teamId, channel: thread.channelId, thread: thread.threadTs };
  return {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: CANVAS_ACTION_ID,
        text: { type: 'plain_text', text: ':page_facing_up: Open as canvas', emoji: true },
        value: JSON.stringify(value),
      },
    ],
  };
}

/** Reads an "Open as canvas" button's value back; null when it is not one of ours. */
export function parseCanvasValue(value: unknown): CanvasValue | null {
  return parseButtonValue(canvasValueSchema, value);
}
