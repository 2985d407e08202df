import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AckTraffic } from '../../../src/adapters/in-process/ack-traffic.js';

const QUIET_MS = 20;
const MAX_HOLD_MS = 500;

/** Tracks whether `whenQuiet` has resolved. */
function watch(traffic: AckTraffic): { readonly released: () => boolean } {
  let released = false;
  void traffic.whenQuiet().then(() => {
    released = true;
  });
  return { released: () => released };
}

describe('AckTraffic', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const traffic = () => new AckTraffic({ quietMs: QUIET_MS, maxHoldMs: MAX_HOLD_MS, now: () => Date.now() });

  it('lets an answer start at once when no request has come in', async () => {
    const answer = watch(traffic());

    await vi.advanceTimersByTimeAsync(0);

    expect(answer.released()).toBe(true);
  });

  it('holds an answer while a request is being acknowledged, and a moment after', async () => {
    const acks = traffic();
    const end = acks.begin();
    const answer = watch(acks);

    await vi.advanceTimersByTimeAsync(3 * QUIET_MS);
    const whileInFlight = answer.released();
    end();
    await vi.advanceTimersByTimeAsync(QUIET_MS / 2);
    const soonAfter = answer.released();
    await vi.advanceTimersByTimeAsync(2 * QUIET_MS);

    expect(whileInFlight).toBe(false);
    expect(soonAfter).toBe(false);
    expect(answer.released()).toBe(true);
    expect(acks.inFlight).toBe(0);
  });

  it('holds answers through a burst of short requests, then lets them all go', async () => {
    const acks = traffic();
    acks.begin()();
    const answers = [watch(acks), watch(acks)];

    // A request every 5 ms for 200 ms, each acknowledged at once: never quiet for 20 ms.
    for (let elapsed = 0; elapsed < 200; elapsed += 5) {
      acks.begin()();
      await vi.advanceTimersByTimeAsync(5);
    }
    const duringBurst = answers.map((answer) => answer.released());
    await vi.advanceTimersByTimeAsync(2 * QUIET_MS);

    expect(duringBurst).toEqual([false, false]);
    expect(answers.map((answer) => answer.released())).toEqual([true, true]);
  });

  it('holds an answer for maxHoldMs at the most, however busy the acks are', async () => {
    const acks = traffic();
    acks.begin();
    const answer = watch(acks);

    await vi.advanceTimersByTimeAsync(MAX_HOLD_MS - 1);
    const justBefore = answer.released();
    await vi.advanceTimersByTimeAsync(1);

    expect(justBefore).toBe(false);
    expect(answer.released()).toBe(true);
    expect(acks.inFlight).toBe(1);
  });

  it('counts a request once, however many times its end is reported', () => {
    const acks = traffic();
    const first = acks.begin();
    acks.begin();

    first();
    first();

    expect(acks.inFlight).toBe(1);
  });
});
