import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { FeedbackDependencies } from '../feedback-dependencies.js';
import { parseFeedbackSubmission } from '../feedback-form.js';

type FormArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The thumbs-down form sent: checked, acked (which closes the modal), then stored against the same
 * answer and click. The comment is user text: it is stored, never logged.
 */
export function createFeedbackFormListener(deps: Pick<FeedbackDependencies, 'store' | 'log'>) {
  return async ({ ack, view, body }: FormArgs): Promise<void> => {
    const feedback = parseFeedbackSubmission(view, body.user.id);
    await ack();
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
