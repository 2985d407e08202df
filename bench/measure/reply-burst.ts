// Section 6: ack latency on a burst of signed thread replies in threads the bot knows, 20 in flight,
// each app side by side with a bare Bolt app that only acknowledges, in the same run.
//   local mode: the real startLocalBot over HTTP on 127.0.0.1 (Bolt answers Slack first, then the
//     same process looks the thread up, hands the reply off and, once the acks are quiet, answers it
//     against the fakes), in a
//     child process; the load generator is another child; the Slack and Anthropic fakes run here.
//   Lambda events function: the bundle called in-process with 20 handler calls outstanding; each
//     reply costs a GetItem (is the thread known) and a SendMessage before the handler returns.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDynamoDBClients } from '../../src/adapters/dynamodb/create-dynamodb-clients.js';
import { DynamoDBThreadStore } from '../../src/adapters/dynamodb/dynamodb-thread-store.js';
import { type FakeAnthropic, startFakeAnthropic } from '../../tests/fakes/anthropic-messages.js';
import { type FakeSlack, startFakeSlack } from '../../tests/fakes/slack-web-api.js';
import { eventEnvelope, mentionEvent } from '../../tests/support/slack-payload-builders.js';
import { postSigned } from '../../tests/support/slack-signing.js';
import {
  type BurstClientMessage,
  CHILD_SETTINGS,
  type LambdaBurstResult,
  postTs,
  type ServerChildMessage,
} from '../children/child-protocol.js';
import { BENCH_CHANNEL } from '../children/signed-slack-requests.js';
import type { AppName, BenchRun } from '../harness/bench-run.js';
import { WARM_TIMEOUT_MS } from '../harness/bench-run.js';
import { startIpcChild } from '../harness/ipc-child.js';
import { type LatencySummary, round2, summarize } from '../harness/latency-stats.js';
import { formatTable, latencyRow, ms, say, section, verdict } from '../harness/results-table.js';
import { runChild } from '../harness/run-child.js';

/** Timed thread replies per app. */
export const BURST_REPLIES = 600;
/** Replies in flight at once. */
export const BURST_CONCURRENCY = 20;
/** Threads the bot knows, which the replies go to in turn. */
export const KNOWN_THREADS = 30;
/** Untimed replies before the timed ones (the same pool), to open connections and warm the code. */
export const BURST_WARMUP = 20;
/** The bot's p99 at most this many times the bare app's, in local mode. */
export const LOCAL_ACK_RATIO_TARGET = 1.5;

const LOCAL_CHANNEL = 'C0BURST';
const SIGNING_SECRET = 'bench-burst-signing-secret';
const BOT_TOKEN = 'xoxb-bench-burst';
const BOT_USER_ID = 'UBOT';
/** What the Anthropic fake answers every request with: cheap to render and post, but a real answer. */
const SHORT_REPLY =
  'Use a token bucket per tenant in Redis, refilled every second, and return 429 with Retry-After when it is empty.';
/** Longest a local server child may take to start, drain or stop. */
const SERVER_TIMEOUT_MS = 60_000;

/** The Slack `ts` seconds of the local runs: apart from the Lambda runs' and growing. */
let localSeconds = 1_810_000_000;
function nextLocalSeconds(): number {
  localSeconds += 1;
  return localSeconds;
}

export interface BurstFigures {
  readonly latency: LatencySummary;
  /** Timed requests that did not get HTTP 200 (or threw). */
  readonly errors: number;
  readonly warmupErrors: number;
  /** From the first timed request to the last response. */
  readonly wallMs: number;
}

function burstFigures(
  requests: ReadonlyArray<{ status: number; ms: number }>,
  warmupStatuses: readonly number[],
  wallMs: number,
): BurstFigures {
  return {
    latency: summarize(requests.map((request) => request.ms)),
    errors: requests.filter((request) => request.status !== 200).length + (BURST_REPLIES - requests.length),
    warmupErrors: warmupStatuses.filter((status) => status !== 200).length,
    wallMs,
  };
}

