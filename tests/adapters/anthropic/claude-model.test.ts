import { APIConnectionTimeoutError } from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ClaudeModel,
  createAnthropicClient,
  toModelError,
} from '../../../src/adapters/anthropic/claude-model.js';
import { ModelError } from '../../../src/core/errors.js';
import type { ModelRequest } from '../../../src/core/ports.js';
import {
  type FakeAnthropic,
  type FakeAnthropicReply,
  startFakeAnthropic,
} from '../../fakes/anthropic-messages.js';

const MODEL = 'claude-sonnet-5-5';
const MAX_TOKENS = 2048;

const REQUEST: ModelRequest = {
  system: 'You are Architect, a senior backend architect.',
  messages: [
    { role: 'user', content: 'Should I shard the orders table?' },
    { role: 'assistant', content: 'How many writes per second do you expect?' },
    { role: 'user', content: 'About 5,000 at peak.' },
  ],
};

let fake: FakeAnthropic;

beforeEach(async () => {
  fake = await startFakeAnthropic();
});

afterEach(async () => {
  await fake.close();
});

/** A ClaudeModel on the real SDK client pointed at the fake; defaults keep every test fast. */
function modelFor(
  options: {
    timeoutMs?: number;
    maxRetries?: number;
    streamIdleTimeoutMs?: number;
    midStreamRetries?: number;
    answerDeadlineMs?: number;
  } = {},
): ClaudeModel {
  return new ClaudeModel({
    client: createAnthropicClient({
      apiKey: 'test-key',
      baseURL: fake.url,
      timeoutMs: options.timeoutMs ?? 5_000,
      maxRetries: options.maxRetries ?? 0,
    }),
    model: MODEL,
    maxTokens: MAX_TOKENS,
    streamIdleTimeoutMs: options.streamIdleTimeoutMs ?? 5_000,
    ...(options.midStreamRetries !== undefined ? { midStreamRetries: options.midStreamRetries } : {}),
    midStreamRetryDelayMs: 1,
    ...(options.answerDeadlineMs !== undefined ? { answerDeadlineMs: options.answerDeadlineMs } : {}),
  });
}

