import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lastUserText } from '../fakes/anthropic-messages.js';
import { conversationOf } from '../support/model-requests.js';
import { CHANNEL_ID, mentionEvent, messageEvent, nextTs } from '../support/slack-payload-builders.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.close();
});

/** Texts of the bot's replies in a thread, as they read now. */
function botReplies(threadTs: string, channel = CHANNEL_ID): string[] {
  return t.slack
    .threadMessages(channel, threadTs)
    .map((message) => JSON.stringify(message.blocks ?? message.text));
}

describe('mentions', () => {
  it('answers a top-level mention in a thread under it, without the mention markup', async () => {
    const ts = nextTs();
    const response = await t.sendEvent(
      mentionEvent('<@UBOT> design a rate limiter for our public API', { ts }),
    );
    expect(response.status).toBe(200);

    await t.slack.waitFor((call) => call.method === 'chat.update');
    await t.settle();
    expect(lastUserText(t.anthropic.requests[0]?.body ?? {})).toBe(
      'design a rate limiter for our public API',
    );
    const replies = botReplies(ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('Echo: design a rate limiter for our public API');
    expect(t.slack.callsTo('chat.postMessage').every((call) => call.args.thread_ts === ts)).toBe(true);
  });

  it("answers a mention inside someone else's thread in that thread", async () => {
    const rootTs = nextTs();
    const ts = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT> how would you shard this?', { ts, threadTs: rootTs }));
    await t.slack.waitFor((call) => call.method === 'chat.update');
    await t.settle();
    expect(botReplies(rootTs)).toHaveLength(1);
    expect(t.slack.callsTo('chat.postMessage').every((call) => call.args.thread_ts === rootTs)).toBe(true);
  });

  it('shows usage in the thread for a bare mention, without calling the model', async () => {
    const ts = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT>', { ts }));
    const reply = await t.slack.waitFor((call) => call.method === 'chat.postMessage');
    expect(reply.args.thread_ts).toBe(ts);
    expect(String(reply.args.text)).toContain('/architect design a shopping cart service');
    expect(t.anthropic.requests).toHaveLength(0);
  });
});

describe('follow-ups', () => {
  it('answers a reply in its thread without a mention, with the whole thread as context', async () => {
    const rootTs = nextTs();
    t.anthropic.enqueue({ text: '## API Endpoints\n\nFIRST DESIGN' }, { text: 'Use active-active regions.' });
    await t.sendEvent(mentionEvent('<@UBOT> design a shopping cart service', { ts: rootTs }));
    await t.slack.waitFor((call) => call.method === 'chat.update');
    await t.settle();

    await t.sendEvent(messageEvent('what if we need multi-region?', { threadTs: rootTs }));
    await t.anthropic.waitFor((_request) => t.anthropic.requests.length === 2);
    await t.slack.waitFor(
      (call) => call.method === 'chat.update' && JSON.stringify(call.args).includes('active-active'),
    );
    await t.settle();

    const messages = conversationOf(t.anthropic.requests[1]?.body);
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(messages[0]?.content).toBe('design a shopping cart service');
    expect(messages[1]?.content).toContain('FIRST DESIGN');
    expect(messages[2]?.content).toBe('what if we need multi-region?');
    expect(botReplies(rootTs)).toHaveLength(2);
  });

  it('keeps what the thread cost: tokens and an estimated price, summed over its answers', async () => {
    const rootTs = nextTs();
    const usage = {
      input_tokens: 1000,
      output_tokens: 200,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    };
    t.anthropic.enqueue({ text: 'First.', usage }, { text: 'Second.', usage });
    await t.sendEvent(mentionEvent('<@UBOT> design a wiki', { ts: rootTs }));
    await t.slack.waitFor((call) => call.method === 'chat.update');
    await t.settle();
    await t.sendEvent(messageEvent('and search?', { threadTs: rootTs }));
    await t.slack.waitFor(
      (call) => call.method === 'chat.update' && JSON.stringify(call.args).includes('Second.'),
    );
    await t.settle();

    const totals = await t.bot.store.threadUsage({ teamId: 'T123', channelId: CHANNEL_ID, threadTs: rootTs });
    // claude-sonnet-5-5 at the Sonnet list price: $3 in, $15 out per million tokens.
    expect(totals).toMatchObject({
      answers: 2,
      inputTokens: 2000,
      outputTokens: 400,
      costMicroUsd: 2 * (3000 + 3000),
    });
  });

  it('ignores replies in threads the bot has no part in', async () => {
    const strangerThread = nextTs();
    await t.sendEvent(messageEvent('lunch anyone?', { threadTs: strangerThread }));
    await t.sendEvent(messageEvent('top-level chatter in the channel'));
    // A request sent afterwards is answered; by then the ignored posts have long been handled.
    const controlTs = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT> control request', { ts: controlTs }));
    await t.slack.waitFor((call) => call.method === 'chat.update');
    await t.settle();

    expect(t.anthropic.requests).toHaveLength(1);
    expect(lastUserText(t.anthropic.requests[0]?.body ?? {})).toBe('control request');
    expect(t.slack.calls.some((call) => call.args.thread_ts === strangerThread)).toBe(false);
  });
});

describe('direct messages', () => {
  it('answers a direct message in the DM', async () => {
    const ts = nextTs();
    await t.sendEvent(
      messageEvent('design a notification service', { ts, channel: 'D0DIRECT', channelType: 'im' }),
    );
    await t.slack.waitFor((call) => call.method === 'chat.update');
    await t.settle();
    expect(lastUserText(t.anthropic.requests[0]?.body ?? {})).toBe('design a notification service');
    const replies = t.slack.threadMessages('D0DIRECT', ts);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0]?.blocks)).toContain('Echo: design a notification service');
  });
});

describe('a reply that comes before the answer has started', () => {
  it('is a follow-up already, even while every answer slot is busy', async () => {
    await t.close();
    t = await startTestBot({ MAX_CONCURRENT_ANSWERS: '1' });
    t.anthropic.defaultReply = (request) => ({
      text: `Answer to: ${lastUserText(request.body)}`,
      chunkSize: 4,
      delayMsBetweenChunks: 10,
    });
    // A first thread takes the only answer slot for a while.
    await t.sendEvent(mentionEvent('<@UBOT> design a slow thing', { ts: nextTs() }));
    const rootTs = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT> design a queue', { ts: rootTs }));
    // The mention is handed off (its thread marked) but the worker has not taken it on: no placeholder.
    for (let poll = 0; poll < 200 && !(await t.bot.store.isThreadKnown(CHANNEL_ID, rootTs)); poll += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(t.slack.threadMessages(CHANNEL_ID, rootTs)).toEqual([]);
    await t.sendEvent(messageEvent('and retries?', { threadTs: rootTs }));

    await t.anthropic.waitFor(() => t.anthropic.requests.length === 3, { timeoutMs: 10_000 });
    await t.slack.waitFor(
      (call) => call.method === 'chat.update' && JSON.stringify(call.args).includes('and retries?'),
      {
        timeoutMs: 10_000,
      },
    );
    await t.settle();
    expect(conversationOf(t.anthropic.requests[2]?.body).map((message) => message.content)).toEqual([
      'design a queue',
      'Answer to: design a queue',
      'and retries?',
    ]);
  });
});