// ---------------------------------------------------------------------------------------------------
// Local mode

export interface LocalServerFigures {
  /** From the drain request (right after the last ack) until every answer was posted. */
  readonly drainMs: number;
  /** CPU time of the server process during the timed burst (first request to last response). */
  readonly burstCpuMs: number;
  /** CPU time of the server process from the start of the timed burst until drained. */
  readonly cpuMs: number;
  readonly eventLoopDelay: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly stdoutBytes: number;
}

/** What the bot visibly did, from its JSON log lines and the fakes. */
export interface BotWork {
  readonly mentionsHandedOff: number;
  readonly followUpsHandedOff: number;
  readonly answersPosted: number;
  readonly overLimit: number;
  readonly errorLines: number;
  readonly modelCalls: number;
}

export interface LocalAppBurst extends BurstFigures {
  readonly server: LocalServerFigures;
  readonly errorSamples: readonly string[];
}

export interface LocalBurstFigures {
  /** The reference: of the two bare runs, the one with the lower p99 (the less disturbed by other work). */
  readonly bare: LocalAppBurst;
  /** The bare app before and after the bot. */
  readonly bareRuns: readonly [LocalAppBurst, LocalAppBurst];
  readonly bot: LocalAppBurst;
  readonly botWork: BotWork;
}

interface LocalWorld {
  readonly repoRoot: string;
  readonly burstClientScript: string;
  readonly slack: FakeSlack;
  readonly anthropic: FakeAnthropic;
  readonly dataDir: string;
  /** Settings added to the bot's environment (what-if runs). */
  readonly botEnv: Readonly<Record<string, string>>;
}

/**
 * Runs the burst against the bare app, the bot, and the bare app again, each in its own child process. On a shared
 * machine one run's tail can be other work's; the reference is the bare run with the lower p99, so a disturbed
 * reference cannot make the target easier.
 */
