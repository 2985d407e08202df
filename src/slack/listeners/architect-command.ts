import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { type HandOffDependencies, handOffRequest, isTeamAllowed } from '../hand-off-request.js';
import { slackErrorCode } from '../post-thread-messages.js';
import { slashCommandSchema } from '../slack-payloads.js';
import { readableSlackText } from '../slack-text.js';
import {
  COULD_NOT_START_TEXT,
  isHelpRequest,
  NOT_ALLOWED_TEXT,
  NOT_IN_CHANNEL_TEXT,
  requestRootText,
  usageText,
} from '../user-messages.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** Slack errors that mean the bot may not post where the command was typed. */
const CANNOT_POST_HERE = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

/**
 * `/architect <request>`: acks at once, posts the visible root message (who asked, what) and hands
 * the request off as a post in that root's thread, so replies to it are follow-ups from the start
 * and queue behind the first answer. `/architect` alone or `/architect help` shows usage to that
 * user only. The root is the one Slack call on this ack path: a slash command is never retried.
 */
export function createArchitectCommandListener(deps: HandOffDependencies) {
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
    if (!isTeamAllowed(deps, context.teamId ?? teamId)) {
      // Refused before anything is posted in the channel: only the user sees it.
      deps.log.warn('request from a workspace that is not allowed', { team: context.teamId ?? teamId });
      await ack({ response_type: 'ephemeral', text: NOT_ALLOWED_TEXT });
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
      }).catch((respondError: unknown) => deps.log.warn('response_url failed', { error: respondError }));
      return;
    }
    if (!rootTs) return;
    await handOffRequest(
      client,
      {
        teamId: context.teamId ?? teamId,
        channelId,
        userId,
        text,
        kind: 'request',
        source: { type: 'post', postTs: rootTs, threadTs: rootTs },
      },
      deps,
    );
  };
}
