import { type IncomingRequest, requestGroupOf } from '../../core/conversation.js';
import type { JobDispatcher, Log } from '../../core/ports.js';

/**
 * Runs jobs in this process, one thread at a time: a follow-up waits for the answer before it, so
 * it is answered with that answer in its history. Different threads run side by side, at most
 * `maxConcurrent` at once (which protects the model's rate limit); the rest wait their turn.
 */
export class ThreadSerialDispatcher implements JobDispatcher {
  readonly #run: (job: IncomingRequest) => Promise<void>;
  readonly #log: Log;
  readonly #maxConcurrent: number;
  readonly #tails = new Map<string, Promise<void>>();
  readonly #waiting: Array<() => void> = [];
  #running = 0;

  constructor(
    run: (job: IncomingRequest) => Promise<void>,
    log: Log,
    options: { maxConcurrent?: number } = {},
  ) {
    this.#run = run;
    this.#log = log;
    this.#maxConcurrent = options.maxConcurrent ?? Number.POSITIVE_INFINITY;
  }

  async dispatch(job: IncomingRequest): Promise<void> {
    const key = requestGroupOf(job);
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => this.#runWhenASlotIsFree(job))
      .catch((error: unknown) => this.#log.error('job crashed', { channel: job.channelId, error }))
      .finally(() => {
        if (this.#tails.get(key) === next) this.#tails.delete(key);
      });
    this.#tails.set(key, next);
  }

  async #runWhenASlotIsFree(job: IncomingRequest): Promise<void> {
    if (this.#running >= this.#maxConcurrent) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running += 1;
    }
    try {
      await this.#run(job);
    } finally {
      // Hand the slot straight to the next waiting job, or free it.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running -= 1;
    }
  }

  /** Number of threads with a job queued or running. */
  get busyThreads(): number {
    return this.#tails.size;
  }

  /** Resolves when every job dispatched so far (and any queued behind them) has finished. */
  async drain(): Promise<void> {
    // Bounded: each round waits for the current tails; new work only comes from new dispatches.
    for (let round = 0; round < 1_000 && this.#tails.size > 0; round += 1) {
      await Promise.allSettled([...this.#tails.values()]);
    }
  }
}