export async function measureLocalBurst(
  repoRoot: string,
  burstClientScript: string,
  botEnv: Readonly<Record<string, string>> = {},
): Promise<LocalBurstFigures> {
  const [slack, anthropic, dataDir] = await Promise.all([
    startFakeSlack({ botToken: BOT_TOKEN, botUserId: BOT_USER_ID }),
    startFakeAnthropic({ defaultReply: { text: SHORT_REPLY } }),
    mkdtemp(join(tmpdir(), 'architect-bench-burst-')),
  ]);
  const world: LocalWorld = { repoRoot, burstClientScript, slack, anthropic, dataDir, botEnv };
  try {
    const bareBefore = (await runLocalApp(world, 'bare')).figures;
    const bot = await runLocalApp(world, 'bot');
    const bareAfter = (await runLocalApp(world, 'bare')).figures;
    return {
      bare: bareAfter.latency.p99 < bareBefore.latency.p99 ? bareAfter : bareBefore,
      bareRuns: [bareBefore, bareAfter],
      bot: bot.figures,
      botWork: botWork(bot.stdout, anthropic),
    };
  } finally {
    await Promise.all([slack.close(), anthropic.close()]);
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function runLocalApp(
  world: LocalWorld,
  mode: 'bare' | 'bot',
): Promise<{ figures: LocalAppBurst; stdout: string }> {
  const env = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_USER_ID: BOT_USER_ID,
    SLACK_API_URL: world.slack.url,
    ANTHROPIC_API_KEY: 'sk-ant-bench',
    ANTHROPIC_BASE_URL: world.anthropic.url,
    TABLE_NAME: 'architect-bench-burst',
    DATA_DIR: join(world.dataDir, mode),
    PORT: '0',
    LOG_LEVEL: 'info',
    [CHILD_SETTINGS.serverMode]: mode,
    ...(mode === 'bot' ? world.botEnv : {}),
  };
  const server = startIpcChild(['--import', 'tsx', 'bench/children/local-server.ts'], env, {
    cwd: world.repoRoot,
    label: `local ${mode} server`,
    keepStdout: mode === 'bot',
  });
  let client: ReturnType<typeof startIpcChild> | undefined;
  try {
    const { port } = await server.next<Extract<ServerChildMessage, { type: 'ready' }>>(
      'ready',
      SERVER_TIMEOUT_MS,
    );
    const url = `http://127.0.0.1:${port}/slack/events`;

    // The known threads: for the bot, top-level mentions it answers (which marks each thread as its own).
    const threadSeconds = nextLocalSeconds();
    const threads = Array.from({ length: KNOWN_THREADS }, (_, index) => postTs(threadSeconds, index + 1));
    if (mode === 'bot') {
      for (const [index, ts] of threads.entries()) {
        const mention = mentionEvent('<@UBOT> design a rate limiter for our public REST API', {
          ts,
          channel: LOCAL_CHANNEL,
          user: `U0OWNER${String(index).padStart(2, '0')}`,
        });
        const body = JSON.stringify(eventEnvelope(mention, `Ev${ts.replace('.', '')}`));
        const response = await postSigned(url, body, 'application/json', { signingSecret: SIGNING_SECRET });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`mention ${index + 1}: HTTP ${response.status}`);
      }
      server.send({ type: 'drain' });
      await server.next('drained', SERVER_TIMEOUT_MS);
    }

    client = startIpcChild(
      [world.burstClientScript],
      {
        [CHILD_SETTINGS.targetUrl]: url,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        [CHILD_SETTINGS.tsSeconds]: String(nextLocalSeconds()),
        [CHILD_SETTINGS.channel]: LOCAL_CHANNEL,
        [CHILD_SETTINGS.threads]: threads.join(','),
        [CHILD_SETTINGS.warmup]: String(BURST_WARMUP),
        [CHILD_SETTINGS.requests]: String(BURST_REPLIES),
        [CHILD_SETTINGS.concurrency]: String(BURST_CONCURRENCY),
      },
      { cwd: world.repoRoot, label: 'burst client' },
    );
    const warmed = await client.next<Extract<BurstClientMessage, { type: 'warmed' }>>(
      'warmed',
      WARM_TIMEOUT_MS,
    );
    // The warm-up's answers are done before the timed burst starts; then the server starts counting.
    server.send({ type: 'drain' });
    await server.next('drained', SERVER_TIMEOUT_MS);
    server.send({ type: 'mark' });
    await server.next('marked', SERVER_TIMEOUT_MS);
    client.send({ type: 'go' });
    const done = await client.next<Extract<BurstClientMessage, { type: 'done' }>>('done', WARM_TIMEOUT_MS);
    server.send({ type: 'drain' });
    const drained = await server.next<Extract<ServerChildMessage, { type: 'drained' }>>(
      'drained',
      WARM_TIMEOUT_MS,
    );
    await client.exited(5_000);
    server.send({ type: 'stop' });
    await server.next('stopped', SERVER_TIMEOUT_MS);
    await server.exited(5_000);
    return {
      figures: {
        ...burstFigures(done.requests, warmed.statuses, done.wallMs),
        errorSamples: done.errors,
        server: {
          drainMs: drained.drainMs,
          burstCpuMs: drained.burstCpuMs,
          cpuMs: drained.cpuMs,
          eventLoopDelay: drained.eventLoopDelay,
          stdoutBytes: server.stdoutBytes(),
        },
      },
      stdout: server.stdout(),
    };
  } finally {
    client?.kill();
    server.kill();
  }
}

