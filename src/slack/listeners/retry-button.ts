import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { isSlackTs } from '../../core/slack-identifiers.js';
import { type HandOffDependencies, handOffRequest } from '../hand-off-request.js';
import { parseRetryValue } from '../retry-button.js';

type RetryArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * A click on a failure message's Retry button: acked at once, then handed off like any request
 * (each click is one request; a second click while the first runs finds the answer already posted).
 */
export function createRetryButtonListener(deps: HandOffDependencies) {
  return async ({ ack, action, body, client }: RetryArgs): Promise<void> => {
    await ack();
    const target = parseRetryValue(action.value);
    const noticeTs = body.message?.ts;
    if (!target || !noticeTs || !body.user?.id || !isSlackTs(noticeTs)) {
      deps.log.warn('retry click without a usable target ignored', { action: action.action_id });
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
        source: {
          type: 'retry',
          postTs: target.post,
          threadTs: target.thread,
          noticeTs,
          clickId: action.action_ts,
        },
      },
      deps,
    );
  };
}
