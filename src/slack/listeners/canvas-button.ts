import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { isSlackTs } from '../../core/slack-identifiers.js';
import { parseCanvasValue } from '../canvas-button.js';
import { type HandOffDependencies, handOffRequest } from '../hand-off-request.js';

type CanvasArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * A click on an answer's "Open as canvas" button: acked at once, then handed off like a request
 * (reading the thread and creating the canvas take seconds, more than Slack waits for the ack).
 */
export function createCanvasButtonListener(deps: HandOffDependencies) {
  return async ({ ack, action, body, client }: CanvasArgs): Promise<void> => {
    await ack();
    const target = parseCanvasValue(action.value);
    const buttonTs = body.message?.ts ?? target?.thread;
    if (!target || !buttonTs || !body.user?.id || !isSlackTs(buttonTs) || !isSlackTs(action.action_ts)) {
      deps.log.warn('canvas click without a usable target ignored', { action: action.action_id });
      return;
    }
    await handOffRequest(
      client,
      {
        teamId: target.team,
        channelId: target.channel,
        userId: body.user.id,
        text: '',
        kind: 'follow-up',
        source: { type: 'export', postTs: buttonTs, threadTs: target.thread, clickId: action.action_ts },
      },
      deps,
    );
  };
}