function botWork(stdout: string, anthropic: FakeAnthropic): BotWork {
  const work = {
    mentionsHandedOff: 0,
    followUpsHandedOff: 0,
    answersPosted: 0,
    overLimit: 0,
    errorLines: 0,
    modelCalls: anthropic.requests.filter((request) => request.path === '/v1/messages').length,
  };
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: { level?: unknown; message?: unknown; kind?: unknown; channel?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (entry.level === 'error') work.errorLines += 1;
    if (entry.message === 'request handed off' && entry.kind === 'follow-up') work.followUpsHandedOff += 1;
    if (entry.message === 'request handed off' && entry.kind === 'request') work.mentionsHandedOff += 1;
    if (entry.message === 'answer posted') work.answersPosted += 1;
    if (entry.message === 'request over a limit') work.overLimit += 1;
  }
  return work;
}

// ---------------------------------------------------------------------------------------------------
// Lambda events function

export interface LambdaAppBurst extends BurstFigures {
  readonly calls: LambdaBurstResult['calls'];
  readonly newConnections: number;
}

export interface LambdaBurstFigures {
  readonly bareBolt: LambdaAppBurst;
  readonly events: LambdaAppBurst;
  /** Jobs the events function put in the burst queue, and how many replies it was sent. */
  readonly queued: number;
  readonly expectedQueued: number;
}

/** Marks `KNOWN_THREADS` threads as the bot's in the bench world's table, then bursts each bundle. */
export async function measureLambdaBurst(
  run: BenchRun,
  bundles: Readonly<Record<AppName, string>>,
): Promise<LambdaBurstFigures> {
  const { world } = run;
  const threadSeconds = world.nextPostSeconds();
  const threads = Array.from({ length: KNOWN_THREADS }, (_, index) => postTs(threadSeconds, index + 1));
  const dynamo = createDynamoDBClients({ endpoint: world.eventsEnv.DYNAMODB_ENDPOINT ?? '' });
  try {
    const store = new DynamoDBThreadStore({
      client: dynamo.documentClient,
      tableName: world.eventsEnv.TABLE_NAME ?? '',
    });
    for (const ts of threads) {
      await store.claimThread({ teamId: 'T123', channelId: BENCH_CHANNEL, threadTs: ts }, 'U0OWNER');
    }
  } finally {
    dynamo.client.destroy();
  }
  const burst = async (app: AppName): Promise<LambdaAppBurst> => {
    const { result } = await runChild<LambdaBurstResult>(
      run.invokeScript,
      {
        ...(app === 'events' ? { ...world.eventsEnv, QUEUE_URL: world.burstQueueUrl } : world.bareEnv),
        [CHILD_SETTINGS.bundle]: bundles[app],
        [CHILD_SETTINGS.mode]: 'burst',
        [CHILD_SETTINGS.tsSeconds]: String(world.nextPostSeconds()),
        [CHILD_SETTINGS.threads]: threads.join(','),
        [CHILD_SETTINGS.warmup]: String(BURST_WARMUP),
        [CHILD_SETTINGS.requests]: String(BURST_REPLIES),
        [CHILD_SETTINGS.concurrency]: String(BURST_CONCURRENCY),
      },
      { workDir: run.workDir, timeoutMs: WARM_TIMEOUT_MS },
    );
    return {
      ...burstFigures(result.requests, result.warmupStatuses, result.wallMs),
      calls: result.calls,
      newConnections: result.newConnections,
    };
  };
  const bareBolt = await burst('bareBolt');
  const events = await burst('events');
  return {
    bareBolt,
    events,
    queued: world.sqs.messages(world.burstQueueUrl).length,
    expectedQueued: BURST_WARMUP + BURST_REPLIES,
  };
}

// ---------------------------------------------------------------------------------------------------
// Report

function burstRow(label: string, figures: BurstFigures): string[] {
  const { latency } = figures;
  return [
    ...latencyRow(label, latency),
    String(figures.errors),
    `${Math.round((latency.count / figures.wallMs) * 1000)}`,
  ];
}

const BURST_HEADERS = ['ms per request', 'n', 'p50', 'p90', 'p99', 'max', 'mean', 'errors', 'req/s'];

