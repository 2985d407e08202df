import Anthropic, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AuthenticationError,
  BadRequestError,
  OverloadedError,
} from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeAnthropic, startFakeAnthropic } from './anthropic-messages.js';

const MODEL = 'claude-sonnet-5-5';

let fake: FakeAnthropic;

beforeEach(async () => {
  fake = await startFakeAnthropic();
});

afterEach(async () => {
  await fake.close();
});

/** The real SDK client pointed at the fake. */
function clientFor(
  target: FakeAnthropic,
  options: { maxRetries?: number; timeout?: number } = {},
): Anthropic {
  return new Anthropic({
    apiKey: 'test-key',
    baseURL: target.url,
    maxRetries: options.maxRetries ?? 0,
    timeout: options.timeout ?? 5_000,
  });
}

function streamQuestion(client: Anthropic, question = 'How should I shard this table?') {
  return client.messages.stream({
    model: MODEL,
    max_tokens: 1024,
    system: 'You are Architect.',
    messages: [{ role: 'user', content: question }],
  });
}

describe('fake Anthropic Messages API: streaming', () => {
  it('streams the reply text through the SDK text event in several deltas', async () => {
    fake.enqueue({ text: 'Use a queue between the API and the workers.', chunkSize: 8 });
    const deltas: string[] = [];

    const stream = streamQuestion(clientFor(fake)).on('text', (delta) => deltas.push(delta));
    const text = await stream.finalText();

    expect(text).toBe('Use a queue between the API and the workers.');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(text);
  });

  it('spaces the deltas by delayMsBetweenChunks', async () => {
    fake.enqueue({ text: 'aaabbbccc', chunkSize: 3, delayMsBetweenChunks: 60 });
    const arrivals: number[] = [];

    await streamQuestion(clientFor(fake))
      .on('text', () => arrivals.push(Date.now()))
      .done();

    expect(arrivals).toHaveLength(3);
    // Two 60 ms pauses; timers and socket buffering blur the edges, so ask for one full pause at least
    // (without pauses the three deltas arrive within a few milliseconds).
    expect((arrivals[2] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(60);
  });

  it('gives finalMessage the stop reason and usage from the stream', async () => {
    fake.enqueue({
      text: 'Cut short',
      stopReason: 'max_tokens',
      usage: {
        input_tokens: 1200,
        output_tokens: 7,
        cache_read_input_tokens: 1000,
        cache_creation_input_tokens: 150,
      },
    });

    const message = await streamQuestion(clientFor(fake)).finalMessage();

    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: MODEL,
      stop_reason: 'max_tokens',
      content: [{ type: 'text', text: 'Cut short' }],
      usage: {
        input_tokens: 1200,
        output_tokens: 7,
        cache_read_input_tokens: 1000,
        cache_creation_input_tokens: 150,
      },
    });
    expect(message.id).toMatch(/^msg_/);
  });

  it('estimates input tokens as request characters / 4 and reports no cache use by default', async () => {
    const message = await streamQuestion(clientFor(fake), 'x'.repeat(4000)).finalMessage();

    expect(message.usage.input_tokens).toBeGreaterThanOrEqual(1000);
    expect(message.usage.input_tokens).toBeLessThan(1100);
    expect(message.usage.cache_read_input_tokens).toBe(0);
    expect(message.usage.cache_creation_input_tokens).toBe(0);
    expect(message.stop_reason).toBe('end_turn');
  });

  it('echoes the last user message when nothing is queued', async () => {
    const text = await streamQuestion(clientFor(fake), 'ping?').finalText();

    expect(text).toBe('Echo: ping?');
  });

  it('records the request the SDK sent: bearer key, API version, stream helper header and body', async () => {
    await streamQuestion(clientFor(fake)).finalText();

    const [request] = fake.requests;
    expect(request?.path).toBe('/v1/messages');
    expect(request?.headers).toMatchObject({
      authorization: 'Bearer test-key',
      'anthropic-version': expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      'x-stainless-helper-method': 'stream',
      'x-stainless-retry-count': '0',
    });
    expect(request?.headers['x-api-key']).toBeUndefined();
    expect(request?.body).toMatchObject({
      model: MODEL,
      max_tokens: 1024,
      stream: true,
      system: 'You are Architect.',
      messages: [{ role: 'user', content: 'How should I shard this table?' }],
    });
  });

  it('exposes the request-id header on the stream', async () => {
    const stream = streamQuestion(clientFor(fake));
    await stream.done();

    expect(stream.request_id).toMatch(/^req_/);
  });
});

