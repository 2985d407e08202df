import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `pnpm start` (src/handlers/local-server.ts) as its own process, as an operator runs it. */
export interface LocalServerProcess {
  /** `http://127.0.0.1:<port>/slack/events` */
  readonly url: string;
  /** The exit code or signal once the process ended; undefined while it runs. */
  exited(): string | undefined;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s) and removes its data folder. */
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 15_000;

/** Starts the local server on a free port with exactly `env` (plus PATH) against loopback fakes. */
export async function startLocalServerProcess(env: Record<string, string>): Promise<LocalServerProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'architect-hostile-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/handlers/local-server.ts'], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH ?? '',
      // Set, even empty, so a developer's .env (which never overrides) cannot switch modes.
      SLACK_APP_TOKEN: '',
      SLACK_BOT_USER_ID: '',
      DYNAMODB_ENDPOINT: '',
      DATA_DIR: dataDir,
      PORT: '0',
      TABLE_NAME: 'architect-hostile',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exit: string | undefined;
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const ended = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = signal ?? `exit code ${code}`;
      resolve();
    });
  });

  const port = await portWhenRunning(
    () => output,
    () => exit,
    STARTUP_TIMEOUT_MS,
  );
  if (port === undefined) {
    await stopChild(child, ended);
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(`the local server did not start (${exit ?? 'still starting'}):\n${output}`);
  }
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    exited: () => exit,
    output: () => output,
    async stop() {
      await stopChild(child, ended);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function portWhenRunning(
  output: () => string,
  exited: () => string | undefined,
  timeoutMs: number,
): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && exited() === undefined) {
    const match = /"url":"http:\/\/localhost:(\d+)\/slack\/events"/.exec(output());
    if (match?.[1]) return Number(match[1]);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

async function stopChild(child: ChildProcess, ended: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killed = await Promise.race([
    ended.then(() => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), 5_000)),
  ]);
  if (!killed) {
    child.kill('SIGKILL');
    await ended;
  }
}
