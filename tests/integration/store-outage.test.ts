import { afterEach, describe, expect, it } from 'vitest';
import { type LocalDynalite, startLocalDynalite } from '../../src/adapters/dynamodb/local-dynalite.js';
import { CHANNEL_ID, mentionEvent, nextTs } from '../support/slack-payload-builders.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

let t: TestBot | undefined;
let dynamo: LocalDynalite | undefined;
afterEach(async () => {
  await t?.close();
  await dynamo?.close();
});

describe('when DynamoDB is unavailable', () => {
  it('tells the thread to send the request again, in plain words, without a model call', async () => {
    dynamo = await startLocalDynalite();
    t = await startTestBot({ DYNAMODB_ENDPOINT: dynamo.endpoint });
    await dynamo.close();

    const rootTs = nextTs();
    const response = await t.sendEvent(mentionEvent('<@UBOT> design a cart', { ts: rootTs }));
    expect(response.status).toBe(200);
    const notice = await t.slack.waitFor(
      (call) => call.method === 'chat.postMessage' && call.args.thread_ts === rootTs,
      { timeoutMs: 15_000 },
    );
    await t.settle();

    expect(String(notice.args.text)).toContain("couldn't start on your request");
    expect(String(notice.args.text)).not.toMatch(/Error|ECONNREFUSED|DynamoDB/);
    expect(t.anthropic.requests).toHaveLength(0);
    expect(t.slack.threadMessages(CHANNEL_ID, rootTs)).toHaveLength(1);
  });
});
