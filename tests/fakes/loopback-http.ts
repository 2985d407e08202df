import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A node:http server bound to 127.0.0.1 on a free port, whose `close()` also ends open and hanging requests. */
export interface LoopbackHttpServer {
  readonly port: number;
  /** Aborted when `close()` starts, so pending sleeps and streams in handlers stop at once. */
  readonly closing: AbortSignal;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, closing: AbortSignal) => Promise<void>;

/** Starts `handler` on 127.0.0.1:0; a handler that throws answers 500 instead of crashing the test process. */
export async function startLoopbackHttpServer(handler: Handler): Promise<LoopbackHttpServer> {
  const closingController = new AbortController();
  const server: Server = createServer((req, res) => {
    handler(req, res, closingController.signal).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`fake server error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    port,
    closing: closingController.signal,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closingController.abort();
        server.close(() => resolve());
        // Keep-alive sockets from fetch and requests the fake deliberately never answers would otherwise
        // hold `server.close()` open until the client gives up.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/** Error raised when a request body is larger than the fake accepts. */
export class BodyTooLargeError extends Error {
  constructor(limitBytes: number) {
    super(`request body over ${limitBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** Reads the whole request body as UTF-8, refusing bodies over `limitBytes`. */
export async function readRequestBody(req: IncomingMessage, limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) throw new BodyTooLargeError(limitBytes);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Resolves after `ms`, or early (without error) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Polls `find` every `intervalMs` until it returns a value, or rejects with `describe()` after `timeoutMs`. */
export async function pollUntil<T>(
  find: () => T | undefined,
  options: { timeoutMs: number; intervalMs?: number; describe: () => string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() >= deadline) {
      throw new Error(`Timed out after ${options.timeoutMs} ms: ${options.describe()}`);
    }
    await sleep(Math.min(options.intervalMs ?? 10, Math.max(1, deadline - Date.now())));
  }
}