describe('fake Anthropic Messages API: other endpoints', () => {
  it('answers a non-streaming request with one JSON message', async () => {
    fake.enqueue({ text: 'Plain answer' });

    const message = await clientFor(fake).messages.create({
      model: MODEL,
      max_tokens: 256,
      messages: [{ role: 'user', content: 'Hi' }],
    });

    expect(message).toMatchObject({
      content: [{ type: 'text', text: 'Plain answer' }],
      stop_reason: 'end_turn',
    });
    expect(message.usage.output_tokens).toBe(3);
  });

  it('counts tokens as request characters / 4', async () => {
    const counted = await clientFor(fake).messages.countTokens({
      model: MODEL,
      messages: [{ role: 'user', content: 'y'.repeat(400) }],
    });

    expect(counted.input_tokens).toBeGreaterThanOrEqual(100);
    expect(counted.input_tokens).toBeLessThan(130);
    expect(fake.requests[0]?.path).toBe('/v1/messages/count_tokens');
  });

  it('refuses the removed temperature parameter with a BadRequestError', async () => {
    const create = clientFor(fake).messages.create({
      model: MODEL,
      max_tokens: 256,
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 0.2,
    } as Anthropic.MessageCreateParamsNonStreaming);

    await expect(create).rejects.toBeInstanceOf(BadRequestError);
  });
});

