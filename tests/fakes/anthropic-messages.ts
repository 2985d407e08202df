import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import {
  BodyTooLargeError,
  pollUntil,
  readRequestBody,
  sleep,
  startLoopbackHttpServer,
} from './loopback-http.js';
import {
  createPromptCache,
  estimatePromptTokens,
  type PromptCache,
  type PromptCacheEntry,
  type PromptCacheOptions,
  type PromptUsage,
} from './prompt-cache-model.js';

export type { PromptCacheEntry, PromptCacheOptions } from './prompt-cache-model.js';

/** `error.type` values of the Anthropic API's error bodies. */
export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'timeout_error'
  | 'api_error'
  | 'overloaded_error';

/**
 * Token counts a reply reports, each overriding the fake's own figure. Left out: input is the prompt's
 * chars / 4, cache figures are 0, or, with `promptCache` on, all three come from the cache model.
 */
export interface FakeUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
  /** Default: the computed split, or all of a scripted `cache_creation_input_tokens` as 5-minute tokens. */
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

/** A successful answer: streamed as `text_delta` chunks when the request asked for a stream, else one JSON message. */
export interface TextReply {
  text: string;
  /** Characters (code points) per `content_block_delta`. Default 16. */
  chunkSize?: number;
  /** Pause between deltas, in ms. Default 0. */
  delayMsBetweenChunks?: number;
  /**
   * Streams only this many characters, then sends nothing more and keeps the response open until the
   * client aborts or the fake closes: a model (or a worker) that stopped mid-answer.
   */
  hangAfterChars?: number;
  stopReason?: 'end_turn' | 'max_tokens';
  usage?: FakeUsage;
}

/** An HTTP error before any stream starts, with the API's error body and optional retry headers. */
export interface HttpErrorReply {
  httpError: 400 | 401 | 403 | 404 | 413 | 429 | 500 | 503 | 529;
  /** Sent as `retry-after` (whole or fractional seconds). */
  retryAfterSeconds?: number;
  /** Sent as `retry-after-ms`, which the SDK prefers over `retry-after`: lets retry tests run fast. */
  retryAfterMs?: number;
  /** Sent as `x-should-retry`, which overrides the SDK's own choice to retry. */
  shouldRetry?: boolean;
  /** Default from the status: 429 rate_limit_error, 529 overloaded_error, 500/503 api_error, ... */
  errorType?: AnthropicErrorType;
  message?: string;
}

/** Streams `text` up to `afterChars` characters, then an SSE `error` event, then ends the response. */
export interface MidStreamErrorReply {
  text: string;
  midStreamError: 'overloaded_error' | 'api_error';
  afterChars: number;
  chunkSize?: number;
  delayMsBetweenChunks?: number;
  usage?: FakeUsage;
}

/** Reads the request and never answers, until the client gives up or the fake closes. */
export interface HangReply {
  hang: true;
}

/** What the fake does with one `POST /v1/messages`. */
export type FakeAnthropicReply = TextReply | HttpErrorReply | MidStreamErrorReply | HangReply;

/** The request body fields the fake reads; everything else the SDK sent is kept as is. */
export interface FakeAnthropicRequestBody {
  model?: string;
  system?: unknown;
  messages?: unknown[];
  max_tokens?: number;
  stream?: boolean;
  [field: string]: unknown;
}

/** One HTTP request as the fake received it. */
export interface RecordedAnthropicRequest {
  method: string;
  /** Path without query: `/v1/messages` or `/v1/messages/count_tokens`. */
  path: string;
  /** Lower-cased header names, as node:http gives them. */
  headers: Record<string, string>;
  body: FakeAnthropicRequestBody;
  at: number;
}

/** Decides the reply to a request when the queue is empty. */
export type DefaultReply = FakeAnthropicReply | ((request: RecordedAnthropicRequest) => FakeAnthropicReply);

/** Options of {@link startFakeAnthropic}. */
export interface FakeAnthropicOptions {
  /** The only key accepted (as `Authorization: Bearer` or `x-api-key`); default: any non-empty key. */
  apiKey?: string;
  /** Default: echo the last user message as `Echo: <text>`. */
  defaultReply?: DefaultReply;
  /**
   * Computes cache usage from the request's `cache_control` breakpoints, like the API's prompt cache,
   * instead of reporting 0. `true` takes the defaults (1,024-token minimum, 5 m / 1 h TTLs on `Date.now`).
   */
  promptCache?: boolean | PromptCacheOptions;
  /**
   * Multiplies the fake's token estimate in `count_tokens` answers, to play a model whose tokenizer
   * counts more tokens than four characters a token (dense code, non-Latin text). Default 1.
   */
  countTokensScale?: number;
}

