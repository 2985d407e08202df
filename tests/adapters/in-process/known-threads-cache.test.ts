import { describe, expect, it } from 'vitest';
import { KnownThreadsCache } from '../../../src/adapters/in-process/known-threads-cache.js';
import type { ThreadRef } from '../../../src/core/conversation.js';

/** A thread lookup over a set, counting the reads that reach it. */
function lookup(known: Set<string>) {
  const counts = { reads: 0 };
  return {
    counts,
    isThreadKnown: async (channelId: string, threadTs: string) => {
      counts.reads += 1;
      return known.has(`${channelId}/${threadTs}`);
    },
    startThread: async (thread: ThreadRef) => {
      known.add(`${thread.channelId}/${thread.threadTs}`);
      return true;
    },
  };
}

describe('KnownThreadsCache', () => {
  it('reads a known thread once, then answers from memory until the entry ages out', async () => {
    let now = 0;
    const store = lookup(new Set(['C1/1.1']));
    const cache = new KnownThreadsCache(store, { ttlMs: 1_000, now: () => now });

    for (let i = 0; i < 5; i += 1) expect(await cache.isThreadKnown('C1', '1.1')).toBe(true);
    expect(store.counts.reads).toBe(1);

    now = 1_001;
    expect(await cache.isThreadKnown('C1', '1.1')).toBe(true);
    expect(store.counts.reads).toBe(2);
  });

  it('never remembers a "no": a stranger thread that the bot joins later is seen at once', async () => {
    const known = new Set<string>();
    const store = lookup(known);
    const cache = new KnownThreadsCache(store);

    expect(await cache.isThreadKnown('C1', '2.2')).toBe(false);
    known.add('C1/2.2');
    expect(await cache.isThreadKnown('C1', '2.2')).toBe(true);
  });

  it('remembers a thread it marked, without reading it back', async () => {
    const store = lookup(new Set());
    const cache = new KnownThreadsCache(store);
    await cache.startThread({ teamId: 'T1', channelId: 'C1', threadTs: '3.3' }, 'U1');

    expect(await cache.isThreadKnown('C1', '3.3')).toBe(true);
    expect(store.counts.reads).toBe(0);
  });

  it('holds at most maxEntries threads, dropping the least recently remembered', async () => {
    const store = lookup(new Set(['C1/1', 'C1/2', 'C1/3']));
    const cache = new KnownThreadsCache(store, { maxEntries: 2 });
    for (const ts of ['1', '2', '3']) await cache.isThreadKnown('C1', ts);
    store.counts.reads = 0;

    await cache.isThreadKnown('C1', '3');
    await cache.isThreadKnown('C1', '1');
    expect(store.counts.reads).toBe(1);
  });
});
