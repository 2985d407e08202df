import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { type HandOffDependencies, handOffRequest } from '../hand-off-request.js';
import { slashCommandSchema } from '../slack-payloads.js';
import { readableSlackText } from '../slack-text.js';
import { isHelpRequest, usageText } from '../user-messages.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * `/architect <request>`: acks at once and hands the request off; the worker posts the visible root
 * message (who asked, what) and answers in its thread. `/architect` alone or `/architect help` shows
 * usage to that user only.
 */
export function createArchitectCommandListener(deps: HandOffDependencies) {
  return async ({ command, ack, client, context }: CommandArgs): Promise<void> => {
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
    await handOffRequest(
      client,
      {
        teamId: context.teamId ?? teamId,
        channelId,
        userId,
        text,
        kind: 'request',
        source: {
          type: 'command',
          commandId: parsed.data.trigger_id,
          command: parsed.data.command,
          responseUrl: parsed.data.response_url,
        },
      },
      deps,
    );
  };
}