/** A running fake Anthropic Messages API; see {@link startFakeAnthropic}. */
export interface FakeAnthropic {
  /** What the SDK takes as `baseURL`: `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly requests: readonly RecordedAnthropicRequest[];
  /** Used for `POST /v1/messages` when nothing is queued. */
  defaultReply: DefaultReply;
  /** Queues replies, consumed one per valid `POST /v1/messages` (retries included). */
  enqueue(...replies: FakeAnthropicReply[]): void;
  /** Replies still queued. */
  pendingReplies(): number;
  /** Resolves with the first recorded request matching `predicate`, polling until `timeoutMs` (default 2,000). */
  waitFor(
    predicate: (request: RecordedAnthropicRequest) => boolean,
    options?: { timeoutMs?: number },
  ): Promise<RecordedAnthropicRequest>;
  /** Live prompt-cache entries, oldest write first. Throws unless started with `promptCache`. */
  cacheEntries(): PromptCacheEntry[];
  /** Empties the prompt cache. Throws unless started with `promptCache`. */
  clearCache(): void;
  /** Moves the prompt cache's clock forward by `ms`. Throws unless started with `promptCache`. */
  advanceCacheClock(ms: number): void;
  /** Stops listening and destroys open sockets, hanging requests included. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;
const DEFAULT_CHUNK_SIZE = 16;
// API version 2026-10-21 removed the sampling parameters; the API answers 400 when they are sent.
const REMOVED_PARAMETERS = ['temperature', 'top_p', 'top_k'] as const;
const DEFAULT_ERROR_TYPES: Record<HttpErrorReply['httpError'], AnthropicErrorType> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'api_error',
  529: 'overloaded_error',
};
const DEFAULT_ERROR_MESSAGES: Record<AnthropicErrorType, string> = {
  invalid_request_error: 'Invalid request',
  authentication_error: 'invalid x-api-key',
  billing_error: 'Your credit balance is too low to access the Anthropic API.',
  permission_error: 'Your API key does not have permission to use the specified resource.',
  not_found_error: 'Not found',
  request_too_large: 'Request exceeds the maximum allowed number of bytes.',
  rate_limit_error: 'Number of request tokens has exceeded your per-minute rate limit',
  timeout_error: 'Request timed out',
  api_error: 'Internal server error',
  overloaded_error: 'Overloaded',
};

/** The text of the last `user` message of a request body (string content or its text blocks joined). */
export function lastUserText(body: FakeAnthropicRequestBody): string {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const message = messages[i];
    if (!isRecord(message) || message.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    if (Array.isArray(message.content)) {
      return message.content
        .filter((block): block is { type: 'text'; text: string } => isRecord(block) && block.type === 'text')
        .map((block) => block.text)
        .join('\n');
    }
  }
  return '';
}

/** Starts a fake of the Anthropic Messages API (SSE streaming included) on 127.0.0.1 for the real SDK. */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const requests: RecordedAnthropicRequest[] = [];
  const queue: FakeAnthropicReply[] = [];
  const promptCache = options.promptCache
    ? createPromptCache(options.promptCache === true ? {} : options.promptCache)
    : undefined;
  const cacheOrThrow = (): PromptCache => {
    if (!promptCache)
      throw new Error('The prompt cache model is off: start the fake with { promptCache: true }.');
    return promptCache;
  };

