import { describe, expect, it } from 'vitest';
import { ThreadSerialDispatcher } from '../../../src/adapters/in-process/thread-serial-dispatcher.js';
import type { IncomingRequest } from '../../../src/core/conversation.js';
import type { Log } from '../../../src/core/ports.js';

/** A request for the post `postTs` in the thread `threadTs` of `channelId`. */
function job(threadTs: string, postTs: string, channelId = 'C1'): IncomingRequest {
  return {
    teamId: 'T1',
    channelId,
    userId: 'U1',
    text: `question ${postTs}`,
    kind: 'follow-up',
    source: { type: 'post', postTs, threadTs },
  };
}

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

interface LoggedLine {
  level: keyof Log;
  message: string;
  fields: Record<string, unknown> | undefined;
}

function recordingLog(): Log & { lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const record = (level: keyof Log) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, fields });
  };
  return {
    lines,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
}

/**
 * A runner whose jobs each wait for their own gate, keyed by postTs, and that records when each
 * job starts and ends.
 */
function gatedRunner() {
  const gates = new Map<string, Deferred>();
  const events: string[] = [];
  const started = new Map<string, Deferred>();
  const gateOf = (postTs: string) => {
    let gate = gates.get(postTs);
    if (!gate) {
      gate = deferred();
      gates.set(postTs, gate);
    }
    return gate;
  };
  const startedOf = (postTs: string) => {
    let signal = started.get(postTs);
    if (!signal) {
      signal = deferred();
      started.set(postTs, signal);
    }
    return signal;
  };
  const run = async (answer: IncomingRequest) => {
    events.push(`start ${postTsOf(answer)}`);
    startedOf(postTsOf(answer)).resolve();
    await gateOf(postTsOf(answer)).promise;
    events.push(`end ${postTsOf(answer)}`);
  };
  return {
    run,
    events,
    /** Lets the job with this postTs finish. */
    release: (postTs: string) => gateOf(postTs).resolve(),
    /** Makes the job with this postTs throw. */
    fail: (postTs: string, error: unknown) => gateOf(postTs).reject(error),
    /** Resolves once the job with this postTs has started. */
    hasStarted: (postTs: string) => startedOf(postTs).promise,
  };
}

/** Lets every already-settled promise callback run. */
async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

