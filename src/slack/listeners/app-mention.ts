import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { botUserIdOf } from '../bot-identity.js';
import { type HandOffDependencies, handOffRequest } from '../hand-off-request.js';
import { isPersonsNewPost, mentionEventSchema } from '../slack-payloads.js';
import { readableSlackText } from '../slack-text.js';

type MentionArgs = SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs;

/**
 * `@Architect <request>` anywhere: answered in the thread of that message (a top-level mention
 * starts a thread under it). A bare mention gets the usage text, without a model call.
 */
export function createAppMentionListener(deps: HandOffDependencies) {
  return async ({ event, body, client, context }: MentionArgs): Promise<void> => {
    const parsed = mentionEventSchema.safeParse(event);
    if (!parsed.success || !isPersonsNewPost(parsed.data)) return;
    const mention = parsed.data;
    if (!mention.user) return;
    await handOffRequest(
      client,
      {
        teamId: context.teamId ?? body.team_id,
        channelId: mention.channel,
        userId: mention.user,
        text: readableSlackText(mention.text, botUserIdOf(context, body)),
        // A mention may bring the bot into someone else's thread: the worker marks it as the bot's.
        kind: 'request',
        source: { type: 'post', postTs: mention.ts, threadTs: mention.thread_ts ?? mention.ts },
      },
      deps,
    );
  };
}