  const server = await startLoopbackHttpServer(async (req, res, closing) => {
    const at = Date.now();
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const requestId = `req_${randomId(24)}`;
    const headers = flattenHeaders(req.headers);

    let rawBody: string;
    try {
      rawBody = await readRequestBody(req, MAX_BODY_BYTES);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      requests.push({ method: req.method ?? 'GET', path, headers, body: {}, at });
      sendError(res, 413, 'request_too_large', DEFAULT_ERROR_MESSAGES.request_too_large, requestId);
      return;
    }
    let body: FakeAnthropicRequestBody | undefined;
    try {
      const parsed: unknown = rawBody === '' ? {} : JSON.parse(rawBody);
      body = isRecord(parsed) ? parsed : undefined;
    } catch {
      body = undefined;
    }
    const request: RecordedAnthropicRequest = {
      method: req.method ?? 'GET',
      path,
      headers,
      body: body ?? {},
      at,
    };
    requests.push(request);

    const route = `${req.method} ${path}`;
    if (route !== 'POST /v1/messages' && route !== 'POST /v1/messages/count_tokens') {
      sendError(res, 404, 'not_found_error', 'Not found', requestId);
      return;
    }
    const authProblem = checkAuth(headers, options.apiKey);
    if (authProblem) {
      sendError(res, 401, 'authentication_error', authProblem, requestId);
      return;
    }
    if (!headers['anthropic-version']) {
      sendError(res, 400, 'invalid_request_error', 'anthropic-version: header is required', requestId);
      return;
    }
    const invalid =
      body === undefined
        ? 'The request body is not valid JSON.'
        : (validateBody(body) ?? promptCache?.validate(body));
    if (invalid || body === undefined) {
      sendError(res, 400, 'invalid_request_error', invalid ?? 'Invalid request', requestId);
      return;
    }
    if (path === '/v1/messages/count_tokens') {
      const counted = Math.ceil(estimatePromptTokens(body) * (options.countTokensScale ?? 1));
      sendJson(res, 200, { input_tokens: counted }, requestId);
      return;
    }

    const reply = queue.shift() ?? resolveDefault(fake.defaultReply, request);
    const promptUsage = (): PromptUsage =>
      promptCache?.account(body) ?? {
        input_tokens: estimatePromptTokens(body),
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      };
    await answer(res, reply, body, promptUsage, requestId, closing);
  });

  const fake: FakeAnthropic = {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    defaultReply: options.defaultReply ?? ((request) => ({ text: `Echo: ${lastUserText(request.body)}` })),
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    pendingReplies: () => queue.length,
    waitFor: (predicate, waitOptions) =>
      pollUntil(() => requests.find(predicate), {
        timeoutMs: waitOptions?.timeoutMs ?? 5000,
        describe: () =>
          `no Anthropic request matched the predicate; requests seen: ${
            requests.map((r) => `${r.method} ${r.path}`).join(', ') || 'none'
          }`,
      }),
    cacheEntries: () => cacheOrThrow().entries(),
    clearCache: () => cacheOrThrow().clear(),
    advanceCacheClock: (ms) => cacheOrThrow().advance(ms),
    close: () => server.close(),
  };
  return fake;
}

