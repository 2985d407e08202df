import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { type AcceptPostDependencies, acceptPost } from '../accept-post.js';
import { botUserIdOf } from '../bot-identity.js';
import { isPersonsNewPost, mentionEventSchema } from '../slack-payloads.js';
import { readableSlackText } from '../slack-text.js';
import { usageText } from '../user-messages.js';
import { reportAcceptFailure } from './report-failure.js';

type MentionArgs = SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs;

/**
 * `@Architect <request>` anywhere: answered in the thread of that message (a top-level mention
 * starts a thread under it). A bare mention gets the usage text, without a model call.
 */
export function createAppMentionListener(deps: AcceptPostDependencies) {
  return async ({ event, body, client, context }: MentionArgs): Promise<void> => {
    const parsed = mentionEventSchema.safeParse(event);
    if (!parsed.success || !isPersonsNewPost(parsed.data)) return;
    const mention = parsed.data;
    const userId = mention.user;
    if (!userId) return;
    const thread = {
      teamId: context.teamId ?? body.team_id,
      channelId: mention.channel,
      threadTs: mention.thread_ts ?? mention.ts,
    };
    const text = readableSlackText(mention.text, botUserIdOf(context, body));
    try {
      if (text === '') {
        if (await deps.store.claimPost(mention.channel, mention.ts)) {
          await client.chat.postMessage({
            channel: mention.channel,
            thread_ts: thread.threadTs,
            text: usageText(),
          });
        }
        return;
      }
      const kind =
        mention.thread_ts && (await deps.store.isThreadKnown(mention.channel, mention.thread_ts))
          ? 'follow-up'
          : 'request';
      await acceptPost(client, { thread, postTs: mention.ts, userId, text, kind }, deps);
    } catch (error) {
      await reportAcceptFailure(client, thread, error, deps.log);
    }
  };
}
