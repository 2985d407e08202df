// A child process the parent talks to while it runs (node's IPC channel): a server under test, or a
// load generator that waits for the go-ahead between its warm-up and its timed requests.

import { type ChildProcess, spawn } from 'node:child_process';

/** A running child with an IPC channel; every wait has a deadline. */
export interface IpcChild {
  send(message: object): void;
  /** The next message of `type` (earlier ones are kept until asked for); fails after `timeoutMs` or on exit. */
  next<T extends { type: string }>(type: T['type'], timeoutMs: number): Promise<T>;
  /** What the child wrote to stdout so far, when started with `keepStdout`. */
  stdout(): string;
  stdoutBytes(): number;
  /** Waits up to `timeoutMs` for the child to exit, then kills it. */
  exited(timeoutMs: number): Promise<void>;
  kill(): void;
}

/** Starts `node <args>` with a clean environment (only PATH and `env`) and an IPC channel. */
export function startIpcChild(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  options: { readonly cwd: string; readonly label: string; readonly keepStdout?: boolean },
): IpcChild {
  const child: ChildProcess = spawn(process.execPath, [...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const chunks: Buffer[] = [];
  let stdoutBytes = 0;
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdoutBytes += chunk.length;
    if (options.keepStdout) chunks.push(chunk);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });

  const inbox: Array<{ type: string }> = [];
  const waiters: Array<{ type: string; resolve: (message: { type: string }) => void }> = [];
  let exitError: Error | undefined;
  const failures = new Set<(error: Error) => void>();
  child.on('message', (raw: unknown) => {
    const message = raw as { type: string };
    const index = waiters.findIndex((waiter) => waiter.type === message.type);
    const [waiter] = index === -1 ? [] : waiters.splice(index, 1);
    if (waiter) waiter.resolve(message);
    else inbox.push(message);
  });
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitError = new Error(
        `${options.label} exited (${signal ?? `code ${code}`}) before answering:\n${stderr.trim()}`,
      );
      for (const fail of failures) fail(exitError);
      resolve();
    });
  });

  return {
    send(message) {
      child.send?.(message);
    },
    next<T extends { type: string }>(type: T['type'], timeoutMs: number): Promise<T> {
      const index = inbox.findIndex((message) => message.type === type);
      const [queued] = index === -1 ? [] : inbox.splice(index, 1);
      if (queued) return Promise.resolve(queued as T);
      if (exitError) return Promise.reject(exitError);
      return new Promise<T>((resolve, reject) => {
        const fail = (error: Error) => {
          clearTimeout(timer);
          reject(error);
        };
        const timer = setTimeout(() => {
          failures.delete(fail);
          child.kill('SIGKILL');
          reject(new Error(`${options.label} sent no '${type}' within ${timeoutMs} ms:\n${stderr.trim()}`));
        }, timeoutMs);
        failures.add(fail);
        waiters.push({
          type,
          resolve: (message) => {
            clearTimeout(timer);
            failures.delete(fail);
            resolve(message as T);
          },
        });
      });
    },
    stdout: () => Buffer.concat(chunks).toString('utf8'),
    stdoutBytes: () => stdoutBytes,
    async exited(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        exit,
        new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      await exit;
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
