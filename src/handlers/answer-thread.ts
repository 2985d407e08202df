import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Config } from '../config.js';
import type { IncomingRequest } from '../core/conversation.js';
import { StoreError } from '../core/errors.js';
import type { AnswerThreadData, FromAnswerThread, ToAnswerThread } from './answer-thread-protocol.js';

/** More unexpected stops than this within `RESTART_WINDOW_MS` and the thread is not started again. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

export interface AnswerThreadOptions {
  /** The worker's entry; tests swap in their own. Default: `answer-thread-bootstrap.mjs`. */
  readonly entry?: URL;
  /**
   * Told about each request no thread will answer any more (after repeated stops), so the user hears
   * of it instead of waiting for nothing. Its failures are logged.
   */
  readonly onAbandoned?: (request: IncomingRequest) => Promise<void>;
}

/** A request sent to the thread and not yet reported done. */
interface PendingAnswer {
  readonly request: IncomingRequest;
  /** Kept across restarts: the new thread's claim then carries on from where the old one stopped. */
  readonly deliveryId: string;
  readonly done: () => void;
}

/**
 * Answers requests on a worker thread of its own, so the work of an answer (a dozen DynamoDB calls,
 * Slack calls, the model stream, rendering) never queues in front of the Slack acknowledgements on
 * the bot's main event loop: the local counterpart of the Lambda events/worker split. The main
 * thread keeps the ordering (`ThreadSerialDispatcher`); this only runs what it is given.
 *
 * Should the thread stop unexpectedly (an uncaught exception), it is started again and the requests
 * it had are sent to the new one under their delivery ids, which carries each on from where it
 * stopped, as a queue's redelivery does on Lambda; after `MAX_RESTARTS` in a minute it gives up and
 * says so in the log.
 */
export class AnswerThread {
  readonly #data: AnswerThreadData;
  readonly #writeLine: (line: string) => void;
  readonly #entry: URL;
  readonly #onAbandoned: ((request: IncomingRequest) => Promise<void>) | undefined;
  /** Gave up after repeated stops (unlike `#stopped` after `close`, requests are still told). */
  #gaveUp = false;
  readonly #pending = new Map<number, PendingAnswer>();
  readonly #restarts: number[] = [];
  #worker: Worker | undefined;
  #nextId = 1;
  #stopped = false;
  #closing: Promise<void> | undefined;
  #released: (() => void) | undefined;

  private constructor(
    data: AnswerThreadData,
    writeLine: (line: string) => void,
    options: AnswerThreadOptions,
  ) {
    this.#data = data;
    this.#writeLine = writeLine;
    this.#entry = options.entry ?? new URL('./answer-thread-bootstrap.mjs', import.meta.url);
    this.#onAbandoned = options.onAbandoned;
  }

  /** Starts the thread and resolves once it has built its clients. */
  static async start(
    config: Config,
    dynamodbEndpoint: string | undefined,
    writeLine: (line: string) => void,
    options: AnswerThreadOptions = {},
  ): Promise<AnswerThread> {
    const thread = new AnswerThread({ config, dynamodbEndpoint }, writeLine, options);
    thread.#worker = await thread.#spawn();
    return thread;
  }

  /** Answers one request; resolves when the answer (or its failure message) is posted. */
  answer(request: IncomingRequest): Promise<void> {
    if (this.#gaveUp) return this.#abandon(request);
    if (this.#stopped) return Promise.reject(new Error('the answer thread has stopped'));
    const id = this.#nextId++;
    return new Promise<void>((done) => {
      const pending: PendingAnswer = { request, deliveryId: randomUUID(), done };
      this.#pending.set(id, pending);
      // While a new thread starts, the request waits here and goes to it once it is ready.
      if (this.#worker) this.#send(this.#worker, id, pending);
    });
  }

  /** Stops the thread; call once nothing is pending (after the dispatcher has drained). */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const worker = this.#worker;
      this.#stopped = true;
      if (!worker) return;
      // Open keep-alive sockets of the Slack and Anthropic clients would keep the thread alive:
      // once it has released what it holds, end it.
      const released = new Promise<void>((resolve) => {
        this.#released = resolve;
        worker.once('exit', () => resolve());
      });
      worker.postMessage({ type: 'close' } satisfies ToAnswerThread);
      await released;
      await worker.terminate();
    })();
    return this.#closing;
  }

