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
    expect((arrivals[2] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(100);
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