export function localAckPass(figures: LocalBurstFigures): boolean {
  return (
    figures.bot.latency.p99 <= LOCAL_ACK_RATIO_TARGET * figures.bare.latency.p99 &&
    figures.bot.errors === 0 &&
    figures.bareRuns.every((run) => run.errors === 0)
  );
}

/** Prints section 6. */
export function printReplyBurst(local: LocalBurstFigures, lambda: LambdaBurstFigures): void {
  printLocalBurst(local);
  printLambdaBurst(lambda);
}

/** Prints section 6's local-mode part (also `pnpm bench --only local-burst`). */
export function printLocalBurst(local: LocalBurstFigures): void {
  section(
    `6. Ack latency on a burst of thread replies (${BURST_REPLIES} signed replies in ${KNOWN_THREADS} known ` +
      `threads, ${BURST_CONCURRENCY} in flight, after ${BURST_WARMUP} warm-up)`,
  );
  say(
    'Local mode: startLocalBot (HTTPReceiver on the main thread; answers on a worker thread and the embedded ' +
      'dynalite on disk on another, both at nice 10; new answers held while acks are in flight) vs a ' +
      'bare Bolt app on HTTPReceiver; each in its own process, requests over HTTP from a third process, ' +
      'timed to the full response:',
  );
  const [bareBefore, bareAfter] = local.bareRuns;
  say(
    formatTable(BURST_HEADERS, [
      burstRow('local bot', local.bot),
      burstRow('bare Bolt app, before the bot', bareBefore),
      burstRow('bare Bolt app, after the bot', bareAfter),
    ]),
  );
  const { bot, bare, botWork: work } = local;
  say(
    `(the reference is the bare run with the lower p99: ${bare === bareBefore ? 'before' : 'after'} the bot)`,
  );
  const cpuShare = (app: LocalAppBurst) =>
    `${ms(app.server.burstCpuMs / app.latency.count)} ms CPU per reply (${Math.round(
      (app.server.burstCpuMs / app.wallMs) * 100,
    )} % of a core)`;
  say(
    `during the timed burst: bot ${cpuShare(bot)}, bare ${cpuShare(bare)}; event-loop delay (beyond the 5 ms ` +
      `sampling interval) p50 / p99 / max: bot ${ms(bot.server.eventLoopDelay.p50)} / ` +
      `${ms(bot.server.eventLoopDelay.p99)} / ${ms(bot.server.eventLoopDelay.max)} ms, bare ` +
      `${ms(bare.server.eventLoopDelay.p50)} / ${ms(bare.server.eventLoopDelay.p99)} / ` +
      `${ms(bare.server.eventLoopDelay.max)} ms`,
  );
  say(
    `the bot kept answering for ${(bot.server.drainMs / 1000).toFixed(1)} s after the last ack; its process used ` +
      `${(bot.server.cpuMs / 1000).toFixed(1)} s CPU from the first timed reply until every answer was posted ` +
      `(${ms(bot.server.cpuMs / BURST_REPLIES)} ms per reply)`,
  );
  const expectedFollowUps = BURST_WARMUP + BURST_REPLIES;
  const workOk =
    work.followUpsHandedOff === expectedFollowUps &&
    work.mentionsHandedOff === KNOWN_THREADS &&
    work.answersPosted === expectedFollowUps + KNOWN_THREADS &&
    work.overLimit === 0 &&
    work.errorLines === 0;
  say(
    `bot work: ${work.mentionsHandedOff}/${KNOWN_THREADS} mentions and ${work.followUpsHandedOff}/${expectedFollowUps} ` +
      `replies handed off as follow-ups, ${work.answersPosted}/${expectedFollowUps + KNOWN_THREADS} answers posted, ` +
      `${work.modelCalls} model calls, ${work.overLimit} over a limit, ${work.errorLines} error log lines: ` +
      (workOk ? 'OK' : 'MISMATCH'),
  );
  for (const sample of [...bot.errorSamples, ...bareBefore.errorSamples, ...bareAfter.errorSamples]) {
    say(`  request error: ${sample}`);
  }
  const limit = LOCAL_ACK_RATIO_TARGET * bare.latency.p99;
  say(
    formatTable(
      ['target', 'limit', 'actual', 'result'],
      [
        [
          `local bot p99 <= ${LOCAL_ACK_RATIO_TARGET} x bare Bolt p99, lower of two (no errors)`,
          `${ms(limit)} ms`,
          `${ms(bot.latency.p99)} ms (${(bot.latency.p99 / bare.latency.p99).toFixed(2)} x), ${bot.errors} errors`,
          verdict(localAckPass(local)),
        ],
      ],
    ),
  );
}

