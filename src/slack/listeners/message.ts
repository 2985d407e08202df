import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { botUserIdOf } from '../bot-identity.js';
import { type HandOffDependencies, handOffRequest } from '../hand-off-request.js';
import { isPersonsNewPost, messageEventSchema } from '../slack-payloads.js';
import { readableSlackText } from '../slack-text.js';

type MessageArgs = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

/**
 * Messages the bot sees: a direct message is answered in the DM; a reply in a thread the bot is
 * answering in is a follow-up, mention or not. Anything else is ignored, at the cost of one
 * DynamoDB read for a reply in a thread.
 */
export function createMessageListener(deps: HandOffDependencies) {
  return async ({ event, body, client, context }: MessageArgs): Promise<void> => {
    const parsed = messageEventSchema.safeParse(event);
    if (!parsed.success || !isPersonsNewPost(parsed.data)) return;
    const message = parsed.data;
    if (!message.user) return;
    const isDirect = message.channel_type === 'im';
    const botUserId = botUserIdOf(context, body);
    // Mentions in channels arrive as `app_mention` too; that listener answers them.
    if (!isDirect && botUserId && message.text.includes(`<@${botUserId}`)) return;
    const threadTs = message.thread_ts ?? (isDirect ? message.ts : undefined);
    if (!threadTs) return;
    const text = readableSlackText(message.text, botUserId);
    if (text === '') return;

    let isFollowUp = false;
    try {
      isFollowUp =
        message.thread_ts !== undefined && (await deps.store.isThreadKnown(message.channel, threadTs));
    } catch (error) {
      // Without the store the bot cannot tell its threads from others': stay quiet rather than guess.
      deps.log.error('thread lookup failed; reply ignored', {
        channel: message.channel,
        thread: threadTs,
        error,
      });
      if (!isDirect) return;
    }
    if (!isDirect && !isFollowUp) return;
    await handOffRequest(
      client,
      {
        teamId: context.teamId ?? body.team_id,
        channelId: message.channel,
        userId: message.user,
        text,
        kind: isFollowUp ? 'follow-up' : 'request',
        source: { type: 'post', postTs: message.ts, threadTs },
      },
      deps,
    );
  };
}
