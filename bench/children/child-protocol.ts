// What the parent and the child processes exchange: settings in environment variables, results
// as a JSON file the child writes before it exits (stdout belongs to the handler's logs).

/** Settings every child reads, besides the handler's own environment. */
export const CHILD_SETTINGS = {
  /** Absolute path of the file the child writes its result to. */
  resultFile: 'BENCH_RESULT_FILE',
  /** Whole seconds of the Slack `ts` of every post this child makes; unique per child. */
  tsSeconds: 'BENCH_TS_SECONDS',
  /** Absolute path of the Lambda bundle to import. */
  bundle: 'BENCH_BUNDLE',
  /** `cold` (one request) or `warm` (warm-up, then timed requests). */
  mode: 'BENCH_MODE',
  warmup: 'BENCH_WARMUP',
  requests: 'BENCH_REQUESTS',
  /** Optional: where to write a V8 CPU profile of the first call (cold) or of the timed requests (warm). */
  profileFile: 'BENCH_PROFILE_FILE',
  /** Burst runs: the `ts` of the known threads the replies go to, comma-separated. */
  threads: 'BENCH_THREADS',
  /** Burst runs: requests in flight at once. */
  concurrency: 'BENCH_CONCURRENCY',
  /** Burst runs over HTTP: the Slack request URL of the app under test. */
  targetUrl: 'BENCH_TARGET_URL',
  /** Burst runs over HTTP: the channel of the threads. */
  channel: 'BENCH_CHANNEL',
  /** The local server child: `bot` (startLocalBot) or `bare` (a Bolt app that only acknowledges). */
  serverMode: 'BENCH_SERVER_MODE',
} as const;

/** The channel the dependency probe posts in, so the parent can tell its calls from the function's. */
export const PROBE_CHANNEL = 'C0PROBE';

/** One cold invocation: a fresh process imports the bundle and handles one request. */
export interface ColdRunResult {
  readonly status: number;
  /** `performance.now()` when the import started: Node's own start-up. */
  readonly nodeStartupMs: number;
  readonly importMs: number;
  readonly firstCallMs: number;
  /** The first call's outgoing HTTP calls (connection set-up included). */
  readonly firstCallHttp: readonly HttpCall[];
  readonly firstCallNewConnections: number;
}

/** One outgoing HTTP call the handler made, from request creation to response headers. */
export interface HttpCall {
  /** `DynamoDB PutItem`, `SQS SendMessage`, `Slack chat.postMessage`, … */
  readonly operation: string;
  readonly ms: number;
}

/** One timed request of a warm run. */
export interface WarmRequest {
  readonly status: number;
  readonly ms: number;
  readonly calls: readonly HttpCall[];
  readonly newConnections: number;
}

export interface WarmRunResult {
  readonly warmupStatuses: readonly number[];
  readonly requests: readonly WarmRequest[];
}

/** One request of a burst: its HTTP status (0 when the call threw) and the time to its response. */
export interface BurstRequest {
  readonly status: number;
  readonly ms: number;
}

/** A burst of thread replies against a Lambda bundle, `concurrency` handler calls outstanding at a time. */
export interface LambdaBurstResult {
  readonly warmupStatuses: readonly number[];
  readonly requests: readonly BurstRequest[];
  /** From the first timed call to the last answer. */
  readonly wallMs: number;
  /** Outgoing HTTP calls during the timed burst, per operation: how many, and their summed time. */
  readonly calls: Readonly<Record<string, { readonly count: number; readonly ms: number }>>;
  readonly newConnections: number;
}

/** What the HTTP burst client reports over IPC. */
export type BurstClientMessage =
  | { readonly type: 'warmed'; readonly statuses: readonly number[] }
  | {
      readonly type: 'done';
      readonly requests: readonly BurstRequest[];
      readonly wallMs: number;
      /** The first few failures, for the report. */
      readonly errors: readonly string[];
    };

/** What the local server child reports over IPC. */
export type ServerChildMessage =
  | { readonly type: 'ready'; readonly port: number }
  | { readonly type: 'marked' }
  | {
      readonly type: 'drained';
      /** From the drain request until every answer dispatched so far was done. */
      readonly drainMs: number;
      /** Since the last mark (the start of the timed burst). */
      readonly sinceMarkMs: number;
      /** CPU time (user + system) of the server process from the last mark to the drain request (the burst). */
      readonly burstCpuMs: number;
      /** CPU time (user + system) of the server process from the last mark until drained. */
      readonly cpuMs: number;
      /**
       * Event-loop delay from the last mark to the drain request (node:perf_hooks monitorEventLoopDelay,
       * beyond its 5 ms sampling interval), ms.
       */
      readonly eventLoopDelay: { readonly p50: number; readonly p99: number; readonly max: number };
    }
  | { readonly type: 'stopped' };

/** What the parent asks the local server child. */
export type ServerChildCommand =
  | { readonly type: 'mark' }
  | { readonly type: 'drain' }
  | { readonly type: 'stop' };

/** Latencies of single dependency calls, each made alone, sequentially, from a warm client. */
export interface DependencyCallsResult {
  readonly putItemMs: readonly number[];
  /** Conditional puts that wrote (all should: every key is new). */
  readonly putItemWritten: number;
  readonly sendMessageMs: readonly number[];
  readonly postMessageMs: readonly number[];
}

/** The value of a setting, or an error naming it. */
export function requiredSetting(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`child: ${name} is not set`);
  return value;
}

/** A non-negative integer setting. */
export function countSetting(name: string): number {
  const value = Number(requiredSetting(name));
  if (!Number.isInteger(value) || value < 0) throw new Error(`child: ${name} must be a count`);
  return value;
}

/** The `ts` list of a burst's known threads, from its setting. */
export function threadsSetting(): string[] {
  const threads = requiredSetting(CHILD_SETTINGS.threads)
    .split(',')
    .filter((ts) => ts !== '');
  if (threads.length === 0) throw new Error(`child: ${CHILD_SETTINGS.threads} lists no thread`);
  return threads;
}

/** A fresh Slack `ts` (`1800000001.000042`): unique across the run as the parent gives each child its own seconds. */
export function postTs(seconds: number, index: number): string {
  return `${seconds}.${String(index).padStart(6, '0')}`;
}