describe('fake Anthropic Messages API: errors the SDK sees', () => {
  it('turns a 529 before the stream into OverloadedError after the SDK retries', async () => {
    // retry-after-ms keeps the SDK's backoff (0.5 s, 1 s) out of the test.
    fake.enqueue(...Array.from({ length: 3 }, () => ({ httpError: 529 as const, retryAfterMs: 10 })));

    const error = await streamQuestion(clientFor(fake, { maxRetries: 2 }))
      .finalMessage()
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OverloadedError);
    expect(error).toMatchObject({
      status: 529,
      type: 'overloaded_error',
      error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      requestID: expect.stringMatching(/^req_/),
    });
    expect(fake.requests.map((r) => r.headers['x-stainless-retry-count'])).toEqual(['0', '1', '2']);
  });

  it('waits out a 429 retry-after and succeeds on the retry', async () => {
    fake.enqueue({ httpError: 429, retryAfterSeconds: 1 }, { text: 'after the wait' });
    const started = Date.now();

    const text = await streamQuestion(clientFor(fake, { maxRetries: 2 })).finalText();

    expect(text).toBe('after the wait');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.requests).toHaveLength(2);
  });

  it('does not retry a 401 and raises AuthenticationError', async () => {
    fake.enqueue({ httpError: 401 });

    const error = await streamQuestion(clientFor(fake, { maxRetries: 2 }))
      .finalMessage()
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthenticationError);
    expect(fake.requests).toHaveLength(1);
  });

  it('surfaces a mid-stream overloaded_error as a plain APIError without status, after partial text', async () => {
    fake.enqueue({
      text: 'First part of the answer. Second part never arrives.',
      midStreamError: 'overloaded_error',
      afterChars: 25,
      chunkSize: 5,
    });
    const deltas: string[] = [];

    const error = await streamQuestion(clientFor(fake, { maxRetries: 2 }))
      .on('text', (delta) => deltas.push(delta))
      .finalMessage()
      .catch((e: unknown) => e);

    // Observed with SDK 1.14: the SSE `error` event becomes `new APIError(undefined, body, undefined, headers, type)`,
    // so it is an APIError but not an OverloadedError, `status` is undefined, `type` and `error.error.type` carry
    // `overloaded_error`, the message is the body's JSON, and the SDK does not retry it (one request).
    expect(error).toBeInstanceOf(APIError);
    expect(error).not.toBeInstanceOf(OverloadedError);
    expect(error).toMatchObject({
      status: undefined,
      type: 'overloaded_error',
      apiMessage: 'Overloaded',
      error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      requestID: expect.stringMatching(/^req_/),
    });
    expect(deltas.join('')).toBe('First part of the answer.');
    expect(fake.requests).toHaveLength(1);
  });

  it('lets the SDK time out on a request that never answers', async () => {
    fake.enqueue({ hang: true });

    const error = await streamQuestion(clientFor(fake, { timeout: 200 }))
      .finalMessage()
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error).toMatchObject({ status: undefined, message: 'Request timed out.' });
  });

  it('streams the first characters of a reply, then holds the stream open in silence', async () => {
    fake.enqueue({ text: 'Half an answer, then nothing', chunkSize: 4, hangAfterChars: 14 });
    const controller = new AbortController();
    const seen: string[] = [];
    const stream = clientFor(fake, { timeout: 10_000 }).messages.stream(
      { model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'q' }] },
      { signal: controller.signal },
    );
    stream.on('text', (delta) => seen.push(delta));
    const ended = stream.finalMessage().catch((e: unknown) => e);

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen.join('')).toBe('Half an answer');
    controller.abort();
    expect(await ended).toBeInstanceOf(Error);
  });

  it('closes promptly while a request is hanging', async () => {
    fake.enqueue({ hang: true });
    const pending = streamQuestion(clientFor(fake, { timeout: 10_000 }))
      .finalMessage()
      .catch((e: unknown) => e);
    await fake.waitFor((r) => r.path === '/v1/messages');
    const started = Date.now();

    await fake.close();

    // The destroyed socket reaches the SDK as `fetch failed`: a plain APIConnectionError, not a timeout.
    expect(Date.now() - started).toBeLessThan(1000);
    const error = await pending;
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
  });
});

describe('fake Anthropic Messages API: waiting for requests', () => {
  it('rejects waitFor on timeout with the requests seen so far', async () => {
    await clientFor(fake).messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: 'a' }] });

    const waiting = fake.waitFor((r) => r.path === '/v1/messages', { timeoutMs: 50 });

    await expect(waiting).rejects.toThrow(/Timed out after 50 ms.*POST \/v1\/messages\/count_tokens/);
  });
});

