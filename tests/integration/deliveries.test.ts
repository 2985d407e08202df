import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventEnvelope, mentionEvent, messageEvent, nextTs } from '../support/slack-payload-builders.js';
import { postSigned } from '../support/slack-signing.js';
import { SIGNING_SECRET, startTestBot, type TestBot } from '../support/test-bot.js';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.close();
});

/** Sends a control request and waits for its answer, so everything sent before it has been handled. */
async function controlRequestAnswered(): Promise<void> {
  const before = t.anthropic.requests.length;
  await t.sendEvent(mentionEvent('<@UBOT> control request', { ts: nextTs() }));
  await t.anthropic.waitFor(() => t.anthropic.requests.length > before);
  await t.slack.waitFor(
    (call) => call.method === 'chat.update' && JSON.stringify(call.args).includes('control request'),
  );
  await t.settle();
}

describe('each post is answered exactly once', () => {
  it('when Slack retries a delivery with X-Slack-Retry-Num', async () => {
    const event = mentionEvent('<@UBOT> design a feature flag service');
    const eventId = 'EvRETRIED1';
    await t.sendEvent(event, { eventId });
    const retry = await t.sendEvent(event, {
      eventId,
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry.status).toBe(200);
    await controlRequestAnswered();

    const asked = t.anthropic.requests.filter((request) =>
      JSON.stringify(request.body).includes('feature flag'),
    );
    expect(asked).toHaveLength(1);
    expect(t.slack.threadMessages('C0CHANNEL', event.ts)).toHaveLength(1);
  });

  it('when one post arrives as both app_mention and message', async () => {
    const rootTs = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT> design a search service', { ts: rootTs }));
    await t.slack.waitFor((call) => call.method === 'chat.update');
    await t.settle();

    const replyTs = nextTs();
    const text = '<@UBOT> and how do we reindex?';
    await Promise.all([
      t.sendEvent(mentionEvent(text, { ts: replyTs, threadTs: rootTs })),
      t.sendEvent(messageEvent(text, { ts: replyTs, threadTs: rootTs })),
    ]);
    await controlRequestAnswered();

    const asked = t.anthropic.requests.filter((request) =>
      JSON.stringify(request.body).includes('how do we reindex'),
    );
    expect(asked).toHaveLength(1);
    expect(t.slack.threadMessages('C0CHANNEL', rootTs)).toHaveLength(2);
  });
});

describe('the same post under two event ids', () => {
  it('is answered once, because the post itself is claimed, not the delivery', async () => {
    const rootTs = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT> design a search service', { ts: rootTs }));
    await t.slack.waitFor((call) => call.method === 'chat.update');
    await t.settle();

    const reply = messageEvent('what about typo tolerance?', { ts: nextTs(), threadTs: rootTs });
    await Promise.all([
      t.sendEvent(reply, { eventId: 'EvFIRST' }),
      t.sendEvent(reply, { eventId: 'EvSECOND' }),
    ]);
    await controlRequestAnswered();

    const asked = t.anthropic.requests.filter((request) =>
      JSON.stringify(request.body).includes('typo tolerance'),
    );
    expect(asked).toHaveLength(1);
    expect(t.slack.threadMessages('C0CHANNEL', rootTs)).toHaveLength(2);
  });
});

describe('signatures', () => {
  it('refuses a forged signature with 401 and does nothing', async () => {
    const body = JSON.stringify(eventEnvelope(mentionEvent('<@UBOT> design a cart')));
    const response = await postSigned(t.url, body, 'application/json', {
      signingSecret: SIGNING_SECRET,
      signature: `v0=${'0'.repeat(64)}`,
    });
    expect(response.status).toBe(401);
    await controlRequestAnswered();
    expect(t.anthropic.requests).toHaveLength(1);
    expect(t.slack.calls.filter((call) => JSON.stringify(call.args).includes('design a cart'))).toHaveLength(
      0,
    );
  });

  it('refuses a request signed with another secret with 401', async () => {
    const body = JSON.stringify(eventEnvelope(mentionEvent('<@UBOT> design a cart')));
    const response = await postSigned(t.url, body, 'application/json', { signingSecret: 'not-the-secret' });
    expect(response.status).toBe(401);
  });

  it('refuses a stale (replayed) timestamp with 401 and does nothing', async () => {
    const body = JSON.stringify(eventEnvelope(mentionEvent('<@UBOT> design a cart')));
    const response = await postSigned(t.url, body, 'application/json', {
      signingSecret: SIGNING_SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 10 * 60,
    });
    expect(response.status).toBe(401);
    await controlRequestAnswered();
    expect(t.anthropic.requests).toHaveLength(1);
  });
});

describe('posts that never trigger an answer', () => {
  it('ignores bot messages, its own messages, edits, deletions and other subtypes in a thread it answers in', async () => {
    const rootTs = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT> design a cart', { ts: rootTs }));
    await t.slack.waitFor((call) => call.method === 'chat.update');
    await t.settle();
    const thread = { threadTs: rootTs };

    await t.sendEvent(
      messageEvent('from another bot', { ...thread, extra: { bot_id: 'BOTHER', subtype: 'bot_message' } }),
    );
    await t.sendEvent(messageEvent('bot without subtype', { ...thread, extra: { bot_id: 'BOTHER' } }));
    await t.sendEvent(messageEvent('my own answer', { ...thread, user: 'UBOT', extra: { bot_id: 'BBOT' } }));
    await t.sendEvent(
      messageEvent('', {
        ...thread,
        extra: { subtype: 'message_changed', message: { text: 'edited text', ts: rootTs } },
      }),
    );
    await t.sendEvent(
      messageEvent('', { ...thread, extra: { subtype: 'message_deleted', deleted_ts: rootTs } }),
    );
    await t.sendEvent(messageEvent('joined', { ...thread, extra: { subtype: 'channel_join' } }));
    await t.sendEvent({ ...mentionEvent('<@UBOT> a bot mentioning me', thread), bot_id: 'BOTHER' });
    await controlRequestAnswered();

    expect(t.anthropic.requests).toHaveLength(2);
    expect(t.slack.threadMessages('C0CHANNEL', rootTs)).toHaveLength(1);
  });
});

describe('interactivity', () => {
  it('acknowledges a button click it has no use for at once with a quiet 200', async () => {
    const payload = {
      type: 'block_actions',
      team: { id: 'T123', domain: 'acme' },
      user: { id: 'U0ALICE', team_id: 'T123' },
      api_app_id: 'A0ARCHITECT',
      token: 'legacy',
      trigger_id: '1.2.3',
      container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0CHANNEL' },
      channel: { id: 'C0CHANNEL', name: 'backend' },
      actions: [
        { type: 'button', action_id: 'unknown_button', block_id: 'b1', action_ts: '1700000001.000001' },
      ],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const started = Date.now();
    const response = await postSigned(t.url, body, 'application/x-www-form-urlencoded', {
      signingSecret: SIGNING_SECRET,
    });
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(t.anthropic.requests).toHaveLength(0);
  });
});
