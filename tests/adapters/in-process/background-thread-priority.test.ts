import { readlinkSync } from 'node:fs';
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

/** Runs `lowerThisThreadPriority` on a fresh worker thread; resolves what it returned and the thread's nice value. */
function lowerOnWorkerThread(nice: number): Promise<{ lowered: boolean; taskId: number; niceAfter: number }> {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { readlinkSync } = require('node:fs');
    const { getPriority } = require('node:os');
    import(workerData.tsx).then(({ tsImport }) => tsImport(workerData.module, workerData.module)).then(({ lowerThisThreadPriority }) => {
      const lowered = lowerThisThreadPriority(workerData.nice);
      const taskId = Number(readlinkSync('/proc/thread-self').split('/').pop());
      parentPort.postMessage({ lowered, taskId, niceAfter: getPriority(taskId) });
    });
  `;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, {
      eval: true,
      workerData: {
        module: new URL('../../../src/adapters/in-process/background-thread-priority.ts', import.meta.url)
          .href,
        nice,
        tsx: import.meta.resolve('tsx/esm/api'),
      },
    });
    worker.once('message', (message) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

describe.runIf(process.platform === 'linux')('lowerThisThreadPriority', () => {
  it('lowers only the calling thread, not the process that started it', async () => {
    const before = getPriority(process.pid);

    const result = await lowerOnWorkerThread(Math.min(before + 5, 19));

    expect(result.lowered).toBe(true);
    expect(result.niceAfter).toBe(Math.min(before + 5, 19));
    expect(result.taskId).not.toBe(Number(readlinkSync('/proc/thread-self').split('/').pop()));
    expect(getPriority(process.pid)).toBe(before);
  });
});