/** The ModelError the call rejects with; fails the test if it resolves or throws anything else. */
async function modelErrorOf(answer: Promise<unknown>): Promise<ModelError> {
  const error = await answer.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

function midStreamFailure(text: string): FakeAnthropicReply {
  return { text, midStreamError: 'overloaded_error', afterChars: 10, chunkSize: 5 };
}

describe('ClaudeModel: a streamed answer', () => {
  it('returns the text, model, stop reason and usage the API reported', async () => {
    fake.enqueue({
      text: 'Partition by customer id; 5,000 writes/s fits one well-sized node.',
      stopReason: 'max_tokens',
      usage: {
        input_tokens: 1500,
        output_tokens: 42,
        cache_creation_input_tokens: 300,
        cache_read_input_tokens: 1200,
      },
    });

    const answer = await modelFor().streamAnswer(REQUEST);

    expect(answer).toEqual({
      text: 'Partition by customer id; 5,000 writes/s fits one well-sized node.',
      model: MODEL,
      stopReason: 'max_tokens',
      usage: {
        inputTokens: 1500,
        outputTokens: 42,
        cacheCreationInputTokens: 300,
        cacheReadInputTokens: 1200,
      },
      // Sonnet list prices: $3 input, $15 output, $0.30 cache read, $6 cache write (1h) per million tokens.
      costUsd: expect.closeTo((1500 * 3 + 42 * 15 + 1200 * 0.3 + 300 * 6) / 1e6, 10),
      timing: { firstTextMs: expect.any(Number), totalMs: expect.any(Number) },
    });
    expect(answer.timing.firstTextMs).toBeLessThanOrEqual(answer.timing.totalMs);
  });

  it('sends a cached system block, the model, max_tokens and the messages in order, without sampling parameters', async () => {
    fake.enqueue({ text: 'Fine.' });

    await modelFor().streamAnswer(REQUEST);

    expect(fake.requests).toHaveLength(1);
    const body = fake.requests[0]?.body;
    const cached = { cache_control: { type: 'ephemeral', ttl: '1h' } };
    expect(body).toMatchObject({
      model: MODEL,
      max_tokens: MAX_TOKENS,
      stream: true,
      system: [{ type: 'text', text: REQUEST.system, ...cached }],
      messages: [
        // Breakpoints on the first request and on the previous answer: the conversation is cached too.
        { role: 'user', content: [{ type: 'text', text: 'Should I shard the orders table?', ...cached }] },
        {
          role: 'assistant',
          content: [{ type: 'text', text: 'How many writes per second do you expect?', ...cached }],
        },
        { role: 'user', content: [{ type: 'text', text: 'About 5,000 at peak.' }] },
      ],
    });
    const newest = ((body?.messages ?? []) as Array<{ content: Array<Record<string, unknown>> }>)[2];
    expect(newest?.content[0]).not.toHaveProperty('cache_control');
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('top_p');
    expect(body).not.toHaveProperty('top_k');
  });

  it('sends the omission notice as a separate, uncached block after the first request', async () => {
    fake.enqueue({ text: 'Fine.' });
    await modelFor().streamAnswer({
      system: 'S',
      messages: [
        { role: 'user', content: 'FIRST', notice: '[3 messages left out]' },
        { role: 'assistant', content: 'A' },
        { role: 'user', content: 'Q' },
      ],
    });
    const first = (
      (fake.requests[0]?.body.messages ?? []) as Array<{ content: Array<Record<string, unknown>> }>
    )[0];
    expect(first?.content).toEqual([
      { type: 'text', text: 'FIRST', cache_control: { type: 'ephemeral', ttl: '1h' } },
      { type: 'text', text: '[3 messages left out]' },
    ]);
  });

  it('puts the answer breakpoint on the answer before one marked not cacheable', async () => {
    fake.enqueue({ text: 'Fine.' });
    await modelFor().streamAnswer({
      system: 'S',
      messages: [
        { role: 'user', content: 'FIRST' },
        { role: 'assistant', content: 'EARLIER ANSWER' },
        { role: 'user', content: 'Q' },
        { role: 'assistant', content: 'DRAFT', cacheable: false },
        { role: 'user', content: 'MORE' },
      ],
    });
    const messages = (fake.requests[0]?.body.messages ?? []) as Array<{
      content: Array<Record<string, unknown>>;
    }>;
    expect(messages.map((message) => 'cache_control' in (message.content[0] ?? {}))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('passes each text delta to onText in order, and the deltas join to the text', async () => {
    fake.enqueue({ text: 'Use a write-ahead queue, then batch into the table.', chunkSize: 6 });
    const deltas: string[] = [];

    const answer = await modelFor().streamAnswer({ ...REQUEST, onText: (delta) => deltas.push(delta) });

    expect(deltas).toEqual([
      'Use a ',
      'write-',
      'ahead ',
      'queue,',
      ' then ',
      'batch ',
      'into t',
      'he tab',
      'le.',
    ]);
    expect(deltas.join('')).toBe(answer.text);
  });
});

describe('ClaudeModel: failures before the stream starts', () => {
  it('lets the SDK retry a 529, then reports overloaded, not mid-stream', async () => {
    const maxRetries = 2;
    fake.enqueue(
      ...Array.from({ length: maxRetries + 1 }, () => ({ httpError: 529 as const, retryAfterMs: 1 })),
    );

    const error = await modelErrorOf(modelFor({ maxRetries }).streamAnswer(REQUEST));

    expect(error.kind).toBe('overloaded');
    expect(error.midStream).toBe(false);
    expect(fake.requests).toHaveLength(maxRetries + 1);
  });

  it('reports a 429 as rate_limited', async () => {
    fake.enqueue({ httpError: 429, retryAfterMs: 1 });

    const error = await modelErrorOf(modelFor().streamAnswer(REQUEST));

    expect(error.kind).toBe('rate_limited');
  });

  it('reports a 500 as unavailable', async () => {
    fake.enqueue({ httpError: 500, retryAfterMs: 1 });

    const error = await modelErrorOf(modelFor().streamAnswer(REQUEST));

    expect(error.kind).toBe('unavailable');
  });

  it('reports a 400 as rejected without retrying it', async () => {
    fake.enqueue({ httpError: 400, retryAfterMs: 1 });

    const error = await modelErrorOf(modelFor({ maxRetries: 2 }).streamAnswer(REQUEST));

    expect(error.kind).toBe('rejected');
    expect(error.message).toContain('HTTP 400');
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a 401 as rejected without retrying it', async () => {
    fake.enqueue({ httpError: 401, retryAfterMs: 1 });

    const error = await modelErrorOf(modelFor({ maxRetries: 2 }).streamAnswer(REQUEST));

    expect(error.kind).toBe('rejected');
    expect(fake.requests).toHaveLength(1);
  });

  it('gives up at the answer deadline instead of waiting out a long Retry-After', async () => {
    fake.enqueue({ httpError: 429, retryAfterSeconds: 30 }, { text: 'too late' });
    const started = Date.now();

    const error = await modelErrorOf(
      modelFor({ maxRetries: 1, answerDeadlineMs: 300 }).streamAnswer(REQUEST),
    );

    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a server that never answers as a timeout', async () => {
    fake.enqueue({ hang: true });

    const error = await modelErrorOf(modelFor({ timeoutMs: 200, maxRetries: 0 }).streamAnswer(REQUEST));

    expect(error.kind).toBe('timeout');
    expect(error.midStream).toBe(false);
    expect(error.cause).toBeInstanceOf(APIConnectionTimeoutError);
  });
});

describe('ClaudeModel: failures after the stream started', () => {
  it('runs the stream again after a mid-stream overloaded_error and returns only the second answer', async () => {
    fake.enqueue(midStreamFailure('FIRST ATTEMPT that breaks off'), { text: 'Second attempt, complete.' });

    const answer = await modelFor().streamAnswer(REQUEST);

    expect(answer.text).toBe('Second attempt, complete.');
    expect(fake.requests).toHaveLength(2);
  });

  it('tells onRestart when a broken stream starts over, so the deltas after it join to the answer', async () => {
    fake.enqueue(midStreamFailure('FIRST ATTEMPT that breaks off'), { text: 'Second attempt, complete.' });
    let deltas: string[] = [];
    let restarts = 0;

    const answer = await modelFor().streamAnswer({
      ...REQUEST,
      onText: (delta) => deltas.push(delta),
      onRestart: () => {
        restarts += 1;
        deltas = [];
      },
    });

    expect(restarts).toBe(1);
    expect(deltas.join('')).toBe(answer.text);
  });

  it('reports overloaded mid-stream after two broken streams in a row', async () => {
    fake.enqueue(midStreamFailure('First broken stream'), midStreamFailure('Second broken stream'));

    const error = await modelErrorOf(modelFor().streamAnswer(REQUEST));

    expect(error.kind).toBe('overloaded');
    expect(error.midStream).toBe(true);
    expect(fake.requests).toHaveLength(2);
  });

  it('does not run a broken stream again when midStreamRetries is 0', async () => {
    fake.enqueue(midStreamFailure('Only broken stream'), { text: 'never requested' });

    const error = await modelErrorOf(modelFor({ midStreamRetries: 0 }).streamAnswer(REQUEST));

    expect(error.kind).toBe('overloaded');
    expect(error.midStream).toBe(true);
    expect(fake.requests).toHaveLength(1);
  });

  it('abandons a stream that goes silent for longer than streamIdleTimeoutMs as a timeout', async () => {
    // The first chunk arrives at once; the second would come 2 s later.
    fake.enqueue({ text: 'Startthen silence', chunkSize: 5, delayMsBetweenChunks: 2_000 });
    const deltas: string[] = [];
    const started = Date.now();

    const error = await modelErrorOf(
      modelFor({ streamIdleTimeoutMs: 200 }).streamAnswer({ ...REQUEST, onText: (d) => deltas.push(d) }),
    );

    expect(error.kind).toBe('timeout');
    expect(error.midStream).toBe(true);
    expect(deltas).toEqual(['Start']);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(fake.requests).toHaveLength(1);
  });
});

describe('toModelError', () => {
  it('rethrows an error that does not come from the SDK', () => {
    const bug = new TypeError('Cannot read properties of undefined');

    expect(() => toModelError(bug)).toThrow(bug);
  });
});
