// Section 3: warm ack latency. One process per app imports its bundle, warms up, then handles
// sequential signed requests, each a new post in a new thread; the events function's outgoing HTTP
// calls are timed from inside its process. A separate process times each dependency call alone.

import {
  CHILD_SETTINGS,
  type DependencyCallsResult,
  PROBE_CHANNEL,
  type WarmRequest,
  type WarmRunResult,
} from '../children/child-protocol.js';
import { BENCH_CHANNEL } from '../children/signed-slack-requests.js';
import {
  type AppName,
  type BenchRun,
  TIMED_REQUESTS,
  WARM_TIMEOUT_MS,
  WARMUP_REQUESTS,
} from '../harness/bench-run.js';
import { type LatencySummary, summarize } from '../harness/latency-stats.js';
import { workDone } from '../harness/loopback-world.js';
import { runChild } from '../harness/run-child.js';

export interface WarmFigures {
  readonly latency: LatencySummary;
  readonly requests: readonly WarmRequest[];
  readonly stdoutBytesPerRequest: number;
}

/** One warm process for `app`; `extraEnv` can ask the child for a CPU profile. */
export async function measureWarm(
  run: BenchRun,
  app: AppName,
  bundle: string,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<WarmFigures> {
  const { world, tally } = run;
  const before = workDone(world, BENCH_CHANNEL);
  const { result, stdoutBytes } = await runChild<WarmRunResult>(
    run.invokeScript,
    {
      ...(app === 'events' ? world.eventsEnv : world.bareEnv),
      ...extraEnv,
      [CHILD_SETTINGS.bundle]: bundle,
      [CHILD_SETTINGS.mode]: 'warm',
      [CHILD_SETTINGS.tsSeconds]: String(world.nextPostSeconds()),
      [CHILD_SETTINGS.warmup]: String(WARMUP_REQUESTS),
      [CHILD_SETTINGS.requests]: String(TIMED_REQUESTS),
    },
    { workDir: run.workDir, timeoutMs: WARM_TIMEOUT_MS },
  );
  const statuses = [...result.warmupStatuses, ...result.requests.map((request) => request.status)];
  tally.statuses(statuses);
  if (app === 'events') tally.eventsWork(statuses.length, before, workDone(world, BENCH_CHANNEL));
  return {
    latency: summarize(result.requests.map((request) => request.ms)),
    requests: result.requests,
    stdoutBytesPerRequest: stdoutBytes / Math.max(1, statuses.length),
  };
}

export interface DependencyFigures {
  readonly putItem: LatencySummary;
  readonly sendMessage: LatencySummary;
  readonly postMessage: LatencySummary;
  /** Timed calls that took effect: puts that wrote, messages queued, posts made. */
  readonly effective: {
    readonly putItem: number;
    readonly sendMessage: number;
    readonly postMessage: number;
  };
}

/** Each dependency call alone, with the function's own client code, from a separate warm process. */
export async function measureDependencyCalls(
  run: BenchRun,
  dependencyScript: string,
): Promise<DependencyFigures> {
  const { world } = run;
  const { result } = await runChild<DependencyCallsResult>(
    dependencyScript,
    {
      ...world.eventsEnv,
      QUEUE_URL: world.probeQueueUrl,
      [CHILD_SETTINGS.tsSeconds]: String(world.nextPostSeconds()),
      [CHILD_SETTINGS.warmup]: String(WARMUP_REQUESTS),
      [CHILD_SETTINGS.requests]: String(TIMED_REQUESTS),
    },
    { workDir: run.workDir, timeoutMs: WARM_TIMEOUT_MS },
  );
  const probe = workDone(world, PROBE_CHANNEL, world.probeQueueUrl);
  return {
    putItem: summarize(result.putItemMs),
    sendMessage: summarize(result.sendMessageMs),
    postMessage: summarize(result.postMessageMs),
    effective: {
      putItem: result.putItemWritten,
      sendMessage: probe.queued - WARMUP_REQUESTS,
      postMessage: probe.posted - WARMUP_REQUESTS,
    },
  };
}

export interface BreakdownRow {
  readonly part: string;
  /** 0 for the rows that are not HTTP calls. */
  readonly callsPerRequest: number;
  readonly latency: LatencySummary;
}

/** Time per request in each kind of outgoing call and outside them, as the handler's process saw it. */
export function breakdown(requests: readonly WarmRequest[]): {
  rows: BreakdownRow[];
  newConnections: number;
} {
  const operations = [...new Set(requests.flatMap((request) => request.calls.map((call) => call.operation)))];
  const httpMs = (request: WarmRequest, operation?: string) =>
    request.calls
      .filter((call) => operation === undefined || call.operation === operation)
      .reduce((sum, call) => sum + call.ms, 0);
  const callsPerRequest = (operation?: string) =>
    requests.reduce(
      (sum, request) =>
        sum + request.calls.filter((call) => operation === undefined || call.operation === operation).length,
      0,
    ) / Math.max(1, requests.length);
  const rows: BreakdownRow[] = operations.sort().map((operation) => ({
    part: operation,
    callsPerRequest: callsPerRequest(operation),
    latency: summarize(requests.map((request) => httpMs(request, operation))),
  }));
  rows.push(
    {
      part: 'all HTTP calls',
      callsPerRequest: callsPerRequest(),
      latency: summarize(requests.map((request) => httpMs(request))),
    },
    {
      part: 'in-process (Bolt, SDKs, logs)',
      callsPerRequest: 0,
      latency: summarize(requests.map((request) => request.ms - httpMs(request))),
    },
    { part: 'handler total', callsPerRequest: 0, latency: summarize(requests.map((request) => request.ms)) },
  );
  return { rows, newConnections: requests.reduce((sum, request) => sum + request.newConnections, 0) };
}
