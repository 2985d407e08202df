import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
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
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.dataDir === undefined ? {} : { path: options.dataDir }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

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

  return { endpoint: `http://${urlHost}:${port}`, close };
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
