import { Worker } from 'node:worker_threads';
import type { Config } from '../config.js';
import type { IncomingRequest } from '../core/conversation.js';
import { StoreError } from '../core/errors.js';
import type { AnswerThreadData, FromAnswerThread, ToAnswerThread } from './answer-thread-protocol.js';

/**
 * Answers requests on a worker thread of its own, so the work of an answer (a dozen DynamoDB calls,
 * Slack calls, the model stream, rendering) never queues in front of the Slack acknowledgements on
 * the bot's main event loop: the local counterpart of the Lambda events/worker split. The main
 * thread keeps the ordering (`ThreadSerialDispatcher`); this only runs what it is given.
 */
export class AnswerThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, () => void>();
  #nextId = 1;
  #exited = false;
  #closing: Promise<void> | undefined;
  #closed: (() => void) | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
  }

  /** Starts the thread and resolves once it has built its clients. */
  static async start(
    config: Config,
    dynamodbEndpoint: string | undefined,
    writeLine: (line: string) => void,
  ): Promise<AnswerThread> {
    const data: AnswerThreadData = { config, dynamodbEndpoint };
    // No inherited loader flags: the bootstrap brings its own TypeScript loader.
    const worker = new Worker(new URL('./answer-thread-bootstrap.mjs', import.meta.url), {
      workerData: data,
      execArgv: [],
    });
    const thread = new AnswerThread(worker);
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromAnswerThread) => {
        switch (message.type) {
          case 'ready':
            resolve();
            break;
          case 'failed':
            reject(new StoreError(`the answer thread could not start: ${message.message}`));
            break;
          case 'log':
            writeLine(message.line);
            break;
          case 'done':
            thread.#settle(message.id);
            break;
          case 'closed':
            thread.#closed?.();
            break;
        }
      });
      worker.once('error', reject);
      worker.once('exit', (code) => {
        thread.#exited = true;
        // Nothing will answer what is still pending: let the dispatcher move on.
        for (const id of [...thread.#pending.keys()]) thread.#settle(id);
        reject(new Error(`the answer thread stopped (exit code ${code})`));
      });
    });
    worker.on('error', (error) => {
      writeLine(
        JSON.stringify({ level: 'error', message: 'answer thread failed', error: errorMessage(error) }),
      );
    });
    return thread;
  }

  /** Answers one request; resolves when the answer (or its failure message) is posted. */
  answer(request: IncomingRequest): Promise<void> {
    if (this.#exited) return Promise.reject(new Error('the answer thread has stopped'));
    const id = this.#nextId++;
    return new Promise<void>((resolve) => {
      this.#pending.set(id, resolve);
      this.#send({ type: 'answer', id, request });
    });
  }

  /** Stops the thread; call once nothing is pending (after the dispatcher has drained). */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#exited) return;
      // Open keep-alive sockets of the Slack and Anthropic clients would keep the thread alive:
      // once it has released what it holds, end it.
      const released = new Promise<void>((resolve) => {
        this.#closed = resolve;
        this.#worker.once('exit', () => resolve());
      });
      this.#send({ type: 'close' });
      await released;
      await this.#worker.terminate();
    })();
    return this.#closing;
  }

  #send(message: ToAnswerThread): void {
    this.#worker.postMessage(message);
  }

  #settle(id: number): void {
    const resolve = this.#pending.get(id);
    this.#pending.delete(id);
    resolve?.();
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
