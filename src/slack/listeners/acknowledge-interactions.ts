import type { App } from '@slack/bolt';

/**
 * Acknowledges button clicks, shortcuts and view submissions the bot has no listener for, so Slack
 * gets its 200 at once instead of Bolt's 404 after three seconds. Bolt runs every listener that
 * matches, so actions that have listeners of their own are named in `handledActionIds`.
 */
export function acknowledgeOtherInteractions(app: App, handledActionIds: readonly string[]): void {
  const acknowledge = async ({ ack }: { ack: () => Promise<void> }) => {
    await ack();
  };
  const handled = new Set(handledActionIds);
  app.action(/.*/, async ({ ack, action }) => {
    if (!('action_id' in action && handled.has(action.action_id))) await ack();
  });
  app.shortcut(/.*/, acknowledge);
  app.view(/.*/, acknowledge);
}
