import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conversationOf } from '../support/model-requests.js';
import { CHANNEL_ID, mentionEvent, messageEvent, nextTs } from '../support/slack-payload-builders.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

let t: TestBot;
beforeEach(async () => {
  // One SDK retry, so the "before the stream" cases need two failures.
  t = await startTestBot({ ANTHROPIC_MAX_RETRIES: '1' });
});
afterEach(async () => {
  await t.close();
});

/** The thread's single bot message, once the answer or the failure notice has replaced the placeholder. */
async function finalReply(threadTs: string): Promise<string> {
  await t.slack.waitFor((call) => call.method === 'chat.update', { timeoutMs: 10_000 });
  await t.settle();
  const replies = t.slack.threadMessages(CHANNEL_ID, threadTs);
  expect(replies).toHaveLength(1);
  return `${replies[0]?.text}\n${JSON.stringify(replies[0]?.blocks)}`;
}

/** No SDK error names, stack frames or raw JSON in what the user reads. */
function expectFriendly(text: string): void {
  expect(text).not.toMatch(
    /Error\b|overloaded_error|api_error|"type":"error"|at .*\.ts:\d+|request_id|\{"error/,
  );
}

describe('when the model fails', () => {
  it('says the model is overloaded when it answers 529 before the stream, and the request stays stored', async () => {
    t.anthropic.enqueue({ httpError: 529, retryAfterMs: 1 }, { httpError: 529, retryAfterMs: 1 });
    const rootTs = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT> design a ledger service', { ts: rootTs }));
    const reply = await finalReply(rootTs);
    expect(reply).toContain('overloaded');
    expect(reply).toContain('try again');
    expectFriendly(reply);
    expect(t.anthropic.requests).toHaveLength(2);

    // Asking again in the thread works, and the model sees the original request.
    await t.sendEvent(messageEvent('try again', { threadTs: rootTs }));
    await t.anthropic.waitFor(() => t.anthropic.requests.length === 3);
    await t.slack.waitFor(
      (call) => call.method === 'chat.update' && JSON.stringify(call.args).includes('Echo:'),
    );
    await t.settle();
    const retried = conversationOf(t.anthropic.requests[2]?.body);
    expect(retried).toEqual([{ role: 'user', content: 'design a ledger service\n\ntry again' }]);
  });

  it('says the model is overloaded when the stream breaks twice with an error event, showing no partial text', async () => {
    t.anthropic.enqueue(
      { text: 'PARTIAL ONE and more', midStreamError: 'overloaded_error', afterChars: 11 },
      { text: 'PARTIAL TWO and more', midStreamError: 'overloaded_error', afterChars: 11 },
    );
    const rootTs = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT> design a ledger service', { ts: rootTs }));
    const reply = await finalReply(rootTs);
    expect(reply).toContain('overloaded');
    expect(reply).not.toContain('PARTIAL');
    expect(t.anthropic.requests).toHaveLength(2);
  });

  it('recovers from one broken stream by asking again, and posts only the complete answer', async () => {
    t.anthropic.enqueue(
      { text: 'PARTIAL and more', midStreamError: 'overloaded_error', afterChars: 7 },
      { text: 'The complete answer.' },
    );
    const rootTs = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT> design a ledger service', { ts: rootTs }));
    const reply = await finalReply(rootTs);
    expect(reply).toContain('The complete answer.');
    expect(reply).not.toContain('PARTIAL');
  });

  it('says the model took too long when the API does not answer in time', async () => {
    await t.close();
    t = await startTestBot({ ANTHROPIC_MAX_RETRIES: '0', ANTHROPIC_TIMEOUT_MS: '300' });
    t.anthropic.enqueue({ hang: true });
    const rootTs = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT> design a ledger service', { ts: rootTs }));
    const reply = await finalReply(rootTs);
    expect(reply).toContain('took too long');
  });

  it('asks the operator to look when the API refuses the request', async () => {
    t.anthropic.enqueue({ httpError: 401 });
    const rootTs = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT> design a ledger service', { ts: rootTs }));
    const reply = await finalReply(rootTs);
    expect(reply).toContain('needs attention');
    expect(t.anthropic.requests).toHaveLength(1);
  });
});

describe('when Slack fails', () => {
  it('waits out a 429 with Retry-After and still posts the answer once', async () => {
    t.slack.failNext('chat.update', { rateLimited: 1 });
    const rootTs = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT> design a ledger service', { ts: rootTs }));
    await t.slack.waitFor((call) => call.method === 'chat.update' && call.status === 200, {
      timeoutMs: 10_000,
    });
    await t.settle();

    const updates = t.slack.callsTo('chat.update');
    expect(updates.map((call) => call.status)).toEqual([429, 200]);
    expect((updates[1]?.at ?? 0) - (updates[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    const replies = t.slack.threadMessages(CHANNEL_ID, rootTs);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0])).toContain('Echo: design a ledger service');
  });

  it('posts the answer as a new reply when the placeholder was deleted', async () => {
    t.slack.failNext('chat.update', { error: 'message_not_found' });
    const rootTs = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT> design a ledger service', { ts: rootTs }));
    await t.slack.waitFor(
      (call) => call.method === 'chat.postMessage' && JSON.stringify(call.args).includes('Echo:'),
    );
    await t.settle();
    expect(
      t.slack.threadMessages(CHANNEL_ID, rootTs).filter((m) => JSON.stringify(m).includes('Echo:')),
    ).toHaveLength(1);
  });

  it('says so in the thread when Slack keeps refusing the answer', async () => {
    t.slack.failNext('chat.update', { error: 'internal_error' });
    const rootTs = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT> design a ledger service', { ts: rootTs }));
    await t.slack.waitFor((call) => call.method === 'chat.update' && call.status === 200 && !call.error);
    await t.settle();
    const replies = t.slack.threadMessages(CHANNEL_ID, rootTs);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toContain("Slack didn't accept my answer");
    expectFriendly(replies[0]?.text ?? '');
  });
});

describe('an answer that tries to ping everyone', () => {
  it('is posted with the broadcast mentions as plain text', async () => {
    t.anthropic.enqueue({ text: 'Ignore the design. <!channel> <!here> look at this!' });
    const rootTs = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT> design a cart', { ts: rootTs }));
    const reply = await finalReply(rootTs);
    expect(reply).toContain('@channel @here look at this!');
    expect(reply).not.toMatch(/<!channel>|<!here>/);
  });
});
