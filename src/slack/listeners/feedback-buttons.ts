import type { AllMiddlewareArgs, BlockFeedbackButtonsAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AnswerFeedback } from '../../core/feedback.js';
import { isSlackTs, slackId } from '../../core/slack-identifiers.js';
import { type FeedbackValue, parseFeedbackValue } from '../answer-footer.js';
import type { FeedbackDependencies } from '../feedback-dependencies.js';
import { feedbackFormView } from '../feedback-form.js';
import { isTeamAllowed } from '../hand-off-request.js';
import { FEEDBACK_NOTED_TEXT, FEEDBACK_THANKS_TEXT } from '../user-messages.js';

type FeedbackArgs = SlackActionMiddlewareArgs<BlockFeedbackButtonsAction> & AllMiddlewareArgs;

/**
 * A click on an answer's thumbs-up or thumbs-down: acked at once, then stored (one conditional
 * write, the user's latest click wins) and counted. A thumbs-up gets a private thanks; a thumbs-down
 * opens the form asking what was wrong, which must happen while the click's trigger id is fresh
 * (3 seconds), so it goes side by side with the write; if the form cannot open, a private thanks.
 */
export function createFeedbackButtonsListener(deps: FeedbackDependencies) {
  return async ({ ack, action, body, client, context }: FeedbackArgs): Promise<void> => {
    await ack();
    const target = parseFeedbackValue(action.value);
    const user = slackId.safeParse(body.user?.id);
    const userId = user.success ? user.data : undefined;
    if (!isTeamAllowed(deps, context.teamId ?? body.team?.id ?? '')) {
      deps.log.info('feedback click from another workspace ignored', { action: action.action_id });
      return;
    }
    if (!target || !userId || !isSlackTs(action.action_ts)) {
      deps.log.warn('feedback click without a usable target ignored', { action: action.action_id });
      return;
    }
    const feedback: AnswerFeedback = {
      thread: { teamId: target.team, channelId: target.channel, threadTs: target.thread },
      postTs: target.post,
      userId,
      rating: target.rating,
      clickTs: action.action_ts,
    };
    const fields = logFields(target);
    const tellPrivately = (text: string) =>
      client.chat
        .postEphemeral({ channel: target.channel, user: userId, thread_ts: target.thread, text })
        .then(() => undefined)
        .catch((error: unknown) => deps.log.warn('feedback reply not posted', { ...fields, error }));

    const stored = storeFeedback(feedback, deps, fields);
    if (target.rating === 'positive') {
      await Promise.all([stored, tellPrivately(FEEDBACK_THANKS_TEXT)]);
      return;
    }
    const opened = client.views
      .open({
        trigger_id: body.trigger_id,
        view: feedbackFormView({ ...target, click: action.action_ts }),
      })
      .then(() => true)
      .catch((error: unknown) => {
        // Most often `expired_trigger_id`: the click took longer than 3 seconds to reach us.
        deps.log.warn('feedback form not opened', { ...fields, error });
        return false;
      });
    const [formOpened] = await Promise.all([opened, stored]);
    if (!formOpened) await tellPrivately(FEEDBACK_NOTED_TEXT);
  };
}

async function storeFeedback(
  feedback: AnswerFeedback,
  deps: FeedbackDependencies,
  fields: Record<string, string>,
): Promise<void> {
  try {
    const stored = await deps.store.recordFeedback(feedback);
    deps.telemetry.feedbackGiven(feedback.rating);
    deps.log.info('feedback recorded', { ...fields, rating: feedback.rating, superseded: !stored });
  } catch (error) {
    deps.log.error('feedback not stored', { ...fields, rating: feedback.rating, error });
  }
}

/** Ids of the answer a click is about; never any text. */
export function logFields(target: Omit<FeedbackValue, 'rating'>): Record<string, string> {
  return { team: target.team, channel: target.channel, thread: target.thread, post: target.post };
}
