import * as z from 'zod/mini';
import { slackId as id, slackTs as ts } from '../core/slack-identifiers.js';

/** The fields of a post (a message or a mention) the bot relies on. */
const postFields = {
  subtype: z.optional(z.string()),
  bot_id: z.optional(z.string()),
  user: z.optional(id),
  text: z._default(z.string(), ''),
  ts,
  thread_ts: z.optional(ts),
  channel: id,
};

/** The fields of an `app_mention` event the bot relies on. */
export const mentionEventSchema = z.object({ type: z.literal('app_mention'), ...postFields });
export type MentionEvent = z.infer<typeof mentionEventSchema>;

/** The fields of a `message` event the bot relies on. */
export const messageEventSchema = z.object({
  type: z.literal('message'),
  ...postFields,
  channel_type: z.optional(z.enum(['channel', 'group', 'im', 'mpim', 'app_home'])),
});
export type MessageEvent = z.infer<typeof messageEventSchema>;

/** The fields of a slash command the bot relies on. */
export const slashCommandSchema = z.object({
  command: z.string().check(z.minLength(1)),
  text: z._default(z.string(), ''),
  user_id: id,
  channel_id: id,
  team_id: id,
});
export type SlashCommand = z.infer<typeof slashCommandSchema>;

/**
 * Message subtypes that are a person writing something new. Everything else (edits, deletions,
 * joins, bot messages, …) never triggers an answer.
 * https://docs.slack.dev/reference/events/message#subtypes
 */
const ANSWERABLE_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share']);

/** True when a message or mention is a person's new post, not a bot's or a change to an old one. */
export function isPersonsNewPost(event: { subtype?: string; bot_id?: string; user?: string }): boolean {
  return ANSWERABLE_SUBTYPES.has(event.subtype) && event.bot_id === undefined && event.user !== undefined;
}

/** The fields of an `app_home_opened` event the bot relies on. */
export const appHomeOpenedEventSchema = z.object({
  type: z.literal('app_home_opened'),
  user: id,
  tab: z.optional(z.string()),
  event_ts: z.optional(z.string().check(z.minLength(1), z.maxLength(40))),
});
