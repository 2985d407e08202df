import { createHash } from 'node:crypto';

// A model of Anthropic prompt caching for the fake Messages API:
// https://platform.claude.com/docs/en/build-with-claude/prompt-caching

/** The request body fields the prompt is rendered from. */
export interface PromptSource {
  model?: unknown;
  tools?: unknown;
  system?: unknown;
  messages?: unknown;
  /** Top-level (automatic) caching: a breakpoint on the last block of the prompt. */
  cache_control?: unknown;
}

/** How long a cache entry lives after it is written or read. */
export type CacheTtl = '5m' | '1h';

/** One block of the prompt, in the order the API renders it: tools, then system, then messages. */
export interface PromptBlock {
  /** `tools`, `system`, or the role of the message the block belongs to. */
  readonly place: 'tools' | 'system' | 'user' | 'assistant';
  /** Index of the tool or of the message (0 for system blocks), so message boundaries are part of the key. */
  readonly index: number;
  /** The block without its `cache_control`: moving a breakpoint does not change the prefix. */
  readonly content: unknown;
  readonly tokens: number;
  /** Set when the block carries a `cache_control` breakpoint. */
  readonly breakpoint?: CacheTtl;
}

/** Usage figures computed for one request; they always add up: read + creation + input = the prompt's tokens. */
export interface PromptUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

/** A live cache entry: the prompt prefix up to and including a breakpoint block. */
export interface PromptCacheEntry {
  readonly model: string;
  /** Prompt blocks in the prefix (tools, system and message blocks together). */
  readonly blocks: number;
  readonly tokens: number;
  readonly ttl: CacheTtl;
  readonly createdAt: number;
  /** Moves forward on every read. */
  readonly expiresAt: number;
  readonly reads: number;
}

/** Options of the fake's prompt-cache mode. */
export interface PromptCacheOptions {
  /** Shortest prefix that gets cached; shorter ones are silently not cached. Default 1,024 (the API: 1,024-4,096 by model). */
  minCacheableTokens?: number;
  /** Block boundaries before each breakpoint also checked for a cached prefix. Default 20, as the API documents. */
  lookbackBlocks?: number;
  /** Clock in ms; default `Date.now`. `advance()` moves it further. */
  now?: () => number;
}

/** The prompt cache of one fake (one workspace, in the API's terms). */
export interface PromptCache {
  /** Why the request's cache breakpoints are invalid (the API's 400 message), or undefined. */
  validate(body: PromptSource): string | undefined;
  /** Reads and writes the cache for one request the model answers, and returns its usage. */
  account(body: PromptSource): PromptUsage;
  /** Live entries, oldest write first. */
  entries(): PromptCacheEntry[];
  clear(): void;
  /** Moves the cache clock forward by `ms`. */
  advance(ms: number): void;
}

const MAX_BREAKPOINTS = 4;
const TTL_MS: Record<CacheTtl, number> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };

/** Token estimate of a whole request: characters / 4, counted per block (at least 1). */
export function estimatePromptTokens(body: PromptSource): number {
  const tokens = promptBlocks(body).reduce((sum, block) => sum + block.tokens, 0);
  return Math.max(1, tokens);
}

/** The request's prompt as blocks: each tool, each system block, each message content block. */
export function promptBlocks(body: PromptSource): PromptBlock[] {
  const blocks: PromptBlock[] = [];
  const add = (place: PromptBlock['place'], index: number, raw: unknown) => {
    const { cache_control: cacheControl, ...content } = isRecord(raw) ? raw : { value: raw };
    const breakpoint = parseCacheControl(cacheControl);
    blocks.push({
      place,
      index,
      content,
      tokens: estimateBlockTokens(content),
      ...(typeof breakpoint === 'string' ? { breakpoint } : {}),
    });
  };
  if (Array.isArray(body.tools)) {
    for (const [index, tool] of body.tools.entries()) add('tools', index, tool);
  }
  for (const block of asBlocks(body.system)) add('system', 0, block);
  if (Array.isArray(body.messages)) {
    for (const [index, message] of body.messages.entries()) {
      if (!isRecord(message) || (message.role !== 'user' && message.role !== 'assistant')) continue;
      for (const block of asBlocks(message.content)) add(message.role, index, block);
    }
  }
  const last = blocks.at(-1);
  const automatic = parseCacheControl(body.cache_control);
  if (last && typeof automatic === 'string' && last.breakpoint === undefined) {
    blocks[blocks.length - 1] = { ...last, breakpoint: automatic };
  }
  return blocks;
}

