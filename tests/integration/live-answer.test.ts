import { afterEach, describe, expect, it } from 'vitest';
import { renderAnswer } from '../../src/slack/render/render-answer.js';
import type { KnownBlock } from '../../src/slack/render/slack-message-payload.js';
import { LIVE_STATUS_TEXT } from '../../src/slack/user-messages.js';
import type { FakeSlackOptions, RecordedSlackCall } from '../fakes/slack-web-api.js';
import { CHANNEL_ID, mentionEvent, nextTs, TEAM_ID, USER_ID } from '../support/slack-payload-builders.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

let t: TestBot | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function bot(slack: FakeSlackOptions = {}, env: Record<string, string> = {}): Promise<TestBot> {
  t = await startTestBot({ LIVE_ANSWER: 'stream', ...env }, { slack });
  return t;
}

/** A design of `sections` sections of about `linesPerSection` lines, some of them in code fences. */
function design(sections: number, linesPerSection: number): string {
  return Array.from({ length: sections }, (_, s) =>
    [
      `## Section ${s}`,
      ...Array.from(
        { length: linesPerSection },
        (_, i) => `- point ${s}.${i}: the service keeps this part simple.`,
      ),
      '```sql',
      `CREATE TABLE t${s} (id bigint PRIMARY KEY);`,
      '```',
    ].join('\n'),
  ).join('\n\n');
}

/** Asks in a new thread and waits until the answer is settled; the thread's ts. */
async function ask(bot: TestBot, text = 'design a ledger service'): Promise<string> {
  const rootTs = nextTs();
  await bot.sendEvent(mentionEvent(`<@UBOT> ${text}`, { ts: rootTs }));
  await bot.slack.waitFor((call) => call.method === 'chat.postMessage', { timeoutMs: 5_000 });
  await bot.settle();
  return rootTs;
}

/** Blocks at the foot of every answer's last message. */
const ANSWER_FOOTER_BLOCKS = 3;

/**
 * The thread's messages equal the rendered answer, message for message, and none is still streaming. The
 * answer's foot (context line with the time taken, "Open as canvas", feedback) is taken from the last message.
 */
function expectFinalForm(bot: TestBot, rootTs: string, answer: string): void {
  const replies = bot.slack.threadMessages(CHANNEL_ID, rootTs);
  const footerBlocks = (replies.at(-1)?.blocks ?? []).slice(-ANSWER_FOOTER_BLOCKS) as KnownBlock[];
  expect(footerBlocks.map((block) => block.type)).toEqual(['context', 'actions', 'context_actions']);
  const rendered = renderAnswer(answer, { footerBlocks });
  expect(replies.map((reply) => reply.blocks)).toEqual(rendered.map((message) => message.blocks));
  expect(replies.every((reply) => !reply.streaming)).toBe(true);
}

const WRITES = new Set(['chat.appendStream', 'chat.stopStream', 'chat.update']);

/** The most writes to one message in any one-second window before the answer's final writes. */
function writesPerMessagePerSecond(calls: readonly RecordedSlackCall[]): number {
  const firstFinal = calls.findIndex((call) => call.method === 'chat.update' && isRendered(call));
  const live = firstFinal === -1 ? calls : calls.slice(0, firstFinal);
  const times = new Map<string, number[]>();
  for (const call of live) {
    if (!WRITES.has(call.method)) continue;
    const ts = String(call.args.ts);
    times.set(ts, [...(times.get(ts) ?? []), call.at]);
  }
  let max = 0;
  for (const list of times.values()) {
    for (const start of list)
      max = Math.max(max, list.filter((at) => at >= start && at < start + 1_000).length);
  }
  return max;
}

/** A final write carries the rendered answer: more than the one `markdown` block a live write has. */
function isRendered(call: RecordedSlackCall): boolean {
  const blocks = call.args.blocks as Array<{ type: string }> | undefined;
  return !(blocks?.length === 1 && blocks[0]?.type === 'markdown');
}

