import type { App } from '@slack/bolt';
import { FEEDBACK_ACTION_ID } from './answer-footer.js';
import { CANVAS_ACTION_ID } from './canvas-button.js';
import type { FeedbackDependencies } from './feedback-dependencies.js';
import { FEEDBACK_FORM_CALLBACK_ID } from './feedback-form.js';
import type { HandOffDependencies } from './hand-off-request.js';
import { acknowledgeOtherInteractions } from './listeners/acknowledge-interactions.js';
import { createAppHomeOpenedListener } from './listeners/app-home-opened.js';
import { createAppMentionListener } from './listeners/app-mention.js';
import { createArchitectCommandListener } from './listeners/architect-command.js';
import { createCanvasButtonListener } from './listeners/canvas-button.js';
import { createFeedbackButtonsListener } from './listeners/feedback-buttons.js';
import { createFeedbackFormListener } from './listeners/feedback-form.js';
import { createMessageListener } from './listeners/message.js';
import { createRetryButtonListener } from './listeners/retry-button.js';
import { RETRY_ACTION_ID } from './retry-button.js';

/** Wires every Slack listener of the bot onto a Bolt app. */
export function registerListeners(app: App, deps: HandOffDependencies, feedback: FeedbackDependencies): void {
  // `/architect`, or a renamed copy such as `/architect-dev` in a development app.
  app.command(/^\/architect/, createArchitectCommandListener(deps));
  app.event('app_mention', createAppMentionListener(deps));
  app.event('message', createMessageListener(deps));
  app.event('app_home_opened', createAppHomeOpenedListener(feedback));
  app.action(RETRY_ACTION_ID, createRetryButtonListener(deps));
  app.action(CANVAS_ACTION_ID, createCanvasButtonListener(deps));
  app.action(FEEDBACK_ACTION_ID, createFeedbackButtonsListener(feedback));
  app.view(FEEDBACK_FORM_CALLBACK_ID, createFeedbackFormListener(feedback));
  acknowledgeOtherInteractions(
    app,
    [RETRY_ACTION_ID, CANVAS_ACTION_ID, FEEDBACK_ACTION_ID],
    [FEEDBACK_FORM_CALLBACK_ID],
  );
}
