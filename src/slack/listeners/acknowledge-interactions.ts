import type { App } from '@slack/bolt';

/**
 * Acknowledges button clicks, shortcuts and view submissions the bot has no listener for, so Slack
 * gets its 200 at once instead of Bolt's 404 after three seconds. Bolt runs every listener that
 * matches, so a feature that adds its own action listener must be excluded from these patterns.
 */
export function acknowledgeOtherInteractions(app: App): void {
  const acknowledge = async ({ ack }: { ack: () => Promise<void> }) => {
    await ack();
  };
  app.action(/.*/, acknowledge);
  app.shortcut(/.*/, acknowledge);
  app.view(/.*/, acknowledge);
}
