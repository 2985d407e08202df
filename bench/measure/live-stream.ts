// Section 7: the live answer. The real worker code (`answerRequest` with a DynamoDBThreadStore on
// in-process dynalite, `ClaudeModel` through the Anthropic SDK and the WebClient the worker uses) answers
// ANSWERS requests at once, each in its own channel, while the loopback Anthropic fake streams a design
// at a realistic pace and the Slack fake enforces Slack's per-workspace method tiers with 429s. The fake
// records every Slack call with its arrival time; the figures come from those records.

import { ClaudeModel, createAnthropicClient } from '../../src/adapters/anthropic/claude-model.js';
import { createDynamoDBClients } from '../../src/adapters/dynamodb/create-dynamodb-clients.js';
import { DynamoDBThreadStore } from '../../src/adapters/dynamodb/dynamodb-thread-store.js';
import { startLocalDynalite } from '../../src/adapters/dynamodb/local-dynalite.js';
import { ensureThreadTable } from '../../src/adapters/dynamodb/thread-table.js';
import { loadArchitectPrompt } from '../../src/core/architect-prompt.js';
import type { IncomingRequest } from '../../src/core/conversation.js';
import { type ArchitectModel, noTelemetry } from '../../src/core/ports.js';
import { answerRequest } from '../../src/slack/answer-request.js';
import { createSlackWebClient } from '../../src/slack/slack-client-options.js';
import { startFakeAnthropic } from '../../tests/fakes/anthropic-messages.js';
import { type RateLimit, type RecordedSlackCall, startFakeSlack } from '../../tests/fakes/slack-web-api.js';
import { designAnswer } from '../harness/design-text.js';
import { round2 } from '../harness/latency-stats.js';
import { formatTable, ms, say, section, verdict } from '../harness/results-table.js';

/** Answers written at the same time, each in its own channel of one workspace. */
export const ANSWERS = 10;
/** Characters of each design (about 1,500 tokens). */
export const DESIGN_CHARS = 6_000;
/** The model's pace: 60 tokens a second, 4 characters a token. */
const CHARS_PER_TOKEN = 4;
const TOKENS_PER_SECOND = 60;
/** Targets. */
export const FIRST_TEXT_TARGET_MS = 1_000;
export const WRITES_PER_MESSAGE_PER_SECOND_TARGET = 1;

const TEAM = 'T0LIVE';
const USER = 'U0ALICE';
const MINUTE = 60_000;
/** Slack's tiers per workspace (https://docs.slack.dev/apis/web-api/rate-limits), as the fake enforces them. */
const SLACK_TIERS: Record<string, RateLimit> = {
  'chat.startStream': { writes: 20, perMs: MINUTE, retryAfterSeconds: 30 },
  'chat.appendStream': { writes: 100, perMs: MINUTE, retryAfterSeconds: 30 },
  'chat.stopStream': { writes: 20, perMs: MINUTE, retryAfterSeconds: 30 },
  'chat.update': { writes: 50, perMs: MINUTE, retryAfterSeconds: 30 },
  'chat.delete': { writes: 50, perMs: MINUTE, retryAfterSeconds: 30 },
};
const WRITES = new Set(['chat.startStream', 'chat.appendStream', 'chat.stopStream', 'chat.update']);

export interface LiveAnswerFigures {
  readonly channel: string;
  /** From the model's first token to the first Slack write carrying text. */
  readonly firstTextMs: number;
  /** Most writes to one message in any 1-second window while the model wrote (final writes excluded). */
  readonly maxWritesPerMessagePerSecond: number;
  readonly slackCalls: number;
  readonly modelMs: number;
}

export interface LiveStreamFigures {
  readonly answers: readonly LiveAnswerFigures[];
  readonly designChars: number;
  readonly charsPerSecond: number;
  readonly rateLimited: number;
  readonly errors: number;
  readonly ms: number;
}

