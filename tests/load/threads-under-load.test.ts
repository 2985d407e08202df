import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lastUserText, type RecordedAnthropicRequest } from '../fakes/anthropic-messages.js';
import type { RecordedSlackCall } from '../fakes/slack-web-api.js';
import { conversationOf } from '../support/model-requests.js';
import { CHANNEL_ID, mentionEvent, messageEvent, nextTs } from '../support/slack-payload-builders.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

// 15 threads started at once: more than the in-process dispatcher's MAX_CONCURRENT_ANSWERS (default 8),
// so the threads past the eighth wait in its queue for a free slot while the first ones stream.
const THREADS = 15;
const FOLLOW_UPS_PER_THREAD = 2;
const POSTS = THREADS * (1 + FOLLOW_UPS_PER_THREAD);
const MAX_CONCURRENT_ANSWERS = 8;
// Each answer streams in 30 deltas, 15 ms apart (~0.45 s): follow-ups arrive while it is still streaming.
const CHUNKS_PER_ANSWER = 30;
const DELAY_MS_BETWEEN_CHUNKS = 15;
// A sanity bound, well under the 3 s Slack waits for an ack; speed targets belong to the benchmarks.
const ACK_BOUND_MS = 2500;
const SETTLE_TIMEOUT_MS = 15_000;

interface Post {
  readonly thread: number;
  /** 0 for the top-level mention, then 1, 2 for the follow-ups. */
  readonly index: number;
  readonly ts: string;
  readonly threadTs: string;
  /** Distinct per post; the model sees it (without the mention markup) as the last user message. */
  readonly text: string;
}

/** What the fake model answers to a request whose last user message is `text`. */
function answerTo(text: string): string {
  return `Answer to: ${text} (end)`;
}

/** The request an answer names, read back from a Slack message or a stored assistant turn. */
function answeredText(text: string): string | undefined {
  return /Answer to: (.*?) \(end\)/.exec(text)?.[1];
}

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

/** Polls `done` every 20 ms until it holds or `timeoutMs` passes; the assertions after it tell what is missing. */
async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Each entry counted; keys seen more than once come back with their count. */
function duplicatesOf(values: readonly string[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return Object.fromEntries([...counts].filter(([, count]) => count > 1));
}

/** Most intervals open at the same moment (an end at the same ms as a start does not overlap it). */
function peakOverlap(intervals: ReadonlyArray<{ start: number; end: number }>): number {
  const edges = intervals
    .flatMap(({ start, end }) => [
      { at: start, delta: 1 },
      { at: end, delta: -1 },
    ])
    .sort((a, b) => a.at - b.at || a.delta - b.delta);
  let open = 0;
  let peak = 0;
  for (const edge of edges) {
    open += edge.delta;
    peak = Math.max(peak, open);
  }
  return peak;
}

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
  t.anthropic.defaultReply = (request) => {
    const text = answerTo(lastUserText(request.body));
    return {
      text,
      chunkSize: Math.ceil([...text].length / CHUNKS_PER_ANSWER),
      delayMsBetweenChunks: DELAY_MS_BETWEEN_CHUNKS,
    };
  };
});
afterEach(async () => {
  await t.close();
});