async function answer(
  res: ServerResponse,
  reply: FakeAnthropicReply,
  body: FakeAnthropicRequestBody,
  promptUsage: () => PromptUsage,
  requestId: string,
  closing: AbortSignal,
): Promise<void> {
  if ('hang' in reply) {
    // Never answer; `close()` destroys the socket, or the client aborts it on its timeout.
    return;
  }
  if ('httpError' in reply) {
    const type = reply.errorType ?? DEFAULT_ERROR_TYPES[reply.httpError];
    const extra: Record<string, string> = {};
    if (reply.retryAfterSeconds !== undefined) extra['retry-after'] = String(reply.retryAfterSeconds);
    if (reply.retryAfterMs !== undefined) extra['retry-after-ms'] = String(reply.retryAfterMs);
    if (reply.shouldRetry !== undefined) extra['x-should-retry'] = String(reply.shouldRetry);
    sendError(res, reply.httpError, type, reply.message ?? DEFAULT_ERROR_MESSAGES[type], requestId, extra);
    return;
  }
  const model = typeof body.model === 'string' ? body.model : 'claude-sonnet-5-5';
  // The model answers from here on, so the prompt cache is read and written even if the stream breaks later.
  const computed = promptUsage();
  const scripted = reply.usage;
  const usage = {
    input_tokens: scripted?.input_tokens ?? computed.input_tokens,
    cache_creation_input_tokens:
      scripted?.cache_creation_input_tokens ?? computed.cache_creation_input_tokens,
    cache_read_input_tokens: scripted?.cache_read_input_tokens ?? computed.cache_read_input_tokens,
  };
  const cacheCreation =
    scripted?.cache_creation ??
    (scripted?.cache_creation_input_tokens === undefined
      ? computed.cache_creation
      : { ephemeral_5m_input_tokens: scripted.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 });
  const outputTokens = reply.usage?.output_tokens ?? Math.max(1, Math.ceil(reply.text.length / 4));
  const stopReason = 'midStreamError' in reply ? null : (reply.stopReason ?? 'end_turn');
  const message = {
    id: `msg_${randomId(24)}`,
    type: 'message',
    role: 'assistant',
    model,
    content: [] as Array<{ type: 'text'; text: string }>,
    stop_reason: null as string | null,
    stop_sequence: null,
    stop_details: null,
    container: null,
    usage: {
      ...usage,
      cache_creation: cacheCreation,
      output_tokens: 1,
      service_tier: 'standard',
    },
  };

  if (body.stream !== true) {
    if ('midStreamError' in reply) {
      const status = reply.midStreamError === 'overloaded_error' ? 529 : 500;
      sendError(res, status, reply.midStreamError, DEFAULT_ERROR_MESSAGES[reply.midStreamError], requestId);
      return;
    }
    sendJson(
      res,
      200,
      {
        ...message,
        content: [{ type: 'text', text: reply.text }],
        stop_reason: stopReason,
        usage: { ...message.usage, output_tokens: outputTokens },
      },
      requestId,
    );
    return;
  }

  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': requestId,
  });
  const stopped = () => closing.aborted || res.destroyed;
  const send = (event: string, data: unknown) => {
    if (!stopped()) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };

  send('message_start', { type: 'message_start', message });
  send('content_block_start', {
    type: 'content_block_start',
    index: 0,
    content_block: { type: 'text', text: '' },
  });
  send('ping', { type: 'ping' });

  const cutAt = 'midStreamError' in reply ? reply.afterChars : reply.hangAfterChars;
  const streamed = cutAt === undefined ? reply.text : [...reply.text].slice(0, cutAt).join('');
  const chunks = splitIntoChunks(streamed, reply.chunkSize ?? DEFAULT_CHUNK_SIZE);
  for (const [index, chunk] of chunks.entries()) {
    if (index > 0) await sleep(reply.delayMsBetweenChunks ?? 0, closing);
    if (stopped()) return;
    send('content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: chunk },
    });
  }

  if (!('midStreamError' in reply) && reply.hangAfterChars !== undefined) {
    // Hold the stream open, silent, until the client goes away or the fake closes.
    await new Promise<void>((resolve) => {
      if (stopped()) resolve();
      res.once('close', () => resolve());
      closing.addEventListener('abort', () => resolve(), { once: true });
    });
    return;
  }
  if ('midStreamError' in reply) {
    // The API reports failures after the 200 as an SSE `error` event, then ends the stream:
    // https://platform.claude.com/docs/en/build-with-claude/streaming#error-events
    send('error', {
      type: 'error',
      error: { type: reply.midStreamError, message: DEFAULT_ERROR_MESSAGES[reply.midStreamError] },
    });
    res.end();
    return;
  }
  send('content_block_stop', { type: 'content_block_stop', index: 0 });
  send('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: null, stop_details: null, container: null },
    usage: { ...usage, output_tokens: outputTokens },
  });
  send('message_stop', { type: 'message_stop' });
  res.end();
}

function validateBody(body: FakeAnthropicRequestBody): string | undefined {
  if (typeof body.model !== 'string' || body.model === '') return 'model: Field required';
  if (!Array.isArray(body.messages)) return 'messages: Field required';
  if (body.messages.length === 0) return 'messages: at least one message is required';
  for (const [index, message] of body.messages.entries()) {
    if (!isRecord(message) || (message.role !== 'user' && message.role !== 'assistant')) {
      return `messages.${index}.role: Input should be 'user' or 'assistant'`;
    }
    if (typeof message.content !== 'string' && !Array.isArray(message.content)) {
      return `messages.${index}.content: Field required`;
    }
  }
  for (const parameter of REMOVED_PARAMETERS) {
    if (parameter in body) return `${parameter}: Extra inputs are not permitted`;
  }
  return undefined;
}

function checkAuth(headers: Record<string, string>, apiKey: string | undefined): string | undefined {
  const bearer = headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const key = bearer ?? headers['x-api-key'];
  if (!key) return 'authentication credentials are missing: send Authorization: Bearer <key>';
  if (apiKey !== undefined && key !== apiKey) return 'invalid x-api-key';
  return undefined;
}

function resolveDefault(defaultReply: DefaultReply, request: RecordedAnthropicRequest): FakeAnthropicReply {
  return typeof defaultReply === 'function' ? defaultReply(request) : defaultReply;
}

function splitIntoChunks(text: string, chunkSize: number): string[] {
  const codePoints = [...text];
  const size = Math.max(1, Math.floor(chunkSize));
  const chunks: string[] = [];
  for (let start = 0; start < codePoints.length; start += size) {
    chunks.push(codePoints.slice(start, start + size).join(''));
  }
  return chunks;
}

function sendError(
  res: ServerResponse,
  status: number,
  type: AnthropicErrorType,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  sendJson(
    res,
    status,
    { type: 'error', error: { type, message }, request_id: requestId },
    requestId,
    headers,
  );
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId, ...headers });
  res.end(JSON.stringify(body));
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function randomId(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
