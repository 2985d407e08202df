import { afterEach, describe, expect, it } from 'vitest';
import { lastUserText } from '../fakes/anthropic-messages.js';
import { conversationOf } from '../support/model-requests.js';
import {
  CHANNEL_ID,
  mentionEvent,
  messageEvent,
  nextTs,
  TEAM_ID,
} from '../support/slack-payload-builders.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

let t: TestBot | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Sends a mention and waits until the bot has dealt with it (answered or refused). */
async function mentionHandled(bot: TestBot, text: string, options: { user?: string; ts?: string } = {}) {
  const before = bot.slack.calls.length;
  const ts = options.ts ?? nextTs();
  await bot.sendEvent(
    mentionEvent(`<@UBOT> ${text}`, { ts, ...(options.user ? { user: options.user } : {}) }),
  );
  await bot.slack.waitFor(
    (call) =>
      bot.slack.calls.indexOf(call) >= before &&
      (call.method === 'chat.update' ||
        call.method === 'chat.postEphemeral' ||
        call.method === 'response_url' ||
        (call.method === 'chat.postMessage' &&
          call.args.thread_ts === ts &&
          !String(call.args.text).includes('Working'))),
    { timeoutMs: 5_000 },
  );
  await bot.settle();
  return ts;
}

describe('ALLOWED_TEAM_IDS', () => {
  it('refuses another workspace politely, with no model call and nothing stored', async () => {
    t = await startTestBot({ ALLOWED_TEAM_IDS: 'TOTHER, TELSE' });
    const ts = await mentionHandled(t, 'design a cart');

    const refusal = t.slack.callsTo('chat.postEphemeral')[0];
    expect(String(refusal?.args.text)).toContain("isn't enabled for this workspace");
    expect(refusal?.args.user).toBe('U0ALICE');
    expect(t.anthropic.requests).toHaveLength(0);
    expect(await t.bot.store.isThreadKnown(CHANNEL_ID, ts)).toBe(false);
    expect(await t.bot.store.listTurns({ teamId: TEAM_ID, channelId: CHANNEL_ID, threadTs: ts })).toEqual([]);
  });

  it('answers a workspace on the list', async () => {
    t = await startTestBot({ ALLOWED_TEAM_IDS: `TOTHER,${TEAM_ID}` });
    await mentionHandled(t, 'design a cart');
    expect(t.anthropic.requests).toHaveLength(1);
  });
});

describe('RATE_LIMIT_PER_USER_PER_HOUR', () => {
  it('answers a user up to the limit, then says when they can ask again, without a model call', async () => {
    t = await startTestBot({ RATE_LIMIT_PER_USER_PER_HOUR: '2' });
    await mentionHandled(t, 'first');
    await mentionHandled(t, 'second');
    await mentionHandled(t, 'third');

    expect(t.anthropic.requests.map((request) => lastUserText(request.body))).toEqual(['first', 'second']);
    const refusal = t.slack.callsTo('chat.postEphemeral').at(-1);
    expect(String(refusal?.args.text)).toMatch(/2 times in the last hour.*ask again at \d\d:\d\d \(UTC\)/);

    // Someone else is not affected.
    await mentionHandled(t, 'from bob', { user: 'U0BOB' });
    expect(t.anthropic.requests).toHaveLength(3);
  });
});

describe('WORKSPACE_DAILY_TOKEN_BUDGET', () => {
  it('stops answering once the workspace used its tokens for the day, with a friendly message', async () => {
    t = await startTestBot({ WORKSPACE_DAILY_TOKEN_BUDGET: '1000' });
    t.anthropic.enqueue({ text: 'A big answer.', usage: { input_tokens: 900, output_tokens: 300 } });
    await mentionHandled(t, 'design a ledger');
    await mentionHandled(t, 'design a wallet');

    expect(t.anthropic.requests).toHaveLength(1);
    const refusal = t.slack.callsTo('chat.postEphemeral').at(-1);
    expect(String(refusal?.args.text)).toContain("used today's AI budget for this workspace");
  });
});

describe('MAX_REQUEST_CHARS', () => {
  it('cuts an over-long request before the model, tells the model, and shows a notice with the answer', async () => {
    t = await startTestBot({ MAX_REQUEST_CHARS: '300' });
    const long = Array.from({ length: 40 }, (_, i) => `line ${i} of a very long pasted spec`).join('\n');
    const ts = await mentionHandled(t, long);

    const sent = lastUserText(t.anthropic.requests[0]?.body ?? {});
    expect(sent.length).toBeLessThan(600);
    expect(sent.startsWith('line 0 of a very long pasted spec')).toBe(true);
    expect(sent).toContain(`this message was ${long.length.toLocaleString('en-US')} characters long`);
    const shown = JSON.stringify(t.slack.threadMessages(CHANNEL_ID, ts));
    expect(shown).toContain('more than I read at once');
  });
});

describe('@Architect forget', () => {
  it("deletes the thread's history and says so; a later follow-up starts fresh", async () => {
    t = await startTestBot();
    const rootTs = await mentionHandled(t, 'design a CRM');
    t.anthropic.defaultReply = { text: 'Fresh answer.' };
    const before = t.slack.calls.length;
    await t.sendEvent(mentionEvent('<@UBOT> forget', { threadTs: rootTs }));
    await t.slack.waitFor(
      (call) =>
        t?.slack.calls.indexOf(call) !== undefined &&
        t.slack.calls.indexOf(call) >= before &&
        String(call.args.text).includes('forgotten'),
    );
    await t.settle();

    expect(await t.bot.store.listTurns({ teamId: TEAM_ID, channelId: CHANNEL_ID, threadTs: rootTs })).toEqual(
      [],
    );
    expect(t.anthropic.requests).toHaveLength(1);

    await t.sendEvent(messageEvent('what about search?', { threadTs: rootTs }));
    await t.anthropic.waitFor(() => (t?.anthropic.requests.length ?? 0) === 2);
    await t.slack.waitFor(
      (call) => call.method === 'chat.update' && JSON.stringify(call.args).includes('Fresh answer.'),
    );
    await t.settle();
    expect(conversationOf(t.anthropic.requests[1]?.body)).toEqual([
      { role: 'user', content: 'what about search?' },
    ]);
  });
});

describe('ALLOWED_TEAM_IDS and slash commands', () => {
  it('refuses /architect from another workspace privately, before anything is posted in the channel', async () => {
    t = await startTestBot({ ALLOWED_TEAM_IDS: 'TOTHER' });
    const response = await t.sendCommand('design a cart');
    const body = (await response.json()) as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain("isn't enabled for this workspace");
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(t.anthropic.requests).toHaveLength(0);
  });
});
