import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The nice value of the local bot's background threads: below the acks, above idle work. */
export const BACKGROUND_NICE = 10;

/**
 * Lowers the CPU priority of the calling thread (a worker thread), so that when the machine is busy
 * the thread that acknowledges Slack requests runs first and answering waits. Linux only: a thread
 * is a task there with its own nice value, named by `/proc/thread-self`. Elsewhere, or when the
 * system refuses, it changes nothing and returns false.
 */
export function lowerThisThreadPriority(nice = BACKGROUND_NICE): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const taskId = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    if (!Number.isInteger(taskId) || taskId <= 0) return false;
    setPriority(taskId, nice);
    return true;
  } catch {
    return false;
  }
}
