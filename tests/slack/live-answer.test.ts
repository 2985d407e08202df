import { type Logger, LogLevel, webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import type { ThreadRef } from '../../src/core/conversation.js';
import type { Log } from '../../src/core/ports.js';
import { LiveAnswer, type LiveAnswerOptions } from '../../src/slack/live-answer.js';
import type { SlackMessagePayload } from '../../src/slack/render/render-answer.js';
import { SlackWritePacer } from '../../src/slack/slack-write-pacer.js';
import { LIVE_STATUS_TEXT } from '../../src/slack/user-messages.js';
import {
  type FakeSlack,
  type FakeSlackOptions,
  type RecordedSlackCall,
  startFakeSlack,
} from '../fakes/slack-web-api.js';

const THREAD: ThreadRef = { teamId: 'T123', channelId: 'C0001', threadTs: '1699999999.000100' };
const WRITES = new Set(['chat.startStream', 'chat.appendStream', 'chat.stopStream', 'chat.update']);

const fakes: FakeSlack[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

const noLog: Log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
function silent(): Logger {
  const noop = () => {};
  return {
    debug: noop,
    info: noop,
    warn: noop,
    error: noop,
    setLevel: noop,
    getLevel: () => LogLevel.ERROR,
    setName: noop,
  };
}

async function setUp(
  fakeOptions: FakeSlackOptions = {},
  options: Partial<LiveAnswerOptions> = {},
): Promise<{ slack: FakeSlack; live: LiveAnswer; placeholderTs: string; client: webApi.WebClient }> {
  const slack = await startFakeSlack(fakeOptions);
  fakes.push(slack);
  const client = new webApi.WebClient('xoxb-test', {
    slackApiUrl: slack.url,
    retryConfig: { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 50 },
    logger: silent(),
  });
  const placeholder = await client.chat.postMessage({
    channel: THREAD.channelId,
    thread_ts: THREAD.threadTs,
    text: 'working on it',
  });
  const placeholderTs = placeholder.ts ?? '';
  const live = new LiveAnswer({
    client,
    thread: THREAD,
    recipientUserId: 'U0001',
    placeholderTs,
    log: noLog,
    pacer: new SlackWritePacer({}),
    // Most tests here time the writes themselves; the delay before the first one has tests of its own.
    firstWriteDelayMs: 0,
    ...options,
  });
  return { slack, live, placeholderTs, client };
}

/** Feeds `text` in `pieces` deltas, `everyMs` apart, as a model would stream it. */
async function feed(live: LiveAnswer, text: string, pieces: number, everyMs: number): Promise<void> {
  const size = Math.ceil(text.length / pieces);
  for (let at = 0; at < text.length; at += size) {
    live.onText(text.slice(at, at + size));
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The most writes any one message got in any 1-second window, leaving out `exclude`. */
function maxWritesPerMessagePerSecond(
  calls: readonly RecordedSlackCall[],
  exclude: (c: RecordedSlackCall) => boolean,
): number {
  const byMessage = new Map<string, number[]>();
  for (const call of calls) {
    if (!WRITES.has(call.method) || call.method === 'chat.startStream' || exclude(call)) continue;
    const ts = String(call.args.ts);
    byMessage.set(ts, [...(byMessage.get(ts) ?? []), call.at]);
  }
  let max = 0;
  for (const times of byMessage.values()) {
    for (const start of times)
      max = Math.max(max, times.filter((t) => t >= start && t < start + 1_000).length);
  }
  return max;
}

const final = (text: string): SlackMessagePayload => ({ text, blocks: [{ type: 'markdown', text }] });

describe('LiveAnswer', () => {
  it('shows the first words as a stream to the asker within a second, and removes the placeholder', async () => {
    const { slack, live, placeholderTs } = await setUp();
    live.begin();
    const firstToken = Date.now();
    live.onText('## API Endpoints\n');

    const start = await slack.waitFor((call) => call.method === 'chat.startStream' && call.status === 200);

    expect(start.at - firstToken).toBeLessThan(1_000);
    expect(start.args).toMatchObject({
      channel: THREAD.channelId,
      thread_ts: THREAD.threadTs,
      recipient_user_id: 'U0001',
      recipient_team_id: 'T123',
      markdown_text: '## API Endpoints\n',
    });
    await slack.waitFor((call) => call.method === 'chat.delete' && call.args.ts === placeholderTs);
    await live.finish([final('## API Endpoints\nDone.')]);
  });

  it('puts an answer finished within the first-write delay straight over the placeholder, with no stream', async () => {
    const { slack, live, placeholderTs } = await setUp({}, { firstWriteDelayMs: 400 });
    live.begin();
    live.onText('Which region do your users mostly live in?');

    const posted = await live.finish([final('Which region do your users mostly live in?')]);

    expect(posted).toEqual([placeholderTs]);
    expect(slack.callsTo('chat.startStream')).toEqual([]);
    expect(slack.callsTo('chat.delete')).toEqual([]);
    expect(slack.callsTo('chat.update').map((call) => call.args.ts)).toEqual([placeholderTs]);
  });

  it('still hands out the placeholder for a notice when the final answer could not go over it', async () => {
    const { slack, live, placeholderTs } = await setUp({}, { firstWriteDelayMs: 400 });
    live.onText('A short answer.');
    slack.failNext('chat.update', { error: 'internal_error' });

    await expect(live.finish([final('A short answer.')])).rejects.toThrow();

    expect(await live.abandon()).toBe(placeholderTs);
    expect(slack.threadMessages(THREAD.channelId, THREAD.threadTs).map((m) => m.ts)).toEqual([placeholderTs]);
  });

  it('holds the first write for the first-write delay, then streams', async () => {
    const { slack, live } = await setUp({}, { firstWriteDelayMs: 300 });
    live.begin();
    const firstToken = Date.now();
    live.onText('## API Endpoints\n');

    const start = await slack.waitFor((call) => call.method === 'chat.startStream' && call.status === 200);

    expect(start.at - firstToken).toBeGreaterThanOrEqual(300);
    await live.finish([final('## API Endpoints\nDone.')]);
  });

  it('shows the loading status while no text has arrived, ignores a refused status, clears it at the end', async () => {
    const { slack, live } = await setUp();
    live.begin();
    await slack.waitFor((call) => call.method === 'assistant.threads.setStatus');
    expect(slack.threadStatus(THREAD.channelId, THREAD.threadTs)).toBe(LIVE_STATUS_TEXT);
    slack.failNext('assistant.threads.setStatus', { error: 'missing_scope' });

    live.onText('Hello.');
    await live.finish([final('Hello.')]);

    expect(slack.callsTo('assistant.threads.setStatus').map((call) => call.args.status)).toEqual([
      LIVE_STATUS_TEXT,
      '',
    ]);
    expect(slack.threadMessages(THREAD.channelId, THREAD.threadTs).map((m) => m.text)).toEqual(['Hello.']);
  });

  it('batches a fast stream into at most one write a second per message, losing nothing', async () => {
    const { slack, live } = await setUp();
    const text = Array.from({ length: 60 }, (_, i) => `Line ${i} of the design.`).join('\n');
    await feed(live, text, 60, 40);
    await new Promise((resolve) => setTimeout(resolve, 1_100));

    const [streamed] = slack.threadMessages(THREAD.channelId, THREAD.threadTs);
    expect(streamed?.text).toBe(text);
    expect(slack.callsTo('chat.appendStream').length).toBeLessThan(6);
    expect(maxWritesPerMessagePerSecond(slack.calls, () => false)).toBe(1);
    await live.finish([final(text)]);
  });

  it('ends in the rendered form: streams stopped, messages edited, extra ones posted, nothing twice', async () => {
    const { slack, live } = await setUp();
    live.onText('Part one, streamed.');
    await slack.waitFor((call) => call.method === 'chat.startStream');

    const posted = await live.finish([final('Part one.'), final('Part two.')]);

    const thread = slack.threadMessages(THREAD.channelId, THREAD.threadTs);
    expect(thread.map((m) => m.text)).toEqual(['Part one.', 'Part two.']);
    expect(thread.map((m) => m.ts)).toEqual(posted);
    expect(thread.every((m) => !m.streaming)).toBe(true);
    expect(slack.calls.filter((call) => call.error)).toEqual([]);
  });

  it('falls back to editing the placeholder when Slack refuses streaming', async () => {
    const { slack, live, placeholderTs } = await setUp({ refuseStreaming: 'feature_not_enabled' });
    await feed(live, 'The design, shown by chat.update.', 4, 50);
    await slack.waitFor((call) => call.method === 'chat.update' && call.args.ts === placeholderTs);
    await live.finish([final('The design, final.')]);

    const thread = slack.threadMessages(THREAD.channelId, THREAD.threadTs);
    expect(thread.map((m) => m.ts)).toEqual([placeholderTs]);
    expect(thread[0]?.text).toBe('The design, final.');
    const [firstUpdate] = slack.callsTo('chat.update');
    const blocks = firstUpdate?.args.blocks as Array<{ type: string; text: string }>;
    expect(blocks).toHaveLength(1);
    expect(blocks[0]?.type).toBe('markdown');
    expect('The design, shown by chat.update.'.startsWith(blocks[0]?.text ?? 'x')).toBe(true);
  });

  it('carries on with chat.update when the stream expires mid-answer', async () => {
    const { slack, live } = await setUp({ streamIdleMs: 150 });
    live.onText('Before the pause. ');
    const start = await slack.waitFor((call) => call.method === 'chat.startStream');
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    live.onText('After the pause.');
    await slack.waitFor((call) => call.method === 'chat.update' && call.status === 200, { timeoutMs: 3_000 });

    const ts =
      (start.args.ts as string | undefined) ?? slack.threadMessages(THREAD.channelId, THREAD.threadTs)[0]?.ts;
    expect(slack.threadMessages(THREAD.channelId, THREAD.threadTs).map((m) => m.text)).toEqual([
      'Before the pause. After the pause.',
    ]);
    expect(slack.callsTo('chat.appendStream').at(-1)?.error).toBe('message_not_in_streaming_state');
    expect(ts).toBeDefined();
    await live.finish([final('Before the pause. After the pause.')]);
  });

  it('rolls a long answer over to new messages at section boundaries, each within the limit', async () => {
    const { slack, live } = await setUp(
      {},
      { softLimitChars: 150, hardLimitChars: 260, minWriteIntervalMs: 50 },
    );
    const sections = [
      'Intro line.',
      ...[1, 2, 3, 4].map((n) => `## Section ${n}\n${Array(10).fill(`Text of section ${n}.`).join(' ')}`),
    ];
    const text = sections.join('\n\n');
    // Past its soft limit a message takes whole lines only; the final line ends here with a line break.
    await feed(live, `${text}\n`, 40, 15);
    await slack.waitFor((call) => String(call.args.markdown_text).endsWith('Text of section 4.\n'));

    const shown = slack.threadMessages(THREAD.channelId, THREAD.threadTs);
    expect(shown.length).toBeGreaterThan(1);
    expect(shown.every((m) => m.text.length <= 260)).toBe(true);
    expect(shown.slice(1).every((m) => m.text.startsWith('## Section'))).toBe(true);
    expect(shown.map((m) => m.text.trim()).join('\n\n')).toBe(text);
    await live.finish(shown.map((m) => final(m.text)));
    expect(slack.threadMessages(THREAD.channelId, THREAD.threadTs).every((m) => !m.streaming)).toBe(true);
  });

  it('deletes streamed messages beyond what the rendered answer needs', async () => {
    const { slack, live } = await setUp(
      {},
      { softLimitChars: 40, hardLimitChars: 60, minWriteIntervalMs: 20 },
    );
    await feed(
      live,
      'First paragraph of text.\n\nSecond paragraph of text.\n\nThird paragraph here.',
      10,
      30,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(slack.threadMessages(THREAD.channelId, THREAD.threadTs).length).toBeGreaterThan(1);

    await live.finish([final('All of it in one message.')]);

    expect(slack.threadMessages(THREAD.channelId, THREAD.threadTs).map((m) => m.text)).toEqual([
      'All of it in one message.',
    ]);
  });

  it('removes the streamed messages the final render did not reach when Slack refuses one part', async () => {
    const { slack, live } = await setUp(
      {},
      { softLimitChars: 40, hardLimitChars: 60, minWriteIntervalMs: 20 },
    );
    await feed(
      live,
      'First paragraph of text.\n\nSecond paragraph of text.\n\nThird paragraph here.',
      10,
      30,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(slack.threadMessages(THREAD.channelId, THREAD.threadTs).length).toBeGreaterThan(1);
    // The first part goes over the first streamed message; Slack refuses the second.
    slack.failNext('chat.update', { error: 'invalid_blocks' }, { after: 1 });

    await expect(live.finish([final('Part one.'), final('Part two.')])).rejects.toThrow();

    expect(slack.threadMessages(THREAD.channelId, THREAD.threadTs).map((m) => m.text)).toEqual(['Part one.']);
  });

  it('pauses a rate-limited message for its Retry-After without holding up the final answer', async () => {
    const { slack, live, client } = await setUp();
    const writeClient = new webApi.WebClient('xoxb-test', {
      slackApiUrl: slack.url,
      rejectRateLimitedCalls: true,
      logger: silent(),
    });
    const paused = new LiveAnswer({
      client,
      writeClient,
      thread: THREAD,
      recipientUserId: 'U0001',
      log: noLog,
      pacer: new SlackWritePacer({}),
      firstWriteDelayMs: 0,
      minWriteIntervalMs: 50,
    });
    await live.dismiss();
    paused.onText('## API Endpoints\n');
    await slack.waitFor((call) => call.method === 'chat.startStream' && call.status === 200);
    slack.failNext('chat.appendStream', { rateLimited: 30 });
    await feed(paused, 'one line of the design\n'.repeat(8), 8, 60);

    const finishing = Date.now();
    await paused.finish([final('The whole design.')]);

    expect(Date.now() - finishing).toBeLessThan(3_000);
    const appends = slack.callsTo('chat.appendStream');
    expect(appends.map((call) => call.status)).toEqual([429]);
    expect(slack.threadMessages(THREAD.channelId, THREAD.threadTs).map((m) => m.text)).toContain(
      'The whole design.',
    );
  });

  it('starts over after a model restart without showing the first attempt twice', async () => {
    const { slack, live } = await setUp();
    live.onText('First attempt, broken');
    await slack.waitFor((call) => call.method === 'chat.startStream');
    live.onRestart();
    live.onText('Second attempt, whole.');
    await slack.waitFor(
      (call) => call.method === 'chat.update' && String(call.args.text).startsWith('Second'),
    );

    expect(slack.threadMessages(THREAD.channelId, THREAD.threadTs).map((m) => m.text)).toEqual([
      'Second attempt, whole.',
    ]);
    await live.finish([final('Second attempt, whole.')]);
  });

  it('takes over messages an earlier attempt streamed instead of starting new ones', async () => {
    const { slack, client, placeholderTs } = await setUp();
    const earlier = await client.chat.startStream({
      channel: THREAD.channelId,
      thread_ts: THREAD.threadTs,
      markdown_text: 'Half an answer from a worker that crashed',
      recipient_user_id: 'U0001',
      recipient_team_id: 'T123',
    });
    const live = new LiveAnswer({
      client,
      thread: THREAD,
      recipientUserId: 'U0001',
      placeholderTs,
      earlierTs: [earlier.ts ?? ''],
      log: noLog,
      pacer: new SlackWritePacer({}),
    });

    live.onText('The answer, written again.');
    await slack.waitFor((call) => call.method === 'chat.update' && call.args.ts === earlier.ts);
    await live.finish([final('The answer, written again.')]);

    expect(slack.callsTo('chat.startStream')).toHaveLength(1);
    expect(slack.threadMessages(THREAD.channelId, THREAD.threadTs).map((m) => m.text)).toEqual([
      'The answer, written again.',
    ]);
  });

  it('records each message it creates as soon as it exists', async () => {
    const recorded: string[][] = [];
    const { slack, live } = await setUp({}, { onMessages: async (ts) => void recorded.push([...ts]) });
    live.onText('Some text.');
    const start = await slack.waitFor((call) => call.method === 'chat.startStream');
    await live.finish([final('Some text.')]);

    const [message] = slack.threadMessages(THREAD.channelId, THREAD.threadTs);
    expect(recorded).toEqual([[message?.ts]]);
    expect(start.status).toBe(200);
  });

  it('waits out a 429 on a stream write without holding up the model', async () => {
    const { slack, live } = await setUp();
    live.onText('First. ');
    await slack.waitFor((call) => call.method === 'chat.startStream');
    slack.failNext('chat.appendStream', { rateLimited: 1 });
    const before = Date.now();
    for (let i = 0; i < 20; i += 1) live.onText(`Word ${i}. `);
    expect(Date.now() - before).toBeLessThan(50);
    await slack.waitFor((call) => call.method === 'chat.appendStream' && call.status === 200, {
      timeoutMs: 4_000,
    });

    const [limited, retried] = slack.callsTo('chat.appendStream');
    expect(limited?.status).toBe(429);
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(950);
    await live.finish([final('done')]);
  });

  it('yields while the workspace write budget is spent, and finishes without waiting for a slot', async () => {
    const pacer = new SlackWritePacer({ 'chat.appendStream': { calls: 1, perMs: 60_000 } });
    const { slack, live } = await setUp({}, { pacer });
    await feed(live, 'One. Two. Three. Four. Five. Six.', 6, 400);

    const finishing = Date.now();
    await live.finish([final('One to six.')]);

    expect(Date.now() - finishing).toBeLessThan(1_500);
    expect(slack.callsTo('chat.appendStream')).toHaveLength(1);
    expect(slack.threadMessages(THREAD.channelId, THREAD.threadTs).map((m) => m.text)).toEqual([
      'One to six.',
    ]);
  });

  it('edits the placeholder instead of streaming when streaming is switched off', async () => {
    const { slack, live, placeholderTs } = await setUp({}, { stream: false });
    await feed(live, 'Shown by editing the placeholder.', 3, 50);
    await live.finish([final('Final.')]);

    expect(slack.callsTo('chat.startStream')).toEqual([]);
    expect(slack.callsTo('chat.update')[0]?.args.ts).toBe(placeholderTs);
    expect(slack.threadMessages(THREAD.channelId, THREAD.threadTs).map((m) => m.ts)).toEqual([placeholderTs]);
  });

  it('abandons cleanly: streams stopped, only the first message kept for a notice', async () => {
    const { slack, live } = await setUp(
      {},
      { softLimitChars: 30, hardLimitChars: 50, minWriteIntervalMs: 20 },
    );
    await feed(live, 'A first paragraph here.\n\nA second paragraph there.\n\nMore.', 8, 40);
    await new Promise((resolve) => setTimeout(resolve, 150));

    const keep = await live.abandon();

    const thread = slack.threadMessages(THREAD.channelId, THREAD.threadTs);
    expect(thread.map((m) => m.ts)).toEqual([keep]);
    expect(thread.every((m) => !m.streaming)).toBe(true);
  });
});
