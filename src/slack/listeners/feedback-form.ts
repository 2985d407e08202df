import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { slackId } from '../../core/slack-identifiers.js';
import type { FeedbackDependencies } from '../feedback-dependencies.js';
import { parseFeedbackSubmission } from '../feedback-form.js';
import { isTeamAllowed } from '../hand-off-request.js';

type FormArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The thumbs-down form sent: checked, acked (which closes the modal), then stored against the same
 * answer and click. The comment is user text: it is stored, never logged.
 */
export function createFeedbackFormListener(
  deps: Pick<FeedbackDependencies, 'store' | 'log' | 'allowedTeamIds'>,
) {
  return async ({ ack, view, body, context }: FormArgs): Promise<void> => {
    const user = slackId.safeParse(body.user?.id);
    const feedback = user.success ? parseFeedbackSubmission(view, user.data) : null;
    await ack();
    if (!isTeamAllowed(deps, context.teamId ?? body.team?.id ?? '')) {
      deps.log.info('feedback form from another workspace ignored', { view: view.id });
      return;
    }
    if (!feedback) {
      deps.log.warn('malformed feedback form ignored', { view: view.id });
      return;
    }
    const fields = {
      team: feedback.thread.teamId,
      channel: feedback.thread.channelId,
      thread: feedback.thread.threadTs,
      post: feedback.postTs,
    };
    try {
      const stored = await deps.store.recordFeedback(feedback);
      deps.log.info('feedback details recorded', {
        ...fields,
        reasons: feedback.reasons ?? [],
        withComment: feedback.comment !== undefined,
        superseded: !stored,
      });
    } catch (error) {
      deps.log.error('feedback details not stored', { ...fields, error });
    }
  };
}
