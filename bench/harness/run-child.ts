// Runs one child script with plain `node` and a clean environment, and reads the JSON result it writes.

import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CHILD_SETTINGS } from '../children/child-protocol.js';

/** The child's result and what it printed. */
export interface ChildOutcome<T> {
  readonly result: T;
  /** Bytes the child wrote to stdout (the handler's JSON logs and EMF metrics). */
  readonly stdoutBytes: number;
}

let childCount = 0;

/** Runs `script`, kills it after `timeoutMs`, and fails with the end of its stderr when it fails. */
export async function runChild<T>(
  script: string,
  env: Readonly<Record<string, string>>,
  options: { readonly workDir: string; readonly timeoutMs: number },
): Promise<ChildOutcome<T>> {
  childCount += 1;
  const resultFile = join(options.workDir, `child-${childCount}.json`);
  const child = spawn(process.execPath, [script], {
    // Nothing from the parent's environment (NODE_OPTIONS, a tsx loader, AWS_* settings) leaks in.
    env: { PATH: process.env.PATH ?? '', ...env, [CHILD_SETTINGS.resultFile]: resultFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdoutBytes = 0;
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdoutBytes += chunk.length;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  }).finally(() => clearTimeout(timer));
  if (code !== 0) {
    const how = signal
      ? `was killed (${signal}${signal === 'SIGKILL' ? `, over ${options.timeoutMs} ms` : ''})`
      : `exited ${code}`;
    throw new Error(`child ${script} ${how}:\n${stderr}`);
  }
  const result = JSON.parse(await readFile(resultFile, 'utf8')) as T;
  await rm(resultFile, { force: true });
  return { result, stdoutBytes };
}
