import { type IncomingRequest, requestGroupOf } from '../../core/conversation.js';
import type { JobDispatcher, Log } from '../../core/ports.js';

/** Where a request sits among its thread's: Slack `ts` values sort in posting order. */
function postingOrderOf(request: IncomingRequest): string {
  const { source } = request;
  return `${source.postTs}#${source.type === 'post' ? '' : source.clickId}`;
}

/** One thread's queue: the requests waiting, in posting order, and the loop working through them. */
interface ThreadQueue {
  readonly waiting: IncomingRequest[];
  done: Promise<void>;
}

/**
 * Runs jobs in this process, one thread at a time: a follow-up waits for the answer before it, so
 * it is answered with that answer in its history. Waiting requests of a thread are taken in posting
 * order, not arrival order: two quick replies whose hand-offs finish the other way round are still
 * answered in the order they were posted. Different threads run side by side, at most
 * `maxConcurrent` at once (which protects the model's rate limit); the rest wait their turn.
 */
export class ThreadSerialDispatcher implements JobDispatcher {
  readonly #run: (job: IncomingRequest) => Promise<void>;
  readonly #log: Log;
  readonly #maxConcurrent: number;
  readonly #beforeStart: () => Promise<void>;
  readonly #threads = new Map<string, ThreadQueue>();
  readonly #slotWaiters: Array<() => void> = [];
  #running = 0;

  constructor(
    run: (job: IncomingRequest) => Promise<void>,
    log: Log,
    options: {
      maxConcurrent?: number;
      /** Awaited before each job starts, once it has its slot (local mode: `AckTraffic.whenQuiet`). */
      beforeStart?: () => Promise<void>;
    } = {},
  ) {
    this.#run = run;
    this.#log = log;
    this.#maxConcurrent = options.maxConcurrent ?? Number.POSITIVE_INFINITY;
    this.#beforeStart = options.beforeStart ?? (() => Promise.resolve());
  }

  async dispatch(job: IncomingRequest): Promise<void> {
    const key = requestGroupOf(job);
    const existing = this.#threads.get(key);
    if (existing) {
      insertInPostingOrder(existing.waiting, job);
      return;
    }
    const queue: ThreadQueue = { waiting: [job], done: Promise.resolve() };
    this.#threads.set(key, queue);
    queue.done = this.#workThrough(key, queue);
  }

  async #workThrough(key: string, queue: ThreadQueue): Promise<void> {
    // Bounded by the requests dispatched: each round removes one.
    while (queue.waiting.length > 0) {
      await this.#acquireSlot();
      // A hold never fails the job: it only delays it.
      await this.#beforeStart().catch(() => undefined);
      // Taken only now, so a request posted earlier that arrived while waiting goes first.
      const job = queue.waiting.shift();
      try {
        if (job) await this.#run(job);
      } catch (error) {
        this.#log.error('job crashed', { channel: job?.channelId, error });
      } finally {
        this.#releaseSlot();
      }
    }
    this.#threads.delete(key);
  }

  async #acquireSlot(): Promise<void> {
    if (this.#running < this.#maxConcurrent) {
      this.#running += 1;
      return;
    }
    await new Promise<void>((resolve) => this.#slotWaiters.push(resolve));
  }

  /** Hands the slot straight to the next waiting thread, or frees it. */
  #releaseSlot(): void {
    const next = this.#slotWaiters.shift();
    if (next) next();
    else this.#running -= 1;
  }

  /** Number of threads with a job queued or running. */
  get busyThreads(): number {
    return this.#threads.size;
  }

  /** Resolves when every job dispatched so far (and any queued behind them) has finished. */
  async drain(): Promise<void> {
    // Bounded: each round waits for the current queues; new work only comes from new dispatches.
    for (let round = 0; round < 1_000 && this.#threads.size > 0; round += 1) {
      await Promise.allSettled([...this.#threads.values()].map((queue) => queue.done));
    }
  }
}

function insertInPostingOrder(waiting: IncomingRequest[], job: IncomingRequest): void {
  const order = postingOrderOf(job);
  const index = waiting.findIndex((queued) => postingOrderOf(queued) > order);
  if (index < 0) waiting.push(job);
  else waiting.splice(index, 0, job);
}