describe('ThreadSerialDispatcher', () => {
  it('runs the jobs of one thread one after another, in dispatch order', async () => {
    const runner = gatedRunner();
    const dispatcher = new ThreadSerialDispatcher(runner.run, recordingLog());

    await dispatcher.dispatch(job('100.1', '100.1'));
    await dispatcher.dispatch(job('100.1', '100.2'));
    await runner.hasStarted('100.1');
    await flushMicrotasks();
    const whileFirstRuns = [...runner.events];
    runner.release('100.1');
    await runner.hasStarted('100.2');
    runner.release('100.2');
    await dispatcher.drain();

    expect(whileFirstRuns).toEqual(['start 100.1']);
    expect(runner.events).toEqual(['start 100.1', 'end 100.1', 'start 100.2', 'end 100.2']);
  });

  it('runs the jobs of different threads at the same time', async () => {
    const runner = gatedRunner();
    const dispatcher = new ThreadSerialDispatcher(runner.run, recordingLog());

    await dispatcher.dispatch(job('100.1', '100.1'));
    await dispatcher.dispatch(job('200.1', '200.1'));
    await runner.hasStarted('100.1');
    await flushMicrotasks();
    // Neither job has been allowed to finish, yet both have started: they overlap.
    const beforeRelease = [...runner.events];
    const busyBeforeRelease = dispatcher.busyThreads;
    runner.release('200.1');
    runner.release('100.1');
    await dispatcher.drain();

    expect(beforeRelease).toEqual(['start 100.1', 'start 200.1']);
    expect(busyBeforeRelease).toBe(2);
  });

  it('treats the same thread ts in two channels as two threads', async () => {
    const runner = gatedRunner();
    const dispatcher = new ThreadSerialDispatcher(runner.run, recordingLog());

    await dispatcher.dispatch(job('100.1', '100.1', 'C1'));
    await dispatcher.dispatch(job('100.1', '100.2', 'C2'));
    await runner.hasStarted('100.1');
    await flushMicrotasks();
    const beforeRelease = [...runner.events];
    runner.release('100.1');
    runner.release('100.2');
    await dispatcher.drain();

    expect(beforeRelease).toEqual(['start 100.1', 'start 100.2']);
  });

  it('logs a job that throws and still runs the next job of its thread', async () => {
    const runner = gatedRunner();
    const log = recordingLog();
    const dispatcher = new ThreadSerialDispatcher(runner.run, log);
    const crash = new Error('Slack said channel_not_found');

    await dispatcher.dispatch(job('100.1', '100.1'));
    await dispatcher.dispatch(job('100.1', '100.2'));
    await runner.hasStarted('100.1');
    runner.fail('100.1', crash);
    runner.release('100.2');
    await dispatcher.drain();

    expect(runner.events).toEqual(['start 100.1', 'start 100.2', 'end 100.2']);
    expect(log.lines).toEqual([
      { level: 'error', message: 'job crashed', fields: { channel: 'C1', error: crash } },
    ]);
  });

  it('drain resolves only after every queued job has finished', async () => {
    const runner = gatedRunner();
    const dispatcher = new ThreadSerialDispatcher(runner.run, recordingLog());
    await dispatcher.dispatch(job('100.1', '100.1'));
    await dispatcher.dispatch(job('100.1', '100.2'));
    await dispatcher.dispatch(job('200.1', '200.1'));
    let drained = false;

    const draining = dispatcher.drain().then(() => {
      drained = true;
    });
    runner.release('100.1');
    runner.release('200.1');
    await runner.hasStarted('100.2');
    await flushMicrotasks();
    const drainedWhileJobQueued = drained;
    runner.release('100.2');
    await draining;

    expect(drainedWhileJobQueued).toBe(false);
    expect(runner.events).toContain('end 100.2');
    expect(runner.events.filter((event) => event.startsWith('end'))).toHaveLength(3);
  });

  it('drain also waits for a job dispatched while it was waiting', async () => {
    const runner = gatedRunner();
    const dispatcher = new ThreadSerialDispatcher(runner.run, recordingLog());
    await dispatcher.dispatch(job('100.1', '100.1'));
    let drained = false;

    const draining = dispatcher.drain().then(() => {
      drained = true;
    });
    await dispatcher.dispatch(job('200.1', '200.1'));
    runner.release('100.1');
    await runner.hasStarted('200.1');
    await flushMicrotasks();
    const drainedWhileLateJobRuns = drained;
    runner.release('200.1');
    await draining;

    expect(drainedWhileLateJobRuns).toBe(false);
    expect(runner.events).toContain('end 200.1');
  });

  it('counts busy threads and returns to 0 when every job is done', async () => {
    const runner = gatedRunner();
    const dispatcher = new ThreadSerialDispatcher(runner.run, recordingLog());

    await dispatcher.dispatch(job('100.1', '100.1'));
    await dispatcher.dispatch(job('100.1', '100.2'));
    await dispatcher.dispatch(job('200.1', '200.1'));
    const busyWhileRunning = dispatcher.busyThreads;
    for (const postTs of ['100.1', '100.2', '200.1']) runner.release(postTs);
    await dispatcher.drain();

    expect(busyWhileRunning).toBe(2);
    expect(dispatcher.busyThreads).toBe(0);
  });

  it('returns to 0 busy threads after a job throws', async () => {
    const runner = gatedRunner();
    const dispatcher = new ThreadSerialDispatcher(runner.run, recordingLog());

    await dispatcher.dispatch(job('100.1', '100.1'));
    await runner.hasStarted('100.1');
    runner.fail('100.1', new Error('boom'));
    await dispatcher.drain();

    expect(dispatcher.busyThreads).toBe(0);
  });

  it('runs at most maxConcurrent threads at once and starts the next one when a slot frees', async () => {
    const runner = gatedRunner();
    const dispatcher = new ThreadSerialDispatcher(runner.run, recordingLog(), { maxConcurrent: 2 });

    await dispatcher.dispatch(job('1.1', 'a'));
    await dispatcher.dispatch(job('2.2', 'b'));
    await dispatcher.dispatch(job('3.3', 'c'));
    await Promise.all([runner.hasStarted('a'), runner.hasStarted('b')]);
    await flushMicrotasks();
    expect(runner.events).toEqual(['start a', 'start b']);

    runner.release('b');
    await runner.hasStarted('c');
    expect(runner.events).toEqual(['start a', 'start b', 'end b', 'start c']);

    runner.release('a');
    runner.release('c');
    await dispatcher.drain();
    expect(dispatcher.busyThreads).toBe(0);
  });

  it('frees the slot of a job that throws', async () => {
    const runner = gatedRunner();
    const dispatcher = new ThreadSerialDispatcher(runner.run, recordingLog(), { maxConcurrent: 1 });

    await dispatcher.dispatch(job('1.1', 'a'));
    await dispatcher.dispatch(job('2.2', 'b'));
    await runner.hasStarted('a');
    runner.fail('a', new Error('boom'));
    await runner.hasStarted('b');
    runner.release('b');
    await dispatcher.drain();
    expect(runner.events).toEqual(['start a', 'start b', 'end b']);
  });

  it("takes a thread's waiting requests in posting order, whatever order their hand-offs finished in", async () => {
    const runner = gatedRunner();
    const dispatcher = new ThreadSerialDispatcher(runner.run, recordingLog());

    await dispatcher.dispatch(job('1.1', '1700000000.000001'));
    await runner.hasStarted('1700000000.000001');
    // Two quick replies whose hand-offs finished the other way round.
    await dispatcher.dispatch(job('1.1', '1700000000.000003'));
    await dispatcher.dispatch(job('1.1', '1700000000.000002'));
    runner.release('1700000000.000001');
    await runner.hasStarted('1700000000.000002');
    runner.release('1700000000.000002');
    await runner.hasStarted('1700000000.000003');
    runner.release('1700000000.000003');
    await dispatcher.drain();

    expect(runner.events.filter((event) => event.startsWith('start'))).toEqual([
      'start 1700000000.000001',
      'start 1700000000.000002',
      'start 1700000000.000003',
    ]);
  });

  it('starts each job only once beforeStart lets it, and then the earliest post waiting', async () => {
    const runner = gatedRunner();
    const holds: Deferred[] = [];
    const dispatcher = new ThreadSerialDispatcher(runner.run, recordingLog(), {
      beforeStart: () => {
        const hold = deferred();
        holds.push(hold);
        return hold.promise;
      },
    });

    await dispatcher.dispatch(job('1.1', '1700000000.000003'));
    await flushMicrotasks();
    const startedWhileHeld = [...runner.events];
    // A post made earlier whose hand-off finished later, while the first was held back.
    await dispatcher.dispatch(job('1.1', '1700000000.000002'));
    holds[0]?.resolve();
    await runner.hasStarted('1700000000.000002');
    runner.release('1700000000.000002');
    await flushMicrotasks();
    const startedBeforeSecondHold = runner.events.filter((event) => event.startsWith('start'));
    holds[1]?.resolve();
    await runner.hasStarted('1700000000.000003');
    runner.release('1700000000.000003');
    await dispatcher.drain();

    expect(startedWhileHeld).toEqual([]);
    expect(startedBeforeSecondHold).toEqual(['start 1700000000.000002']);
    expect(holds).toHaveLength(2);
    expect(runner.events).toEqual([
      'start 1700000000.000002',
      'end 1700000000.000002',
      'start 1700000000.000003',
      'end 1700000000.000003',
    ]);
  });

  it('still runs a job whose hold failed', async () => {
    const runner = gatedRunner();
    const dispatcher = new ThreadSerialDispatcher(runner.run, recordingLog(), {
      beforeStart: () => Promise.reject(new Error('hold broke')),
    });

    await dispatcher.dispatch(job('1.1', '1.2'));
    await runner.hasStarted('1.2');
    runner.release('1.2');
    await dispatcher.drain();

    expect(runner.events).toEqual(['start 1.2', 'end 1.2']);
  });
});

function postTsOf(request: IncomingRequest): string {
  return request.source.postTs;
}
