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

/** A fresh Slack `ts` (`1800000001.000042`): unique across the run as the parent gives each child its own seconds. */
export function postTs(seconds: number, index: number): string {
  return `${seconds}.${String(index).padStart(6, '0')}`;
}