describe('the live answer in a channel', () => {
  it('streams the answer to the asker, one write a second per message, and ends in its final form', async () => {
    const b = await bot();
    const answer = design(3, 12);
    // About 2.5 s of streaming: the first words, then appends about once a second.
    b.anthropic.enqueue({ text: answer, chunkSize: 24, delayMsBetweenChunks: 30 });

    const rootTs = await ask(b);

    const [start] = b.slack.callsTo('chat.startStream');
    expect(start?.args).toMatchObject({
      channel: CHANNEL_ID,
      thread_ts: rootTs,
      recipient_user_id: USER_ID,
      recipient_team_id: TEAM_ID,
    });
    // The first words go with the start, and they are the answer's own beginning.
    expect(start?.args.markdown_text).toEqual(expect.stringMatching(/^## /));
    expect(answer.startsWith(String(start?.args.markdown_text))).toBe(true);
    expect(b.slack.callsTo('chat.appendStream').length).toBeGreaterThan(0);
    expect(writesPerMessagePerSecond(b.slack.calls)).toBe(1);
    expect(b.slack.calls.filter((call) => call.error)).toEqual([]);
    expectFinalForm(b, rootTs, answer);
    // The placeholder went once the stream showed text; the loading status was set, then cleared.
    const deleted = b.slack.callsTo('chat.delete');
    expect(deleted).toHaveLength(1);
    expect(deleted[0]?.at).toBeGreaterThanOrEqual(start?.at ?? Number.POSITIVE_INFINITY);
    expect(JSON.stringify(b.slack.threadMessages(CHANNEL_ID, rootTs))).not.toContain(
      'Working on your design',
    );
    expect(b.slack.callsTo('assistant.threads.setStatus')[0]?.args.status).toBe(LIVE_STATUS_TEXT);
    expect(b.slack.threadStatus(CHANNEL_ID, rootTs)).toBeUndefined();
  });

  it('edits the placeholder about once a second instead when the workspace refuses streaming', async () => {
    const b = await bot({ refuseStreaming: 'feature_not_enabled' });
    const answer = design(2, 10);
    b.anthropic.enqueue({ text: answer, chunkSize: 24, delayMsBetweenChunks: 20 });

    const rootTs = await ask(b);

    const placeholderTs = b.slack.threadMessages(CHANNEL_ID, rootTs)[0]?.ts;
    const liveUpdates = b.slack.callsTo('chat.update').filter((call) => !isRendered(call));
    expect(liveUpdates.length).toBeGreaterThan(0);
    expect(liveUpdates.every((call) => call.args.ts === placeholderTs)).toBe(true);
    expect(writesPerMessagePerSecond(b.slack.calls)).toBe(1);
    expect(b.slack.callsTo('chat.delete')).toEqual([]);
    expectFinalForm(b, rootTs, answer);
  });

  it('carries on with chat.update when the stream expires mid-answer', async () => {
    const b = await bot({ streamIdleMs: 200 });
    const answer = design(2, 10);
    b.anthropic.enqueue({ text: answer, chunkSize: 60, delayMsBetweenChunks: 250 });

    const rootTs = await ask(b);

    expect(
      b.slack.callsTo('chat.appendStream').some((call) => call.error === 'message_not_in_streaming_state'),
    ).toBe(true);
    expect(b.slack.callsTo('chat.update').filter((call) => !isRendered(call)).length).toBeGreaterThan(0);
    expectFinalForm(b, rootTs, answer);
  });

  it('rolls a long answer over to several streamed messages, and every one ends in its final form', async () => {
    const b = await bot();
    const answer = design(8, 70);
    expect(answer.length).toBeGreaterThan(25_000);
    // About 4.5 s: each write a second brings some 6,600 characters, past a message's soft limit.
    b.anthropic.enqueue({ text: answer, chunkSize: 400, delayMsBetweenChunks: 60 });

    const rootTs = await ask(b);

    expect(b.slack.callsTo('chat.startStream').length).toBeGreaterThan(1);
    expect(b.slack.calls.filter((call) => call.error)).toEqual([]);
    expectFinalForm(b, rootTs, answer);
  });

  it('waits out a 429 on a stream write and still shows the whole answer once', async () => {
    const b = await bot();
    const answer = design(2, 10);
    // About 4 s of streaming, so appends happen before and after the pause while the model writes.
    b.anthropic.enqueue({ text: answer, chunkSize: 24, delayMsBetweenChunks: 80 });
    b.slack.failNext('chat.appendStream', { rateLimited: 1 });

    const rootTs = await ask(b);

    const appends = b.slack.callsTo('chat.appendStream');
    const limited = appends[0];
    expect(limited?.status).toBe(429);
    const at = limited?.at ?? 0;
    // Nothing goes to that message for the Retry-After (1 s), and the stream carries on after it.
    expect(appends.filter((call) => call.at > at && call.at < at + 950)).toEqual([]);
    expect(appends.some((call) => call.at >= at + 950 && call.status === 200)).toBe(true);
    expectFinalForm(b, rootTs, answer);
  });

  it('finishes the half-streamed text when the model fails mid-answer: the notice and Retry replace it', async () => {
    const b = await bot({}, { ANTHROPIC_MAX_RETRIES: '0' });
    const text = design(2, 10);
    b.anthropic.enqueue(
      { text, midStreamError: 'overloaded_error', afterChars: 400, chunkSize: 40, delayMsBetweenChunks: 30 },
      { text, midStreamError: 'overloaded_error', afterChars: 400, chunkSize: 40, delayMsBetweenChunks: 30 },
    );

    const rootTs = await ask(b);

    expect(b.slack.callsTo('chat.startStream').length).toBeGreaterThan(0);
    const replies = b.slack.threadMessages(CHANNEL_ID, rootTs);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.streaming).toBe(false);
    expect(replies[0]?.text).toContain('overloaded');
    expect(JSON.stringify(replies[0]?.blocks)).toContain('"type":"button"');
    expect(JSON.stringify(replies[0])).not.toContain('point 0.0');
  });
});