describe('fake Anthropic Messages API: prompt cache model', () => {
  // Token figures are the fake's estimate, characters / 4 per block: 6,000 chars of system = 1,500 tokens.
  const SYSTEM = 'a'.repeat(6000);
  const SYSTEM_TOKENS = 1500;
  const FIRST_QUESTION = 'q'.repeat(40); // 10 tokens
  const FIRST_ANSWER = 'r'.repeat(80); // 20 tokens
  const SECOND_QUESTION = 's'.repeat(120); // 30 tokens
  const SECOND_ANSWER = 't'.repeat(160); // 40 tokens
  const THIRD_QUESTION = 'u'.repeat(200); // 50 tokens
  const FIVE_MINUTES = 5 * 60_000;

  let cached: FakeAnthropic;
  let clock: number;

  beforeEach(async () => {
    clock = 1_000_000;
    cached = await startFakeAnthropic({ promptCache: { now: () => clock } });
  });

  afterEach(async () => {
    await cached.close();
  });

  type Turn = { role: 'user' | 'assistant'; text: string; cache?: Anthropic.CacheControlEphemeral };

  function cachedParams(
    turns: readonly Turn[],
    options: { system?: string; systemCache?: Anthropic.CacheControlEphemeral | null } = {},
  ): Anthropic.MessageStreamParams {
    const systemCache =
      options.systemCache === undefined ? { type: 'ephemeral' as const } : options.systemCache;
    return {
      model: MODEL,
      max_tokens: 1024,
      system: [{ type: 'text', text: options.system ?? SYSTEM, cache_control: systemCache }],
      messages: turns.map((turn) => ({
        role: turn.role,
        content: [{ type: 'text', text: turn.text, ...(turn.cache ? { cache_control: turn.cache } : {}) }],
      })),
    };
  }

  async function usageOf(params: Anthropic.MessageStreamParams): Promise<Anthropic.Usage> {
    const message = await clientFor(cached).messages.stream(params).finalMessage();
    return message.usage;
  }

  const firstTurn: Turn[] = [{ role: 'user', text: FIRST_QUESTION }];

  it('writes the system breakpoint on a first request and reads nothing', async () => {
    const usage = await usageOf(cachedParams(firstTurn));

    expect(usage).toMatchObject({
      cache_creation_input_tokens: SYSTEM_TOKENS,
      cache_read_input_tokens: 0,
      input_tokens: 10,
      cache_creation: { ephemeral_5m_input_tokens: SYSTEM_TOKENS, ephemeral_1h_input_tokens: 0 },
    });
    expect(cached.cacheEntries()).toEqual([
      expect.objectContaining({ model: MODEL, blocks: 1, tokens: SYSTEM_TOKENS, ttl: '5m', reads: 0 }),
    ]);
  });

  it('reads the system prefix when the same request comes again', async () => {
    await usageOf(cachedParams(firstTurn));

    const usage = await usageOf(cachedParams(firstTurn));

    expect(usage).toMatchObject({
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: SYSTEM_TOKENS,
      input_tokens: 10,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    });
    expect(cached.cacheEntries()).toEqual([expect.objectContaining({ reads: 1 })]);
  });

  it('reads the old prefix and writes the new part of a follow-up with a breakpoint on the last answer', async () => {
    await usageOf(cachedParams(firstTurn));
    const ephemeral = { type: 'ephemeral' } as const;

    const usage = await usageOf(
      cachedParams([
        { role: 'user', text: FIRST_QUESTION },
        { role: 'assistant', text: FIRST_ANSWER, cache: ephemeral },
        { role: 'user', text: SECOND_QUESTION },
      ]),
    );

    expect(usage).toMatchObject({
      cache_read_input_tokens: SYSTEM_TOKENS,
      cache_creation_input_tokens: 10 + 20,
      input_tokens: 30,
    });
    expect(cached.cacheEntries().map((entry) => entry.tokens)).toEqual([SYSTEM_TOKENS, SYSTEM_TOKENS + 30]);
  });

  it('finds the previous turn’s breakpoint within the 20 blocks before a breakpoint that moved on', async () => {
    const ephemeral = { type: 'ephemeral' } as const;
    await usageOf(
      cachedParams([
        { role: 'user', text: FIRST_QUESTION },
        { role: 'assistant', text: FIRST_ANSWER, cache: ephemeral },
        { role: 'user', text: SECOND_QUESTION },
      ]),
    );

    const usage = await usageOf(
      cachedParams([
        { role: 'user', text: FIRST_QUESTION },
        { role: 'assistant', text: FIRST_ANSWER },
        { role: 'user', text: SECOND_QUESTION },
        { role: 'assistant', text: SECOND_ANSWER, cache: ephemeral },
        { role: 'user', text: THIRD_QUESTION },
      ]),
    );

    expect(usage).toMatchObject({
      cache_read_input_tokens: SYSTEM_TOKENS + 10 + 20,
      cache_creation_input_tokens: 30 + 40,
      input_tokens: 50,
    });
  });

  it('does not look for a cached prefix more than 20 blocks before a breakpoint', async () => {
    const ephemeral = { type: 'ephemeral' } as const;
    await usageOf(cachedParams([{ role: 'user', text: FIRST_QUESTION, cache: ephemeral }]));
    const later: Turn[] = Array.from({ length: 21 }, (_, index) => ({
      role: index % 2 === 0 ? 'assistant' : 'user',
      text: `turn ${index}`,
    }));
    const last = later.length - 1;

    const usage = await usageOf(
      cachedParams([
        { role: 'user', text: FIRST_QUESTION },
        ...later.map((turn, index) => (index === last ? { ...turn, cache: ephemeral } : turn)),
      ]),
    );

    // The entry ending at the first question is 21 blocks back: only the system breakpoint hits.
    expect(usage.cache_read_input_tokens).toBe(SYSTEM_TOKENS);
  });

  it('misses when the prefix differs by one character', async () => {
    await usageOf(cachedParams(firstTurn));

    const usage = await usageOf(cachedParams(firstTurn, { system: `${SYSTEM.slice(0, -1)}b` }));

    expect(usage).toMatchObject({ cache_read_input_tokens: 0, cache_creation_input_tokens: SYSTEM_TOKENS });
  });

  it('misses when the tools before the system prompt change', async () => {
    const tool = (description: string): Anthropic.Tool => ({
      name: 'lookup',
      description,
      input_schema: { type: 'object', properties: {} },
    });
    await usageOf({ ...cachedParams(firstTurn), tools: [tool('Looks a term up.')] });

    const usage = await usageOf({ ...cachedParams(firstTurn), tools: [tool('Looks a word up.')] });

    expect(usage.cache_read_input_tokens).toBe(0);
    expect(usage.cache_creation_input_tokens).toBeGreaterThan(SYSTEM_TOKENS);
  });

  it('silently does not cache a prefix under the minimum', async () => {
    const short = cachedParams(firstTurn, { system: 'a'.repeat(4000) }); // 1,000 tokens < 1,024
    await usageOf(short);

    const usage = await usageOf(short);

    expect(usage).toMatchObject({
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
      input_tokens: 1010,
    });
    expect(cached.cacheEntries()).toEqual([]);
  });

  it('expires a 5-minute entry 5 minutes after it was written', async () => {
    await usageOf(cachedParams(firstTurn));
    clock += FIVE_MINUTES;

    const usage = await usageOf(cachedParams(firstTurn));

    expect(usage).toMatchObject({ cache_read_input_tokens: 0, cache_creation_input_tokens: SYSTEM_TOKENS });
  });

  it('refreshes an entry’s TTL on every read', async () => {
    await usageOf(cachedParams(firstTurn));
    clock += FIVE_MINUTES - 1;
    await usageOf(cachedParams(firstTurn));
    clock += FIVE_MINUTES - 1;

    const usage = await usageOf(cachedParams(firstTurn));

    expect(usage.cache_read_input_tokens).toBe(SYSTEM_TOKENS);
  });

  it('keeps a ttl 1h entry past 5 minutes and reports its write as 1-hour tokens', async () => {
    const oneHour = cachedParams(firstTurn, { systemCache: { type: 'ephemeral', ttl: '1h' } });
    const written = await usageOf(oneHour);
    cached.advanceCacheClock(59 * 60_000);

    const usage = await usageOf(oneHour);

    expect(written.cache_creation).toEqual({
      ephemeral_5m_input_tokens: 0,
      ephemeral_1h_input_tokens: SYSTEM_TOKENS,
    });
    expect(usage.cache_read_input_tokens).toBe(SYSTEM_TOKENS);
  });

  it('splits the tokens written by TTL when 1-hour and 5-minute breakpoints are mixed', async () => {
    const usage = await usageOf(
      cachedParams(
        [
          { role: 'user', text: FIRST_QUESTION },
          { role: 'assistant', text: FIRST_ANSWER, cache: { type: 'ephemeral', ttl: '5m' } },
          { role: 'user', text: SECOND_QUESTION },
        ],
        { systemCache: { type: 'ephemeral', ttl: '1h' } },
      ),
    );

    expect(usage.cache_creation).toEqual({
      ephemeral_5m_input_tokens: 30,
      ephemeral_1h_input_tokens: SYSTEM_TOKENS,
    });
  });

  it('caches up to the last block with a top-level cache_control', async () => {
    const automatic = {
      ...cachedParams(firstTurn, { systemCache: null }),
      cache_control: { type: 'ephemeral' as const },
    };
    await usageOf(automatic);

    const usage = await usageOf(automatic);

    expect(usage).toMatchObject({ cache_read_input_tokens: SYSTEM_TOKENS + 10, input_tokens: 0 });
  });

  it('forgets every entry on clearCache', async () => {
    await usageOf(cachedParams(firstTurn));
    cached.clearCache();

    const usage = await usageOf(cachedParams(firstTurn));

    expect(usage.cache_read_input_tokens).toBe(0);
  });

  it('refuses more than 4 breakpoints with a BadRequestError and answers nothing', async () => {
    const ephemeral = { type: 'ephemeral' } as const;
    cached.enqueue({ text: 'never sent' });
    const turns: Turn[] = ['one', 'two', 'three', 'four'].map((text, index) => ({
      role: index % 2 === 0 ? 'user' : 'assistant',
      text,
      cache: ephemeral,
    }));

    const error = await usageOf(cachedParams(turns)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({
      status: 400,
      error: {
        error: { type: 'invalid_request_error', message: expect.stringMatching(/maximum of 4 .* Found 5/) },
      },
    });
    expect(cached.pendingReplies()).toBe(1);
    expect(cached.cacheEntries()).toEqual([]);
  });

  it('refuses a 1-hour breakpoint after a 5-minute one', async () => {
    const params = cachedParams([
      { role: 'user', text: FIRST_QUESTION, cache: { type: 'ephemeral', ttl: '1h' } },
    ]);

    const error = await usageOf(params).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BadRequestError);
  });

  it('lets scripted usage override the computed figures one by one', async () => {
    cached.enqueue({ text: 'scripted', usage: { cache_read_input_tokens: 7 } });

    const usage = await usageOf(cachedParams(firstTurn));

    expect(usage).toMatchObject({
      cache_read_input_tokens: 7,
      cache_creation_input_tokens: SYSTEM_TOKENS,
      input_tokens: 10,
    });
  });

  it('reports read, written and uncached tokens that add up to the counted prompt, request after request', async () => {
    const ephemeral = { type: 'ephemeral' } as const;
    const client = clientFor(cached);
    const conversation: Turn[] = [];
    const seen: Array<{ usage: Anthropic.Usage; counted: number }> = [];
    const questions = ['x'.repeat(37), 'y'.repeat(5), 'z'.repeat(4099), 'w'];
    for (const [index, question] of questions.entries()) {
      conversation.push({ role: 'user', text: question });
      // Breakpoints on the system prompt and the last answer; the last request changes the system prompt.
      const { model, system, messages } = cachedParams(
        conversation.map((turn, position) =>
          position === conversation.length - 2 ? { ...turn, cache: ephemeral } : turn,
        ),
        { system: index === 3 ? `${SYSTEM}!` : SYSTEM },
      );
      const { usage } = await client.messages.create({ model, system, messages, max_tokens: 256 });
      const { input_tokens: counted } = await client.messages.countTokens({ model, system, messages });
      seen.push({ usage, counted });
      conversation.push({ role: 'assistant', text: `answer ${index}` });
    }

    const sum = (usage: Anthropic.Usage) =>
      usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
    expect(seen.map(({ usage }) => sum(usage))).toEqual(seen.map(({ counted }) => counted));
    expect(
      seen.map(({ usage }) => [usage.cache_read_input_tokens, usage.cache_creation_input_tokens]),
    ).toEqual([
      [0, SYSTEM_TOKENS],
      [SYSTEM_TOKENS, 10 + 2],
      [SYSTEM_TOKENS + 12, 2 + 2],
      [0, (seen[3]?.counted ?? 0) - 1],
    ]);
  });

  it('throws from cacheEntries when the fake was started without promptCache', () => {
    expect(() => fake.cacheEntries()).toThrow(/promptCache/);
  });
});