/** Wraps the model to note when its first token and its end arrive. */
function timedModel(
  inner: ArchitectModel,
  times: Map<string, { firstToken?: number; end?: number }>,
  channelOf: (system: string, text: string) => string,
): ArchitectModel {
  return {
    countTokens: (messages) => inner.countTokens(messages),
    async streamAnswer(request) {
      const channel = channelOf(request.system, String(request.messages.at(-1)?.content ?? ''));
      const entry = times.get(channel) ?? {};
      times.set(channel, entry);
      try {
        return await inner.streamAnswer({
          ...request,
          onText: (delta) => {
            entry.firstToken ??= Date.now();
            request.onText?.(delta);
          },
        });
      } finally {
        entry.end = Date.now();
      }
    },
  };
}

/** The most writes any one message got in a 1-second window; `chat.startStream` counts for its message. */
function maxWritesPerSecond(calls: readonly RecordedSlackCall[]): number {
  const times = new Map<string, number[]>();
  let pendingStart: number | undefined;
  for (const call of calls) {
    if (!WRITES.has(call.method)) continue;
    if (call.method === 'chat.startStream') {
      pendingStart = call.at;
      continue;
    }
    const ts = String(call.args.ts);
    const list = times.get(ts) ?? [];
    if (pendingStart !== undefined && call.method !== 'chat.update') {
      list.push(pendingStart);
      pendingStart = undefined;
    }
    list.push(call.at);
    times.set(ts, list);
  }
  let max = pendingStart === undefined ? 0 : 1;
  for (const list of times.values()) {
    for (const start of list)
      max = Math.max(max, list.filter((at) => at >= start && at < start + 1_000).length);
  }
  return max;
}

function carriesText(call: RecordedSlackCall): boolean {
  if (call.status !== 200 || call.error) return false;
  if (call.method === 'chat.startStream') return String(call.args.markdown_text ?? '') !== '';
  return call.method === 'chat.update' || call.method === 'chat.appendStream';
}

export async function measureLiveStream(): Promise<LiveStreamFigures> {
  const started = performance.now();
  const charsPerSecond = CHARS_PER_TOKEN * TOKENS_PER_SECOND;
  const slack = await startFakeSlack({ teamId: TEAM, methodRateLimits: SLACK_TIERS });
  const anthropic = await startFakeAnthropic();
  const dynalite = await startLocalDynalite();
  const dynamo = createDynamoDBClients({ endpoint: dynalite.endpoint });
  try {
    const tableName = 'architect-bench-live';
    await ensureThreadTable(dynamo.client, tableName);
    const store = new DynamoDBThreadStore({ client: dynamo.documentClient, tableName });
    const channels = Array.from({ length: ANSWERS }, (_, i) => `C0LIVE${String(i).padStart(2, '0')}`);
    const times = new Map<string, { firstToken?: number; end?: number }>();
    // Each request names its channel, so the model wrapper knows which answer it is writing.
    const model = timedModel(
      new ClaudeModel({
        client: createAnthropicClient({
          apiKey: 'sk-ant-bench',
          baseURL: anthropic.url,
          timeoutMs: 60_000,
          maxRetries: 0,
        }),
        model: 'claude-sonnet-5-5',
        maxTokens: 4_000,
        streamIdleTimeoutMs: 30_000,
      }),
      times,
      (_system, text) => channels.find((channel) => text.includes(channel)) ?? 'unknown',
    );
    for (const [index] of channels.entries()) {
      anthropic.enqueue({
        text: designAnswer(index + 1, 'a live ledger', DESIGN_CHARS),
        chunkSize: CHARS_PER_TOKEN,
        delayMsBetweenChunks: Math.round(1_000 / TOKENS_PER_SECOND),
      });
    }
    const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    const client = createSlackWebClient('xoxb-bench', slack.url, {
      debug: () => {},
      info: () => {},
      warn: () => {},
      error: () => {},
      setLevel: () => {},
      getLevel: () => 'error' as never,
      setName: () => {},
    });
    const deps = {
      client,
      store,
      model,
      systemPrompt: await loadArchitectPrompt(),
      historyTokenBudget: 120_000,
      log: silent,
      telemetry: noTelemetry,
      liveAnswer: 'stream' as const,
    };
    await Promise.all(
      channels.map((channel, index) => {
        const postTs = `1800000000.${String((index + 1) * 100).padStart(6, '0')}`;
        const request: IncomingRequest = {
          teamId: TEAM,
          channelId: channel,
          userId: USER,
          text: `design a live ledger service (bench ${channel})`,
          kind: 'request',
          source: { type: 'post', postTs, threadTs: postTs },
        };
        return answerRequest(request, `bench-${channel}`, deps);
      }),
    );

    const answers = channels.map((channel): LiveAnswerFigures => {
      const calls = slack.calls.filter((call) => (call.args.channel ?? call.args.channel_id) === channel);
      const timing = times.get(channel) ?? {};
      const firstText = calls.find(carriesText)?.at ?? Number.NaN;
      const end = timing.end ?? Number.POSITIVE_INFINITY;
      return {
        channel,
        firstTextMs: firstText - (timing.firstToken ?? Number.NaN),
        maxWritesPerMessagePerSecond: maxWritesPerSecond(calls.filter((call) => call.at < end)),
        slackCalls: calls.length,
        modelMs: end - (timing.firstToken ?? end),
      };
    });
    return {
      answers,
      designChars: DESIGN_CHARS,
      charsPerSecond,
      rateLimited: slack.calls.filter((call) => call.status === 429).length,
      errors: slack.calls.filter((call) => call.error && call.status !== 429).length,
      ms: performance.now() - started,
    };
  } finally {
    dynamo.client.destroy();
    await Promise.all([slack.close(), anthropic.close(), dynalite.close()]);
  }
}

