// Child process: imports one Lambda bundle and invokes its handler with signed Slack requests.
//   cold: one request, timing the import and the first call (a fresh process = a cold container);
//   warm: warm-up requests, then timed sequential requests, each a new post in a new thread;
//   burst: warm-up replies, then timed replies in known threads, `concurrency` handler calls outstanding.

import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import {
  type BurstRequest,
  CHILD_SETTINGS,
  type ColdRunResult,
  countSetting,
  type LambdaBurstResult,
  postTs,
  requiredSetting,
  threadsSetting,
  type WarmRequest,
  type WarmRunResult,
} from './child-protocol.js';
import { HttpCallTimings } from './http-call-timings.js';
import {
  BENCH_CHANNEL,
  lambdaContext,
  replyUser,
  signedMentionRequest,
  signedReplyRequest,
} from './signed-slack-requests.js';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

const FUNCTION_NAME = 'architect-bench-events';

async function importHandler(bundle: string): Promise<Handler> {
  const module = (await import(pathToFileURL(bundle).href)) as { handler?: unknown };
  if (typeof module.handler !== 'function') throw new Error(`${bundle} exports no handler function`);
  return module.handler as Handler;
}

async function cold(bundle: string, signingSecret: string, seconds: number): Promise<ColdRunResult> {
  const event = signedMentionRequest(signingSecret, postTs(seconds, 1));
  const context = lambdaContext(FUNCTION_NAME);
  const timings = new HttpCallTimings();
  const started = performance.now();
  const handler = await importHandler(bundle);
  const imported = performance.now();
  const profiler = process.env[CHILD_SETTINGS.profileFile] ? await startProfiler() : undefined;
  timings.start();
  const response = await handler(event, context);
  const answered = performance.now();
  timings.stop();
  if (profiler) await stopProfiler(profiler);
  const http = timings.take();
  return {
    status: response.statusCode ?? 0,
    nodeStartupMs: started,
    importMs: imported - started,
    firstCallMs: answered - imported,
    firstCallHttp: http.calls,
    firstCallNewConnections: http.newConnections,
  };
}

async function warm(
  bundle: string,
  signingSecret: string,
  seconds: number,
  warmup: number,
  requests: number,
): Promise<WarmRunResult> {
  const handler = await importHandler(bundle);
  let index = 0;
  const warmupStatuses: number[] = [];
  for (let round = 0; round < warmup; round += 1) {
    index += 1;
    const response = await handler(
      signedMentionRequest(signingSecret, postTs(seconds, index)),
      lambdaContext(FUNCTION_NAME),
    );
    warmupStatuses.push(response.statusCode ?? 0);
  }
  const profiler = process.env[CHILD_SETTINGS.profileFile] ? await startProfiler() : undefined;
  const timings = new HttpCallTimings();
  timings.start();
  const timed: WarmRequest[] = [];
  for (let round = 0; round < requests; round += 1) {
    index += 1;
    const event = signedMentionRequest(signingSecret, postTs(seconds, index));
    const context = lambdaContext(FUNCTION_NAME);
    timings.take();
    const started = performance.now();
    const response = await handler(event, context);
    const ms = performance.now() - started;
    const http = timings.take();
    timed.push({
      status: response.statusCode ?? 0,
      ms,
      calls: http.calls,
      newConnections: http.newConnections,
    });
  }
  timings.stop();
  if (profiler) await stopProfiler(profiler);
  return { warmupStatuses, requests: timed };
}

/** Reply `index` (from 1): round-robin over the known threads, 50 different people writing. */
function replyEvent(signingSecret: string, seconds: number, threads: readonly string[], index: number) {
  return signedReplyRequest(signingSecret, {
    channel: BENCH_CHANNEL,
    threadTs: threads[(index - 1) % threads.length] ?? '',
    ts: postTs(seconds, index),
    user: replyUser(index),
  });
}

async function burst(
  bundle: string,
  signingSecret: string,
  seconds: number,
  warmup: number,
  requests: number,
  concurrency: number,
): Promise<LambdaBurstResult> {
  const threads = threadsSetting();
  const handler = await importHandler(bundle);
  // The warm-up runs as many calls at once as the burst, so the clients open their connections now.
  const warmupStatuses = await Promise.all(
    Array.from({ length: warmup }, async (_, slot) => {
      const event = replyEvent(signingSecret, seconds, threads, slot + 1);
      return (await handler(event, lambdaContext(FUNCTION_NAME))).statusCode ?? 0;
    }),
  );
  // Built (and signed) ahead, so the only work in the loop is the handlers' own.
  const events = Array.from({ length: requests }, (_, slot) =>
    replyEvent(signingSecret, seconds, threads, warmup + slot + 1),
  );
  const timings = new HttpCallTimings();
  timings.start();
  const timed: BurstRequest[] = [];
  let next = 0;
  const started = performance.now();
  // A bounded pool: `concurrency` workers, each taking the next request until none is left.
  await Promise.all(
    Array.from({ length: Math.min(concurrency, requests) }, async () => {
      while (next < requests) {
        const slot = next;
        next += 1;
        const event = events[slot];
        if (!event) break;
        const callStarted = performance.now();
        let status = 0;
        try {
          status = (await handler(event, lambdaContext(FUNCTION_NAME))).statusCode ?? 0;
        } catch {
          status = 0;
        }
        timed[slot] = { status, ms: performance.now() - callStarted };
      }
    }),
  );
  const wallMs = performance.now() - started;
  const http = timings.take();
  timings.stop();
  const calls: Record<string, { count: number; ms: number }> = {};
  for (const call of http.calls) {
    const entry = calls[call.operation] ?? { count: 0, ms: 0 };
    entry.count += 1;
    entry.ms += call.ms;
    calls[call.operation] = entry;
  }
  return { warmupStatuses, requests: timed, wallMs, calls, newConnections: http.newConnections };
}

/** Samples the CPU every 100 µs through the inspector protocol, from now until `stopProfiler`. */
async function startProfiler(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return session;
}

/** Writes the profile where the parent asked for it. */
async function stopProfiler(session: Session): Promise<void> {
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  writeFileSync(requiredSetting(CHILD_SETTINGS.profileFile), JSON.stringify(profile));
}

async function main(): Promise<void> {
  const bundle = requiredSetting(CHILD_SETTINGS.bundle);
  const signingSecret = requiredSetting('SLACK_SIGNING_SECRET');
  const seconds = countSetting(CHILD_SETTINGS.tsSeconds);
  const mode = requiredSetting(CHILD_SETTINGS.mode);
  const warmup = () => countSetting(CHILD_SETTINGS.warmup);
  const requests = () => countSetting(CHILD_SETTINGS.requests);
  const result =
    mode === 'cold'
      ? await cold(bundle, signingSecret, seconds)
      : mode === 'burst'
        ? await burst(
            bundle,
            signingSecret,
            seconds,
            warmup(),
            requests(),
            countSetting(CHILD_SETTINGS.concurrency),
          )
        : await warm(bundle, signingSecret, seconds, warmup(), requests());
  writeFileSync(requiredSetting(CHILD_SETTINGS.resultFile), JSON.stringify(result));
}

// Exit explicitly: keep-alive sockets of the SDK clients would otherwise hold the process open.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