function printLambdaBurst(lambda: LambdaBurstFigures): void {
  say();
  say(
    'Lambda events function: the bundle called in-process, 20 handler calls outstanding (AwsLambdaReceiver ' +
      'answers after the listener: GetItem, then SendMessage), vs the bare Bolt bundle:',
  );
  say(
    formatTable(BURST_HEADERS, [
      burstRow('events function', lambda.events),
      burstRow('bare Bolt app', lambda.bareBolt),
    ]),
  );
  const calls = Object.entries(lambda.events.calls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([operation, call]) => `${operation} ${call.count} (mean ${ms(call.ms / Math.max(1, call.count))} ms)`,
    )
    .join(', ');
  say(
    `events function HTTP calls during the timed burst: ${calls}; ${lambda.events.newConnections} connections ` +
      `opened; queued ${lambda.queued}/${lambda.expectedQueued} replies: ` +
      (lambda.queued === lambda.expectedQueued ? 'OK' : 'MISMATCH') +
      `; (info) events p99 ${(lambda.events.latency.p99 / lambda.bareBolt.latency.p99).toFixed(1)} x bare p99`,
  );
}

export function replyBurstJson(
  local: LocalBurstFigures,
  lambda: LambdaBurstFigures,
): Record<string, unknown> {
  const figures = (burst: BurstFigures) => ({
    count: burst.latency.count,
    p50: round2(burst.latency.p50),
    p90: round2(burst.latency.p90),
    p99: round2(burst.latency.p99),
    max: round2(burst.latency.max),
    mean: round2(burst.latency.mean),
    errors: burst.errors,
    warmupErrors: burst.warmupErrors,
    wallMs: round2(burst.wallMs),
  });
  const server = (app: LocalAppBurst) => ({
    burstCpuMs: round2(app.server.burstCpuMs),
    cpuMsUntilDrained: round2(app.server.cpuMs),
    drainMsAfterLastAck: round2(app.server.drainMs),
    eventLoopDelayMs: {
      p50: round2(app.server.eventLoopDelay.p50),
      p99: round2(app.server.eventLoopDelay.p99),
      max: round2(app.server.eventLoopDelay.max),
    },
    stdoutBytes: app.server.stdoutBytes,
  });
  return {
    replies: BURST_REPLIES,
    concurrency: BURST_CONCURRENCY,
    knownThreads: KNOWN_THREADS,
    warmup: BURST_WARMUP,
    localMs: {
      bot: { ...figures(local.bot), server: server(local.bot) },
      bareBolt: { ...figures(local.bare), server: server(local.bare) },
      bareBoltRuns: local.bareRuns.map((run) => ({ ...figures(run), server: server(run) })),
    },
    localBotWork: local.botWork,
    lambdaMs: {
      events: {
        ...figures(lambda.events),
        calls: Object.fromEntries(
          Object.entries(lambda.events.calls).map(([operation, call]) => [
            operation,
            { count: call.count, meanMs: round2(call.ms / Math.max(1, call.count)) },
          ]),
        ),
        newConnections: lambda.events.newConnections,
      },
      bareBolt: figures(lambda.bareBolt),
    },
    lambdaQueued: lambda.queued,
  };
}