describe('threads under load', () => {
  it('answers every post of 15 concurrent threads once, in order per thread, with fast acks', async () => {
    // Arrange: 15 threads of a mention and two follow-ups each, every post with its own author and text.
    const threads: Post[][] = Array.from({ length: THREADS }, (_, thread) => {
      const threadTs = nextTs();
      return Array.from({ length: 1 + FOLLOW_UPS_PER_THREAD }, (_, index) => ({
        thread,
        index,
        ts: index === 0 ? threadTs : nextTs(),
        threadTs,
        text: `thread ${thread + 1} post ${index + 1}: how should we partition table t${thread + 1}?`,
      }));
    });
    const posts = threads.flat();
    const postByText = new Map(posts.map((post) => [post.text, post]));
    const userOf = (post: Post) => `U0LOAD${String(post.thread + 1).padStart(2, '0')}`;

    const ackMs: number[] = [];
    const failedAcks: string[] = [];
    const followUpsSentAt = new Map<Post, number>();
    const send = async (event: Record<string, unknown>, label: string): Promise<void> => {
      const started = performance.now();
      const response = await t.sendEvent(event);
      await response.text();
      ackMs.push(performance.now() - started);
      if (response.status !== 200) failedAcks.push(`${label}: HTTP ${response.status}`);
    };

    // Act: all threads at once. Slack delivers a channel mention twice (`app_mention` and, with
    // `message.channels`, a `message`), so each thread starts with two requests: 15 x 2 + 30 = 60.
    // A follow-up is sent as soon as the thread's placeholder is up: only then is the thread the bot's
    // (the worker claims it before posting the placeholder), and its first answer is still streaming.
    const startedAt = Date.now();
    await Promise.all(
      threads.map(async ([root, ...followUps]) => {
        if (!root) return;
        const text = `<@UBOT> ${root.text}`;
        const options = { ts: root.ts, user: userOf(root) };
        await Promise.all([
          send(mentionEvent(text, options), `${root.text} (app_mention)`),
          send(messageEvent(text, options), `${root.text} (message)`),
        ]);
        await t.slack.waitFor(
          (call) => call.method === 'chat.postMessage' && call.args.thread_ts === root.threadTs,
          { timeoutMs: SETTLE_TIMEOUT_MS },
        );
        for (const followUp of followUps) {
          followUpsSentAt.set(followUp, Date.now());
          await send(
            messageEvent(followUp.text, {
              ts: followUp.ts,
              threadTs: followUp.threadTs,
              user: userOf(followUp),
            }),
            followUp.text,
          );
        }
      }),
    );
    const answerUpdates = () =>
      t.slack.callsTo('chat.update').filter((call) => answeredText(JSON.stringify(call.args)) !== undefined);
    await waitUntil(() => answerUpdates().length >= POSTS, SETTLE_TIMEOUT_MS);
    await t.settle();
    const elapsedMs = Date.now() - startedAt;

    const modelRequests = t.anthropic.requests.filter((request) => request.path === '/v1/messages');
    const requestFor = new Map<Post, RecordedAnthropicRequest>();
    for (const request of modelRequests) {
      const post = postByText.get(lastUserText(request.body));
      if (post) requestFor.set(post, request);
    }
    const answerUpdateFor = new Map<Post, RecordedSlackCall>();
    for (const call of answerUpdates()) {
      const post = postByText.get(answeredText(JSON.stringify(call.args)) ?? '');
      if (post) answerUpdateFor.set(post, call);
    }
    // From the model request to the answer replacing the placeholder: within the job's dispatcher slot.
    const inFlight = (post: Post) => ({
      start: requestFor.get(post)?.at ?? 0,
      end: answerUpdateFor.get(post)?.at ?? 0,
    });
    const peak = peakOverlap(posts.map(inFlight));

    // The ack latency of all 60 requests, for the record; only a generous bound is asserted.
    const sortedAcks = [...ackMs].sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms);
    console.log(
      `load: ${sortedAcks.length} acks, p50 ${round(percentile(sortedAcks, 50))} ms, ` +
        `p99 ${round(percentile(sortedAcks, 99))} ms, max ${round(sortedAcks.at(-1) ?? 0)} ms ` +
        `(${modelRequests.length} answers in ${elapsedMs} ms, at most ${peak} at once)`,
    );
    expect(failedAcks).toEqual([]);
    expect(sortedAcks).toHaveLength(THREADS * 2 + THREADS * FOLLOW_UPS_PER_THREAD);
    expect(sortedAcks.filter((ms) => ms >= ACK_BOUND_MS)).toEqual([]);

    // Every post reached the model exactly once: no duplicate, none lost.
    const askedTexts = modelRequests.map((request) => lastUserText(request.body));
    expect(duplicatesOf(askedTexts)).toEqual({});
    expect(posts.filter((post) => !askedTexts.includes(post.text)).map((post) => post.text)).toEqual([]);
    expect(askedTexts.filter((text) => !postByText.has(text))).toEqual([]);
    expect(modelRequests).toHaveLength(POSTS);

    // One bot message per post: its placeholder, replaced by its answer (each thread is checked below).
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(POSTS);
    expect(answerUpdates()).toHaveLength(POSTS);

    // Per thread, the posts reached the model in the order they were sent: `{ 3: [1, 3, 2] }` would be
    // thread 3 with its second follow-up answered before the first.
    const outOfOrder = Object.fromEntries(
      threads
        .map((thread) =>
          [...thread]
            .sort((a, b) => (requestFor.get(a)?.at ?? 0) - (requestFor.get(b)?.at ?? 0))
            .map((post) => post.index + 1),
        )
        .map((order, thread) => [thread + 1, order] as const)
        .filter(([, order]) => order.some((postNumber, position) => postNumber !== position + 1)),
    );
    expect.soft(outOfOrder, 'threads whose posts reached the model out of order').toEqual({});

    for (const thread of threads) {
      const [root, ...followUps] = thread;
      // In Slack, the thread reads as its posts' answers, in the order of the posts.
      const shown = t.slack
        .threadMessages(CHANNEL_ID, root?.threadTs ?? '')
        .map((message) => answeredText(message.text) ?? `not an answer: ${message.text}`);
      expect.soft(shown, `bot messages in thread ${root?.threadTs}`).toEqual(thread.map((post) => post.text));

      for (const post of thread) {
        // Each request carried every earlier post of its thread and its answer, and nothing later.
        const earlier = thread.slice(0, post.index);
        expect.soft(conversationOf(requestFor.get(post)?.body), `history of "${post.text}"`).toEqual([
          ...earlier.flatMap((before) => [
            { role: 'user', content: before.text },
            { role: 'assistant', content: answerTo(before.text) },
          ]),
          { role: 'user', content: post.text },
        ]);
      }
      // Never two of a thread in flight: each model request came after the thread's answer before it was up.
      expect
        .soft(peakOverlap(thread.map(inFlight)), `answers in flight at once in thread ${root?.threadTs}`)
        .toBe(1);
      // The follow-ups really did arrive while the thread's first answer was still on its way.
      const rootDone = root ? (answerUpdateFor.get(root)?.at ?? 0) : 0;
      for (const followUp of followUps) {
        expect
          .soft(followUpsSentAt.get(followUp) ?? Number.POSITIVE_INFINITY, `"${followUp.text}" sent`)
          .toBeLessThan(rootDone);
      }
    }

    // Threads ran side by side, never more at once than the dispatcher's cap.
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(MAX_CONCURRENT_ANSWERS);

    const errors = t.logs
      .map((line) => JSON.parse(line) as { level?: unknown; message?: unknown })
      .filter((entry) => entry.level === 'error');
    expect(errors).toEqual([]);
  }, 30_000);
});
