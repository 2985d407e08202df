// `pnpm bench --profile`: V8 CPU profiles of the events function (a non-minified copy of its bundle),
// one of a cold first call and one of a warm run, with the time attributed to packages.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHILD_SETTINGS } from '../children/child-protocol.js';
import { type BenchRun, TIMED_REQUESTS, WARMUP_REQUESTS } from '../harness/bench-run.js';
import { type CpuProfile, type ProfileShare, summarizeProfile } from '../harness/cpu-profile-summary.js';
import { formatTable, ms, say } from '../harness/results-table.js';
import { runColdOnce } from './cold-start.js';
import { measureWarm } from './warm-latency.js';

/** The part that is the benchmark's own code (profiler start-up, request signing, HTTP timing). */
export const HARNESS_PART = 'benchmark harness';

export interface EventsProfiles {
  readonly cold: { readonly firstCallMs: number; readonly shares: ProfileShare[] };
  readonly warm: ProfileShare[];
}

export async function profileEvents(run: BenchRun, bundle: string): Promise<EventsProfiles> {
  const coldFile = join(run.workDir, 'cold.cpuprofile');
  const cold = await runColdOnce(run, 'events', bundle, { [CHILD_SETTINGS.profileFile]: coldFile });
  const warmFile = join(run.workDir, 'warm.cpuprofile');
  await measureWarm(run, 'events', bundle, { [CHILD_SETTINGS.profileFile]: warmFile });
  const read = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  return {
    cold: { firstCallMs: cold.firstCallMs, shares: await summarizeProfile(await read(coldFile), bundle) },
    warm: await summarizeProfile(await read(warmFile), bundle),
  };
}

export function printProfiles(profiles: EventsProfiles): void {
  say();
  say(
    'CPU profiles of the events function (a non-minified copy of the bundle, sampled every 0.1 ms; Node and ' +
      'native work counted for the package that called it; idle = waiting for I/O):',
  );
  printProfile(`first call of a cold process (${ms(profiles.cold.firstCallMs)} ms)`, profiles.cold.shares, 1);
  printProfile(
    `${TIMED_REQUESTS} warm requests (after ${WARMUP_REQUESTS} warm-up)`,
    profiles.warm,
    TIMED_REQUESTS,
  );
}

/** Milliseconds per request of the largest parts of the warm profile, the harness left out. */
export function warmCpuPerRequest(profiles: EventsProfiles, top: number): Record<string, number> {
  return Object.fromEntries(
    profiles.warm
      .filter((row) => row.part !== HARNESS_PART)
      .slice(0, top)
      .map((row) => [row.part, Math.round((row.ms / TIMED_REQUESTS) * 1000) / 1000]),
  );
}

function printProfile(title: string, shares: readonly ProfileShare[], requests: number): void {
  const harness = shares.find((row) => row.part === HARNESS_PART)?.ms ?? 0;
  const measured = shares.filter((row) => row.part !== HARNESS_PART);
  const total = measured.reduce((sum, row) => sum + row.ms, 0);
  say();
  say(`${title}: ${total.toFixed(0)} ms sampled, plus ${harness.toFixed(0)} ms of the benchmark's own code`);
  say(
    formatTable(
      ['part', 'ms', 'share', ...(requests > 1 ? ['ms/request'] : [])],
      measured
        .slice(0, 14)
        .map((row) => [
          row.part,
          row.ms.toFixed(1),
          `${((row.ms / Math.max(total, 1e-9)) * 100).toFixed(1)}%`,
          ...(requests > 1 ? [(row.ms / requests).toFixed(3)] : []),
        ]),
    ),
  );
}
