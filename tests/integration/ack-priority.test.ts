import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACK_MAX_HOLD_MS } from '../../src/adapters/in-process/ack-traffic.js';
import { mentionEvent } from '../support/slack-payload-builders.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

let t: TestBot;

beforeEach(async () => {
  t = await startTestBot();
});

afterEach(async () => {
  await t.close();
});

/** A Slack request whose body is still arriving: the bot has it in flight until `finish`. */
function openRequest(url: string): { finish(): Promise<number> } {
  const body = '{"type":"event_callback"}';
  const call = httpRequest(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
  });
  const status = new Promise<number>((resolve, reject) => {
    call.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    call.on('error', reject);
  });
  call.write(body.slice(0, 5));
  return {
    finish() {
      call.end(body.slice(5));
      return status;
    },
  };
}

describe('acks first', () => {
  it('holds a new answer while another Slack request is being acknowledged, then answers it', async () => {
    t.anthropic.enqueue({ text: '## API endpoints\n\nPOST /v1/carts' });
    const inFlight = openRequest(t.url);
    // Give the bot the open request before the mention.
    await new Promise((resolve) => setTimeout(resolve, 50));

    const mention = await t.sendEvent(mentionEvent('<@UBOT> design a cart service'));
    await mention.arrayBuffer();
    // Well inside the longest hold: nothing may have been started for the mention yet.
    await new Promise((resolve) => setTimeout(resolve, ACK_MAX_HOLD_MS / 3));
    // (Bolt's own `auth.test`, on the ack path, learns the bot's ids: not part of the answer.)
    const slackCallsWhileHeld = t.slack.calls.filter((call) => call.method !== 'auth.test').length;
    const modelCallsWhileHeld = t.anthropic.requests.length;
    // Unsigned: refused, which ends it all the same.
    const status = await inFlight.finish();
    await t.slack.waitFor(
      (call) => call.method === 'chat.update' && JSON.stringify(call.args).includes('POST /v1/carts'),
    );

    expect(mention.status).toBe(200);
    expect(slackCallsWhileHeld).toBe(0);
    expect(modelCallsWhileHeld).toBe(0);
    expect(status).toBe(401);
  });
});
