import type { App } from '@slack/bolt';
import { CANVAS_ACTION_ID } from './canvas-button.js';
import type { HandOffDependencies } from './hand-off-request.js';
import { acknowledgeOtherInteractions } from './listeners/acknowledge-interactions.js';
import { createAppMentionListener } from './listeners/app-mention.js';
import { createArchitectCommandListener } from './listeners/architect-command.js';
import { createCanvasButtonListener } from './listeners/canvas-button.js';
import { createMessageListener } from './listeners/message.js';
import { createRetryButtonListener } from './listeners/retry-button.js';
import { RETRY_ACTION_ID } from './retry-button.js';

/** Wires every Slack listener of the bot onto a Bolt app. */
export function registerListeners(app: App, deps: HandOffDependencies): void {
  // `/architect`, or a renamed copy such as `/architect-dev` in a development app.
  app.command(/^\/architect/, createArchitectCommandListener(deps));
  app.event('app_mention', createAppMentionListener(deps));
  app.event('message', createMessageListener(deps));
  app.action(RETRY_ACTION_ID, createRetryButtonListener(deps));
  app.action(CANVAS_ACTION_ID, createCanvasButtonListener(deps));
  acknowledgeOtherInteractions(app, [RETRY_ACTION_ID, CANVAS_ACTION_ID]);
}
