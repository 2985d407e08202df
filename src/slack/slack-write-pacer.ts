/** A sliding-window limit: at most `calls` in any `perMs`. */
export interface WriteLimit {
  readonly calls: number;
  readonly perMs: number;
}

/**
 * Slack's per-workspace method tiers for the live answer's writes (https://docs.slack.dev/apis/web-api/rate-limits):
 * `chat.appendStream` tier 4 (100+ a minute), `chat.update` tier 3 (50+), `chat.startStream` and
 * `chat.stopStream` tier 2 (20+). Kept at the floor of each tier, so bursts of answers never meet a 429.
 */
export const SLACK_LIVE_WRITE_LIMITS: Readonly<Record<string, WriteLimit>> = {
  'chat.appendStream': { calls: 100, perMs: 60_000 },
  'chat.update': { calls: 50, perMs: 60_000 },
  'chat.startStream': { calls: 20, perMs: 60_000 },
  'chat.stopStream': { calls: 20, perMs: 60_000 },
};

/**
 * Waits, per workspace and method, until a write fits its limit: the live answers of one process
 * share a workspace's budget. Waiters are served in order; a method without a limit never waits.
 */
export class SlackWritePacer {
  readonly #limits: Readonly<Record<string, WriteLimit>>;
  readonly #times = new Map<string, number[]>();
  readonly #tails = new Map<string, Promise<void>>();

  constructor(limits: Readonly<Record<string, WriteLimit>> = SLACK_LIVE_WRITE_LIMITS) {
    this.#limits = limits;
  }

  /** Resolves when one `method` call for `teamId` may be made now, and counts it. */
  take(teamId: string, method: string): Promise<void> {
    const limit = this.#limits[method];
    if (!limit) return Promise.resolve();
    const key = `${teamId}/${method}`;
    const turn = (this.#tails.get(key) ?? Promise.resolve()).then(() => this.#slot(key, limit));
    this.#tails.set(key, turn);
    return turn;
  }

  /** How long a `take` now would wait, in ms (0 when a call fits). */
  waitMs(teamId: string, method: string): number {
    const limit = this.#limits[method];
    if (!limit) return 0;
    const times = this.#recent(`${teamId}/${method}`, limit);
    return times.length < limit.calls ? 0 : Math.max(0, (times[0] ?? 0) + limit.perMs - Date.now());
  }

  async #slot(key: string, limit: WriteLimit): Promise<void> {
    let times = this.#recent(key, limit);
    // One wait always frees a slot: the oldest call leaves the window when it ends.
    if (times.length >= limit.calls) {
      await sleep((times[0] ?? 0) + limit.perMs - Date.now());
      times = this.#recent(key, limit);
    }
    times.push(Date.now());
  }

  #recent(key: string, limit: WriteLimit): number[] {
    const now = Date.now();
    const times = (this.#times.get(key) ?? []).filter((time) => now - time < limit.perMs);
    this.#times.set(key, times);
    return times;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
