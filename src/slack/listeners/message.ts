import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { type AcceptPostDependencies, acceptPost } from '../accept-post.js';
import { botUserIdOf } from '../bot-identity.js';
import { isPersonsNewPost, messageEventSchema } from '../slack-payloads.js';
import { readableSlackText } from '../slack-text.js';
import { reportAcceptFailure } from './report-failure.js';

type MessageArgs = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

/**
 * Messages the bot sees: a direct message is answered in the DM; a reply in a thread the bot is
 * answering in is a follow-up, mention or not. Anything else is ignored.
 */
export function createMessageListener(deps: AcceptPostDependencies) {
  return async ({ event, body, client, context }: MessageArgs): Promise<void> => {
    const parsed = messageEventSchema.safeParse(event);
    if (!parsed.success || !isPersonsNewPost(parsed.data)) return;
    const message = parsed.data;
    const userId = message.user;
    if (!userId) return;
    const isDirect = message.channel_type === 'im';
    const botUserId = botUserIdOf(context, body);
    // Mentions in channels arrive as `app_mention` too; that listener answers them.
    if (!isDirect && botUserId && message.text.includes(`<@${botUserId}`)) return;
    const threadTs = message.thread_ts ?? (isDirect ? message.ts : undefined);
    if (!threadTs) return;

    const thread = { teamId: context.teamId ?? body.team_id, channelId: message.channel, threadTs };
    const text = readableSlackText(message.text, botUserId);
    if (text === '') return;
    try {
      const isFollowUp =
        message.thread_ts !== undefined && (await deps.store.isThreadKnown(message.channel, threadTs));
      if (!isDirect && !isFollowUp) return;
      await acceptPost(
        client,
        { thread, postTs: message.ts, userId, text, kind: isFollowUp ? 'follow-up' : 'request' },
        deps,
      );
    } catch (error) {
      await reportAcceptFailure(client, thread, error, deps.log);
    }
  };
}
