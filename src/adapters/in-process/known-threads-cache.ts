import type { ThreadRef } from '../../core/conversation.js';
import type { ThreadStore } from '../../core/ports.js';

type ThreadLookup = Pick<ThreadStore, 'isThreadKnown' | 'startThread'>;

/**
 * Remembers, in this process, threads known to be the bot's, so the ack path of a reply in a busy
 * thread skips its DynamoDB read. Only "yes" is remembered (for `ttlMs`): a thread becomes the bot's
 * at any time, but stays the bot's for its history's lifetime (days), so a cached yes is safe.
 */
export class KnownThreadsCache implements ThreadLookup {
  readonly #store: ThreadLookup;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #known = new Map<string, number>();

  constructor(
    store: ThreadLookup,
    options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
  ) {
    this.#store = store;
    this.#ttlMs = options.ttlMs ?? 10 * 60_000;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  async isThreadKnown(channelId: string, threadTs: string): Promise<boolean> {
    const key = `${channelId}/${threadTs}`;
    const until = this.#known.get(key);
    if (until !== undefined && until > this.#now()) return true;
    const known = await this.#store.isThreadKnown(channelId, threadTs);
    if (known) this.#remember(key);
    else this.#known.delete(key);
    return known;
  }

  async startThread(thread: ThreadRef, startedBy: string): Promise<boolean> {
    const created = await this.#store.startThread(thread, startedBy);
    // Created or already live: either way the thread is the bot's now.
    this.#remember(`${thread.channelId}/${thread.threadTs}`);
    return created;
  }

  #remember(key: string): void {
    this.#known.delete(key);
    this.#known.set(key, this.#now() + this.#ttlMs);
    // Maps keep insertion order: the first key is the least recently remembered.
    while (this.#known.size > this.#maxEntries) {
      const oldest = this.#known.keys().next().value;
      if (oldest === undefined) break;
      this.#known.delete(oldest);
    }
  }
}