/** Creates an empty prompt cache. */
export function createPromptCache(options: PromptCacheOptions = {}): PromptCache {
  const minTokens = options.minCacheableTokens ?? 1024;
  const lookback = options.lookbackBlocks ?? 20;
  const clock = options.now ?? Date.now;
  let offsetMs = 0;
  const now = () => clock() + offsetMs;
  const store = new Map<string, PromptCacheEntry>();

  const live = (key: string, at: number): PromptCacheEntry | undefined => {
    const entry = store.get(key);
    if (entry === undefined || entry.expiresAt > at) return entry;
    store.delete(key);
    return undefined;
  };

  return {
    validate: (body) => {
      for (const value of cacheControlValues(body)) {
        const problem = parseCacheControl(value);
        if (typeof problem === 'object') return problem.invalid;
      }
      const breakpoints = promptBlocks(body).flatMap((block) => block.breakpoint ?? []);
      if (breakpoints.length > MAX_BREAKPOINTS) {
        return `A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. Found ${breakpoints.length}.`;
      }
      const firstShort = breakpoints.indexOf('5m');
      if (firstShort !== -1 && breakpoints.indexOf('1h', firstShort) !== -1) {
        return "A cache_control block with ttl='1h' must not come after one with ttl='5m'.";
      }
      return undefined;
    },

    account: (body) => {
      const at = now();
      const model = typeof body.model === 'string' ? body.model : '';
      const blocks = promptBlocks(body);
      const total = estimatePromptTokens(body);
      const keys = prefixKeys(model, blocks);
      const prefixTokens: number[] = [];
      for (const [position, block] of blocks.entries()) {
        prefixTokens.push((prefixTokens[position - 1] ?? 0) + block.tokens);
      }
      const breakpoints = blocks.flatMap((block, position) => (block.breakpoint ? [position] : []));

      // The longest cached prefix ending at a breakpoint or up to `lookback` blocks before one.
      let readEnd = -1;
      for (const breakpoint of breakpoints) {
        const earliest = Math.max(0, breakpoint - lookback, readEnd + 1);
        for (let position = breakpoint; position >= earliest; position -= 1) {
          if (live(keys[position], at)) {
            readEnd = position;
            break;
          }
        }
      }
      let read = 0;
      const hit = live(keys[readEnd] ?? '', at);
      if (hit) {
        store.set(keys[readEnd], { ...hit, expiresAt: at + TTL_MS[hit.ttl], reads: hit.reads + 1 });
        read = hit.tokens;
      }

      // Every later breakpoint long enough is written; tokens count towards the TTL of the breakpoint ending them.
      const created: Record<CacheTtl, number> = { '5m': 0, '1h': 0 };
      let writtenTokens = read;
      for (const position of breakpoints) {
        const ttl = blocks[position].breakpoint;
        const tokens = prefixTokens[position];
        if (position <= readEnd || tokens < minTokens || ttl === undefined) continue;
        created[ttl] += tokens - writtenTokens;
        writtenTokens = tokens;
        store.delete(keys[position]); // re-inserted last, so entries() lists writes in order
        store.set(keys[position], {
          model,
          blocks: position + 1,
          tokens,
          ttl,
          createdAt: at,
          expiresAt: at + TTL_MS[ttl],
          reads: 0,
        });
      }
      const creation = created['5m'] + created['1h'];
      return {
        input_tokens: total - read - creation,
        cache_creation_input_tokens: creation,
        cache_read_input_tokens: read,
        cache_creation: {
          ephemeral_5m_input_tokens: created['5m'],
          ephemeral_1h_input_tokens: created['1h'],
        },
      };
    },

    entries: () => {
      const at = now();
      return [...store.keys()].flatMap((key) => live(key, at) ?? []);
    },
    clear: () => store.clear(),
    advance: (ms) => {
      offsetMs += ms;
    },
  };
}

/** Characters / 4 of a block: its text for a text block, its JSON for any other block or a tool. */
function estimateBlockTokens(content: Record<string, unknown>): number {
  const chars =
    content.type === 'text' && typeof content.text === 'string'
      ? content.text.length
      : JSON.stringify(content).length;
  return Math.ceil(chars / 4);
}

/** Chained hashes: the key of a position covers the model and every block up to it, with its place. */
function prefixKeys(model: string, blocks: readonly PromptBlock[]): string[] {
  let previous = createHash('sha256').update(JSON.stringify({ model })).digest('hex');
  return blocks.map((block) => {
    previous = createHash('sha256')
      .update(previous)
      .update(JSON.stringify([block.place, block.index, block.content]))
      .digest('hex');
    return previous;
  });
}

/** A string content is one text block; an array is its blocks; anything else is no block. */
function asBlocks(content: unknown): unknown[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? content : [];
}

/** The TTL of a breakpoint, undefined for none (absent or null), or why the value is invalid. */
function parseCacheControl(value: unknown): CacheTtl | undefined | { invalid: string } {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value) || value.type !== 'ephemeral') {
    return { invalid: "cache_control.type: Input should be 'ephemeral'" };
  }
  if (value.ttl === undefined || value.ttl === '5m' || value.ttl === '1h') return value.ttl ?? '5m';
  return { invalid: "cache_control.ttl: Input should be '5m' or '1h'" };
}

/** Every `cache_control` value of a request: top level, tools, system blocks, message content blocks. */
function cacheControlValues(body: PromptSource): unknown[] {
  const values: unknown[] = [body.cache_control];
  const collect = (blocks: unknown[]) => {
    for (const block of blocks) if (isRecord(block)) values.push(block.cache_control);
  };
  if (Array.isArray(body.tools)) collect(body.tools);
  collect(asBlocks(body.system));
  if (Array.isArray(body.messages)) {
    for (const message of body.messages) if (isRecord(message)) collect(asBlocks(message.content));
  }
  return values;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
