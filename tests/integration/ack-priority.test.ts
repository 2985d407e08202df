import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACK_MAX_HOLD_MS } from '../../src/adapters/in-process/ack-traffic.js';
import { mentionEvent } from '../support/slack-payload-builders.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

let t: TestBot;
/** How long the test watches the held answer: a third of the longest hold. */
const HELD_FOR_MS = ACK_MAX_HOLD_MS / 3;

beforeEach(async () => {
  t = await startTestBot();
});

afterEach(async () => {
  await t.close();
});

describe('acks first', () => {
  it('holds a new answer while another Slack request is being acknowledged, then answers it', async () => {
    t.anthropic.enqueue({ text: '## API endpoints\n\nPOST /v1/carts' });
    // A signed command no listener acknowledges: Bolt keeps it open about 3 s before it answers it.
    const unacknowledged = t.sendCommand('what is the weather', { command: '/weather' });
    // Give the bot the open request before the mention.
    await new Promise((resolve) => setTimeout(resolve, 100));

    const mention = await t.sendEvent(mentionEvent('<@UBOT> design a cart service'));
    await mention.arrayBuffer();
    // Well inside the longest hold: nothing may have been started for the mention yet.
    await new Promise((resolve) => setTimeout(resolve, HELD_FOR_MS));
    // (Bolt's own `auth.test`, on the ack path, learns the bot's ids: not part of the answer.)
    const slackCallsWhileHeld = t.slack.calls.filter((call) => call.method !== 'auth.test').length;
    const modelCallsWhileHeld = t.anthropic.requests.length;
    // The longest hold passes before the command is answered: the mention is answered all the same.
    await t.slack.waitFor(
      (call) => call.method === 'chat.update' && JSON.stringify(call.args).includes('POST /v1/carts'),
    );
    await (await unacknowledged).arrayBuffer();

    expect(mention.status).toBe(200);
    expect(slackCallsWhileHeld).toBe(0);
    expect(modelCallsWhileHeld).toBe(0);
  });
});
