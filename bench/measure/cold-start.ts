// Section 2: a fresh `node` process per run imports a bundle and handles one new post, as a cold
// Lambda container would; medians of the import, the first call and the HTTP part of that call.

import { CHILD_SETTINGS, type ColdRunResult } from '../children/child-protocol.js';
import { BENCH_CHANNEL } from '../children/signed-slack-requests.js';
import { APP_LABEL, type AppName, type BenchRun, COLD_RUNS, COLD_TIMEOUT_MS } from '../harness/bench-run.js';
import { median } from '../harness/latency-stats.js';
import { workDone } from '../harness/loopback-world.js';
import { formatTable, ms, say, section } from '../harness/results-table.js';
import { runChild } from '../harness/run-child.js';

export interface ColdFigures {
  readonly runs: readonly ColdRunResult[];
  readonly importMs: number;
  readonly firstCallMs: number;
  /** Import plus first call. */
  readonly totalMs: number;
  readonly nodeStartupMs: number;
  /** Of the first call: time in outgoing HTTP calls (connection set-up included). */
  readonly firstCallHttpMs: number;
  /** Per operation, the median of the first call's HTTP time. */
  readonly firstCallHttpByOperation: Readonly<Record<string, number>>;
  readonly firstCallNewConnections: number;
}

/** One fresh process: import `bundle`, handle one new post; tallies what the events function did. */
export async function runColdOnce(
  run: BenchRun,
  app: AppName,
  bundle: string,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<ColdRunResult> {
  const { world, tally } = run;
  const before = workDone(world, BENCH_CHANNEL);
  const { result } = await runChild<ColdRunResult>(
    run.invokeScript,
    {
      ...(app === 'events' ? world.eventsEnv : world.bareEnv),
      ...extraEnv,
      [CHILD_SETTINGS.bundle]: bundle,
      [CHILD_SETTINGS.mode]: 'cold',
      [CHILD_SETTINGS.tsSeconds]: String(world.nextPostSeconds()),
    },
    { workDir: run.workDir, timeoutMs: COLD_TIMEOUT_MS },
  );
  tally.statuses([result.status]);
  if (app === 'events') tally.eventsWork(1, before, workDone(world, BENCH_CHANNEL));
  return result;
}

/** Runs both apps `COLD_RUNS` times, alternating, and prints section 2. */
export async function measureColdStart(
  run: BenchRun,
  bundles: Readonly<Record<AppName, string>>,
): Promise<Record<AppName, ColdFigures>> {
  section(`2. Cold import and first request (fresh node process each, ${COLD_RUNS} runs, median)`);
  const runs: Record<AppName, ColdRunResult[]> = { events: [], bareBolt: [] };
  for (let round = 0; round < COLD_RUNS; round += 1) {
    // Alternate the two apps so drift on the machine hits both alike.
    for (const app of ['bareBolt', 'events'] as const)
      runs[app].push(await runColdOnce(run, app, bundles[app]));
  }
  const figures = { events: coldFigures(runs.events), bareBolt: coldFigures(runs.bareBolt) };
  say(
    formatTable(
      ['app', 'node start-up', 'import', 'first call', 'of it HTTP', 'import + first call', 'each run'],
      (['events', 'bareBolt'] as const).map((app) => [
        APP_LABEL[app],
        ms(figures[app].nodeStartupMs),
        ms(figures[app].importMs),
        ms(figures[app].firstCallMs),
        ms(figures[app].firstCallHttpMs),
        ms(figures[app].totalMs),
        figures[app].runs.map((each) => (each.importMs + each.firstCallMs).toFixed(0)).join(' / '),
      ]),
    ),
  );
  say(
    '(ms; node start-up: performance.now() when the import began, i.e. Node itself before any bundle code;',
  );
  say(' of it HTTP: time inside outgoing HTTP calls, from request creation to response headers)');
  const byOperation = Object.entries(figures.events.firstCallHttpByOperation)
    .map(([operation, value]) => `${operation} ${ms(value)}`)
    .join(', ');
  say(
    `events first call, HTTP by operation (median ms, connection set-up included): ${byOperation}; ` +
      `${figures.events.firstCallNewConnections} new connections`,
  );
  return figures;
}

function coldFigures(runs: readonly ColdRunResult[]): ColdFigures {
  const httpMs = (each: ColdRunResult, operation?: string) =>
    each.firstCallHttp
      .filter((call) => operation === undefined || call.operation === operation)
      .reduce((sum, call) => sum + call.ms, 0);
  const operations = [...new Set(runs.flatMap((each) => each.firstCallHttp.map((call) => call.operation)))];
  return {
    runs,
    importMs: median(runs.map((each) => each.importMs)),
    firstCallMs: median(runs.map((each) => each.firstCallMs)),
    totalMs: median(runs.map((each) => each.importMs + each.firstCallMs)),
    nodeStartupMs: median(runs.map((each) => each.nodeStartupMs)),
    firstCallHttpMs: median(runs.map((each) => httpMs(each))),
    firstCallHttpByOperation: Object.fromEntries(
      operations.sort().map((operation) => [operation, median(runs.map((each) => httpMs(each, operation)))]),
    ),
    firstCallNewConnections: median(runs.map((each) => each.firstCallNewConnections)),
  };
}
