import type { App } from '@slack/bolt';

/**
 * Acknowledges button clicks, shortcuts and view submissions the bot has no listener for, so Slack
 * gets its 200 at once instead of Bolt's 404 after three seconds. Bolt runs every listener that
 * matches, so actions and views that have listeners of their own are named in `handledActionIds`
 * and `handledCallbackIds` (a second ack would be an error).
 */
export function acknowledgeOtherInteractions(
  app: App,
  handledActionIds: readonly string[],
  handledCallbackIds: readonly string[] = [],
): void {
  const acknowledge = async ({ ack }: { ack: () => Promise<void> }) => {
    await ack();
  };
  const handled = new Set(handledActionIds);
  const handledViews = new Set(handledCallbackIds);
  app.action(/.*/, async ({ ack, action }) => {
    if (!('action_id' in action && handled.has(action.action_id))) await ack();
  });
  app.shortcut(/.*/, acknowledge);
  app.view(/.*/, async ({ ack, view }) => {
    if (!handledViews.has(view.callback_id)) await ack();
  });
}
