// What every measurement shares: the sizes of a run, the apps compared, the loopback world and a
// tally of the work the events function visibly did.

import type { BenchWorld } from './loopback-world.js';

/** Fresh processes per app for the cold-start figures. */
export const COLD_RUNS = 5;
/** Untimed requests before the timed ones, in each warm process. */
export const WARMUP_REQUESTS = 20;
/** Timed sequential requests per warm process (and calls per dependency probe). */
export const TIMED_REQUESTS = 300;
/** Longest a cold child may take before it is killed. */
export const COLD_TIMEOUT_MS = 30_000;
/** Longest a warm or probe child may take before it is killed. */
export const WARM_TIMEOUT_MS = 120_000;

export type AppName = 'events' | 'bareBolt';
export const APP_LABEL: Readonly<Record<AppName, string>> = {
  events: 'events function',
  bareBolt: 'bare Bolt app',
};

/** Counts handler calls, non-200 answers, and the jobs (and any Slack posts) the events function produced. */
export class WorkTally {
  handlerCalls = 0;
  non200 = 0;
  postsExpected = 0;
  jobsQueued = 0;
  placeholdersPosted = 0;

  statuses(statuses: readonly number[]): void {
    this.handlerCalls += statuses.length;
    this.non200 += statuses.filter((status) => status !== 200).length;
  }

  /** The events function handled `posts` new posts between the two snapshots. */
  eventsWork(
    posts: number,
    before: { queued: number; posted: number },
    after: { queued: number; posted: number },
  ): void {
    this.postsExpected += posts;
    this.jobsQueued += after.queued - before.queued;
    this.placeholdersPosted += after.posted - before.posted;
  }

  /**
   * Every call answered 200 and every post was queued. The events function posts nothing itself: the
   * worker posts the placeholder, so `placeholdersPosted` must stay 0.
   */
  get ok(): boolean {
    return this.non200 === 0 && this.jobsQueued === this.postsExpected && this.placeholdersPosted === 0;
  }
}

/** The running world, the child script that invokes bundles, a scratch folder and the tally. */
export interface BenchRun {
  readonly world: BenchWorld;
  readonly invokeScript: string;
  readonly workDir: string;
  readonly tally: WorkTally;
}