  /** Starts a worker; resolves when it is ready, rejects when it fails to start. */
  #spawn(): Promise<Worker> {
    // No inherited loader flags: the bootstrap brings its own TypeScript loader.
    const worker = new Worker(this.#entry, { workerData: this.#data, execArgv: [] });
    return new Promise<Worker>((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: FromAnswerThread) => {
        switch (message.type) {
          case 'ready':
            ready = true;
            resolve(worker);
            break;
          case 'failed':
            reject(new StoreError(`the answer thread could not start: ${message.message}`));
            break;
          case 'log':
            for (const line of message.lines) this.#writeLine(line);
            break;
          case 'done':
            this.#settle(message.id);
            break;
          case 'closed':
            this.#released?.();
            break;
        }
      });
      worker.on('error', (error) => {
        if (ready) this.#logError('answer thread failed', error);
        else reject(error);
      });
      worker.once('exit', (code) => {
        if (!ready) reject(new Error(`the answer thread stopped while starting (exit code ${code})`));
        else if (!this.#stopped) void this.#restart(code);
      });
    });
  }

  /** The thread stopped on its own: start another and give it the requests the old one had. */
  async #restart(exitCode: number): Promise<void> {
    this.#worker = undefined;
    const now = Date.now();
    this.#restarts.push(now);
    while ((this.#restarts[0] ?? now) < now - RESTART_WINDOW_MS) this.#restarts.shift();
    const unfinished = this.#pending.size;
    if (this.#restarts.length > MAX_RESTARTS) {
      this.#giveUp(`the answer thread stopped ${this.#restarts.length} times in a minute`, unfinished);
      return;
    }
    this.#writeLine(
      JSON.stringify({
        level: 'error',
        message: 'answer thread stopped; starting it again',
        exitCode,
        unfinished,
      }),
    );
    try {
      const worker = await this.#spawn();
      if (this.#stopped) {
        await worker.terminate();
        return;
      }
      this.#worker = worker;
      for (const [id, pending] of this.#pending) this.#send(worker, id, pending);
    } catch (error) {
      this.#logError('answer thread could not be started again', error);
      this.#giveUp('the answer thread could not be started again', unfinished);
    }
  }

  /**
   * No thread any more: what is pending is let go (the dispatcher moves on) and, like every request
   * after it, handed to `onAbandoned`, so the user is told rather than left waiting.
   */
  #giveUp(reason: string, unfinished: number): void {
    this.#stopped = true;
    this.#gaveUp = true;
    this.#writeLine(JSON.stringify({ level: 'error', message: 'answers stopped', reason, unfinished }));
    for (const [id, pending] of [...this.#pending]) {
      this.#pending.delete(id);
      void this.#abandon(pending.request).finally(pending.done);
    }
  }

  async #abandon(request: IncomingRequest): Promise<void> {
    try {
      await this.#onAbandoned?.(request);
    } catch (error) {
      this.#logError('user not told that answers stopped', error);
    }
  }

  #send(worker: Worker, id: number, pending: PendingAnswer): void {
    worker.postMessage({
      type: 'answer',
      id,
      request: pending.request,
      deliveryId: pending.deliveryId,
    } satisfies ToAnswerThread);
  }

  #settle(id: number): void {
    const pending = this.#pending.get(id);
    this.#pending.delete(id);
    pending?.done();
  }

  #logError(message: string, error: unknown): void {
    this.#writeLine(
      JSON.stringify({
        level: 'error',
        message,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  }
}
