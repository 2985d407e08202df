import { afterEach, describe, expect, it } from 'vitest';
import { lastUserText } from '../fakes/anthropic-messages.js';
import { mentionEvent, nextTs } from '../support/slack-payload-builders.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

let t: TestBot | undefined;
afterEach(async () => {
  await t?.close();
});

/** Sends two mentions and waits for both answers. */
async function twoMentionsAnswered(bot: TestBot): Promise<void> {
  for (const text of ['design a queue', 'design a cache']) {
    await bot.sendEvent(mentionEvent(`<@UBOT> ${text}`, { ts: nextTs() }));
    await bot.slack.waitFor(
      (call) => call.method === 'chat.update' && JSON.stringify(call.args).includes(text),
    );
  }
  await bot.settle();
}

describe("the bot's own user id", () => {
  it('is looked up with auth.test once, not per request, when SLACK_BOT_USER_ID is not set', async () => {
    t = await startTestBot();
    await twoMentionsAnswered(t);
    expect(t.slack.callsTo('auth.test')).toHaveLength(1);
    expect(lastUserText(t.anthropic.requests[1]?.body ?? {})).toBe('design a cache');
  });

  it('is taken from SLACK_BOT_USER_ID without any Slack round trip, and still strips the mention', async () => {
    t = await startTestBot({ SLACK_BOT_USER_ID: 'UBOT' });
    await twoMentionsAnswered(t);
    expect(t.slack.callsTo('auth.test')).toHaveLength(0);
    expect(lastUserText(t.anthropic.requests[0]?.body ?? {})).toBe('design a queue');
  });
});
