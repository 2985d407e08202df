import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import dynalite from 'dynalite';
import { StoreError } from '../../core/errors.js';

/** Where and how `startLocalDynalite` runs dynalite. */
export interface LocalDynaliteOptions {
  /** Folder for on-disk persistence (created if missing); in-memory when absent. */
  readonly dataDir?: string;
  /** Default 0: any free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /**
   * Run the emulator on a worker thread of its own instead of this thread's event loop: what the
   * local bot does, so that answering a burst of requests (a dozen table calls each) does not delay
   * Slack's acknowledgements, as a real DynamoDB out of process would not. Default false.
   */
  readonly thread?: boolean;
  /** With `thread`, the nice value to lower that thread to (Linux only); unchanged when absent. */
  readonly threadNice?: number;
}

/** A running in-process dynalite. */
export interface LocalDynalite {
  /** `http://<host>:<port>`, for `createDynamoDBClients({ endpoint })`. */
  readonly endpoint: string;
  /** Stops the server, drops its connections and closes the LevelDB store. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts an in-process DynamoDB emulator (dynalite) for local runs and tests. */
export async function startLocalDynalite(options: LocalDynaliteOptions = {}): Promise<LocalDynalite> {
  const host = options.host ?? '127.0.0.1';
  if (options.dataDir !== undefined) {
    await mkdir(options.dataDir, { recursive: true });
    await assertDataDirFree(options.dataDir);
  }
  const dynaliteOptions = {
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.dataDir === undefined ? {} : { path: options.dataDir }),
  };
  if (options.thread) {
    return startOnWorkerThread(dynaliteOptions, host, options.port ?? 0, options.threadNice);
  }
  const server = dynalite(dynaliteOptions);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      // dynalite closes LevelDB only once the HTTP server has stopped, which waits for every open
      // connection (Node 20 drops only the idle ones): end requests still in flight too.
      server.closeAllConnections();
    });
    return closing;
  };

  return { endpoint: endpointUrl(host, port), close };
}

function endpointUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

type ThreadMessage =
  | { type: 'listening'; port: number }
  | { type: 'closed' }
  | { type: 'error'; message: string };

/** dynalite on a worker thread (`dynalite-thread.cjs`), driven over the thread's message port. */
async function startOnWorkerThread(
  dynaliteOptions: Record<string, unknown>,
  host: string,
  port: number,
  nice: number | undefined,
): Promise<LocalDynalite> {
  const worker = new Worker(new URL('./dynalite-thread.cjs', import.meta.url), {
    workerData: {
      dynalitePath: createRequire(import.meta.url).resolve('dynalite'),
      options: dynaliteOptions,
      host,
      port,
      lowerPriority: nice,
    },
  });
  // One listener for the thread's whole life: each step waits for the message it expects.
  const waiting = new Map<'listening' | 'closed', (message: ThreadMessage) => void>();
  let failed: Error | undefined;
  const fail = (error: Error) => {
    failed ??= error;
    for (const settle of waiting.values()) settle({ type: 'error', message: error.message });
    waiting.clear();
  };
  worker.on('message', (message: ThreadMessage) => {
    if (message.type === 'error') fail(new Error(message.message));
    else waiting.get(message.type)?.(message);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the dynalite thread stopped (exit code ${code})`)));
  const next = (type: 'listening' | 'closed'): Promise<ThreadMessage> =>
    failed
      ? Promise.resolve({ type: 'error', message: failed.message })
      : new Promise((resolve) => waiting.set(type, resolve));

  const started = await next('listening');
  if (started.type !== 'listening') {
    await worker.terminate();
    throw new StoreError(`dynalite could not start: ${started.type === 'error' ? started.message : ''}`);
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      if (!failed) {
        const closed = next('closed');
        worker.postMessage('close');
        await closed;
      }
      await worker.terminate();
    })();
    return closing;
  };
  return { endpoint: endpointUrl(host, started.port), close };
}

/** The part of LevelDB's `level` package used below. */
interface LevelDatabase {
  open(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Fails fast when another dynalite (in this process or another) holds the folder's LevelDB lock.
 * dynalite itself starts regardless and then leaves every request hanging, with an uncaught
 * "Iterator is not open" error. Uses dynalite's own copy of `level`, so the probe opens the folder
 * exactly as dynalite will.
 */
async function assertDataDirFree(dataDir: string): Promise<void> {
  const requireFromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const { Level } = requireFromDynalite('level') as { Level: new (location: string) => LevelDatabase };
  const probe = new Level(dataDir);
  try {
    await probe.open();
  } catch (error) {
    throw new StoreError(`dynalite data folder ${dataDir} cannot be opened; is another dynalite using it?`, {
      cause: error,
    });
  }
  await probe.close();
}