export function liveStreamPass(figures: LiveStreamFigures): boolean {
  return (
    figures.rateLimited === 0 &&
    figures.answers.every(
      (answer) =>
        answer.firstTextMs <= FIRST_TEXT_TARGET_MS &&
        answer.maxWritesPerMessagePerSecond <= WRITES_PER_MESSAGE_PER_SECOND_TARGET,
    )
  );
}

export function printLiveStream(figures: LiveStreamFigures): void {
  section(
    `7. Live answer: ${ANSWERS} answers at once (one workspace, a channel each), ${figures.designChars.toLocaleString('en-US')}-character ` +
      `designs streamed at ${figures.charsPerSecond} characters a second; Slack's method tiers enforced with 429s`,
  );
  say(
    formatTable(
      ['answer', 'first text after first token', 'max writes/message/s', 'Slack calls', 'model s'],
      figures.answers.map((answer) => [
        answer.channel,
        `${ms(answer.firstTextMs)} ms`,
        String(answer.maxWritesPerMessagePerSecond),
        String(answer.slackCalls),
        (answer.modelMs / 1000).toFixed(1),
      ]),
    ),
  );
  const worstFirst = Math.max(...figures.answers.map((answer) => answer.firstTextMs));
  const worstWrites = Math.max(...figures.answers.map((answer) => answer.maxWritesPerMessagePerSecond));
  say(
    formatTable(
      ['target', 'limit', 'actual', 'result'],
      [
        [
          'first text within 1 s of the first token (worst answer)',
          `${FIRST_TEXT_TARGET_MS} ms`,
          `${ms(worstFirst)} ms`,
          verdict(worstFirst <= FIRST_TEXT_TARGET_MS),
        ],
        [
          'writes per message per second, final writes excluded (worst)',
          String(WRITES_PER_MESSAGE_PER_SECOND_TARGET),
          String(worstWrites),
          verdict(worstWrites <= WRITES_PER_MESSAGE_PER_SECOND_TARGET),
        ],
        ['429 answers from Slack', '0', String(figures.rateLimited), verdict(figures.rateLimited === 0)],
      ],
    ),
  );
  say(`other Slack errors: ${figures.errors}; section took ${(figures.ms / 1000).toFixed(1)} s`);
}

export function liveStreamJson(figures: LiveStreamFigures): Record<string, unknown> {
  return {
    answers: ANSWERS,
    designChars: figures.designChars,
    charsPerSecond: figures.charsPerSecond,
    firstTextMs: figures.answers.map((answer) => round2(answer.firstTextMs)),
    maxWritesPerMessagePerSecond: figures.answers.map((answer) => answer.maxWritesPerMessagePerSecond),
    slackCallsPerAnswer: figures.answers.map((answer) => answer.slackCalls),
    rateLimited: figures.rateLimited,
    errors: figures.errors,
    seconds: round2(figures.ms / 1000),
  };
}
