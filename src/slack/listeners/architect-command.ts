import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { type AcceptPostDependencies, acceptPost } from '../accept-post.js';
import { slackErrorCode } from '../post-thread-messages.js';
import { slashCommandSchema } from '../slack-payloads.js';
import { readableSlackText } from '../slack-text.js';
import {
  COULD_NOT_START_TEXT,
  failureText,
  isHelpRequest,
  NOT_IN_CHANNEL_TEXT,
  requestRootText,
  usageText,
} from '../user-messages.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

const CANNOT_POST_HERE = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

/**
 * `/architect <request>`: acks at once, posts a visible root message (who asked, what), and answers
 * in its thread. `/architect` alone or `/architect help` shows usage to that user only.
 */
export function createArchitectCommandListener(deps: AcceptPostDependencies) {
  return async ({ command, ack, respond, client, context }: CommandArgs): Promise<void> => {
    const parsed = slashCommandSchema.safeParse(command);
    if (!parsed.success) {
      await ack();
      deps.log.warn('malformed slash command ignored', { issues: parsed.error.issues.length });
      return;
    }
    const { user_id: userId, channel_id: channelId, team_id: teamId } = parsed.data;
    const text = readableSlackText(parsed.data.text);
    if (isHelpRequest(text)) {
      await ack({ response_type: 'ephemeral', text: usageText(parsed.data.command) });
      return;
    }
    await ack();

    let rootTs: string | undefined;
    try {
      const rootText = requestRootText(userId, text);
      const root = await client.chat.postMessage({
        channel: channelId,
        text: rootText,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: rootText.slice(0, 3000) } }],
        unfurl_links: false,
      });
      rootTs = root.ts;
    } catch (error) {
      const code = slackErrorCode(error);
      deps.log.warn('request root not posted', { channel: channelId, code, error });
      await respond({
        response_type: 'ephemeral',
        text: code && CANNOT_POST_HERE.has(code) ? NOT_IN_CHANNEL_TEXT : COULD_NOT_START_TEXT,
      });
      return;
    }
    if (!rootTs) return;

    const thread = { teamId: context.teamId ?? teamId, channelId, threadTs: rootTs };
    try {
      await acceptPost(
        client,
        { thread, postTs: rootTs, userId, text, kind: 'request', alreadyClaimed: true },
        deps,
      );
    } catch (error) {
      deps.log.error('request not accepted', { channel: channelId, thread: rootTs, error });
      await client.chat
        .postMessage({ channel: channelId, thread_ts: rootTs, text: failureText(error) })
        .catch((postError: unknown) => deps.log.error('failure message not posted', { error: postError }));
    }
  };
}
