import Anthropic, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
import type { MessageParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { ModelError, type ModelFailureKind } from '../../core/errors.js';
import { DEFAULT_MODEL_PRICES, estimateCostUsd, type ModelPrice, priceOf } from '../../core/model-prices.js';
import type { ArchitectModel, ChatMessage, ModelAnswer, ModelRequest } from '../../core/ports.js';

export interface ClaudeModelOptions {
  readonly client: Anthropic;
  readonly model: string;
  readonly maxTokens: number;
  /** Abandon a stream that sends nothing for this long (the SDK's timeout covers only the headers). */
  readonly streamIdleTimeoutMs: number;
  /** How many times a stream that breaks after it started (an SSE `error` event) is run again. */
  readonly midStreamRetries?: number;
  /** Wait before re-running a broken stream; doubled each time, with jitter. */
  readonly midStreamRetryDelayMs?: number;
  /**
   * The most one answer may take, retries and their waits included (the SDK honours any
   * `Retry-After`, however long). Default 10 minutes.
   */
  readonly answerDeadlineMs?: number;
  /** How long cached prompt prefixes live: `1h` costs 2x to write (5m: 1.25x), reads cost 0.1x. */
  readonly cacheTtl?: '5m' | '1h';
  /** Cache the conversation too, not only the system prompt (on by default). */
  readonly cacheConversation?: boolean;
  /** List prices per model or model family, for cost estimates. */
  readonly prices?: Readonly<Record<string, ModelPrice>>;
}

type CacheControl = { type: 'ephemeral'; ttl: '5m' | '1h' };

/**
 * The conversation as content blocks with up to two cache breakpoints besides the system prompt's
 * (four are allowed): the end of the first request, which every turn of the thread repeats even
 * after history was trimmed, and the end of the previous answer, so a follow-up reads the whole
 * conversation before it from the cache and pays full price only for its new words. An answer marked
 * `cacheable: false` is passed over: the breakpoint goes on the answer before it.
 * https://docs.claude.com/en/docs/build-with-claude/prompt-caching
 */
export function withCacheBreakpoints(
  messages: readonly ChatMessage[],
  cacheControl: CacheControl | undefined,
): MessageParam[] {
  const lastAnswer = messages.findLastIndex(
    (message) => message.role === 'assistant' && message.cacheable !== false,
  );
  return messages.map((message, index) => {
    const breakpoint =
      cacheControl && (index === 0 || index === lastAnswer) ? { cache_control: cacheControl } : {};
    const blocks: TextBlockParam[] = [{ type: 'text', text: message.content, ...breakpoint }];
    if (message.notice) blocks.push({ type: 'text', text: message.notice });
    return { role: message.role, content: blocks };
  });
}

/** Options for the Anthropic client sized for a chat reply rather than the SDK's 10-minute default. */
export function createAnthropicClient(options: {
  apiKey: string;
  baseURL?: string;
  timeoutMs: number;
  maxRetries: number;
}): Anthropic {
  return new Anthropic({
    apiKey: options.apiKey,
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
  });
}

/** Claude through the Messages API, streamed, with the system prompt cached. */
export class ClaudeModel implements ArchitectModel {
  readonly #options: ClaudeModelOptions;

  readonly #cacheControl: CacheControl;

  constructor(options: ClaudeModelOptions) {
    this.#options = options;
    this.#cacheControl = { type: 'ephemeral', ttl: options.cacheTtl ?? '1h' };
  }

  async streamAnswer(request: ModelRequest): Promise<ModelAnswer> {
    const retries = this.#options.midStreamRetries ?? 1;
    const baseDelay = this.#options.midStreamRetryDelayMs ?? 1_000;
    const deadline = AbortSignal.timeout(this.#options.answerDeadlineMs ?? 600_000);
    const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.#streamOnce(request, signal);
      } catch (error) {
        const failure = toModelError(error);
        // The SDK retries failures before the stream starts; a stream that breaks mid-way is ours to retry.
        const retryable = failure.midStream && failure.kind !== 'rejected' && failure.kind !== 'timeout';
        if (!retryable || attempt >= retries || signal.aborted) throw failure;
        await sleep(baseDelay * 2 ** attempt * (0.5 + Math.random() / 2));
        request.onRestart?.();
      }
    }
  }

  async countTokens(messages: readonly ChatMessage[]): Promise<number> {
    try {
      const counted = await this.#options.client.messages.countTokens({
        model: this.#options.model,
        messages: withCacheBreakpoints(messages, undefined),
      });
      return counted.input_tokens;
    } catch (error) {
      throw toModelError(error);
    }
  }

  async #streamOnce(request: ModelRequest, signal: AbortSignal): Promise<ModelAnswer> {
    const { client, model, maxTokens, streamIdleTimeoutMs } = this.#options;
    const stream = client.messages.stream(
      {
        model,
        max_tokens: maxTokens,
        system: [{ type: 'text', text: request.system, cache_control: this.#cacheControl }],
        messages: withCacheBreakpoints(
          request.messages,
          (this.#options.cacheConversation ?? true) ? this.#cacheControl : undefined,
        ),
      },
      { signal },
    );

    let idleTimer: NodeJS.Timeout | undefined;
    let idleExpired = false;
    const armIdleTimer = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        idleExpired = true;
        stream.abort();
      }, streamIdleTimeoutMs);
    };
    let streamedChars = 0;
    let firstTextMs: number | null = null;
    const started = performance.now();
    // Until the response arrives the SDK's own timeout and retries apply; from then on, silence is ours to catch.
    stream.on('connect', armIdleTimer);
    stream.on('streamEvent', armIdleTimer);
    stream.on('text', (delta) => {
      firstTextMs ??= Math.round(performance.now() - started);
      streamedChars += delta.length;
      request.onText?.(delta);
    });

    try {
      const message = await stream.finalMessage();
      const text = message.content
        .flatMap((block) => (block.type === 'text' ? [block.text] : []))
        .join('')
        .trim();
      const usage = {
        inputTokens: message.usage.input_tokens,
        outputTokens: message.usage.output_tokens,
        cacheCreationInputTokens: message.usage.cache_creation_input_tokens ?? 0,
        cacheReadInputTokens: message.usage.cache_read_input_tokens ?? 0,
      };
      return {
        text,
        model: message.model,
        stopReason: message.stop_reason,
        usage,
        costUsd: estimateCostUsd(
          usage,
          priceOf(message.model, this.#options.prices ?? DEFAULT_MODEL_PRICES),
          this.#cacheControl.ttl,
        ),
        timing: { firstTextMs, totalMs: Math.round(performance.now() - started) },
      };
    } catch (error) {
      if (idleExpired) {
        throw new ModelError('timeout', `The model stream was silent for ${streamIdleTimeoutMs} ms`, {
          cause: error,
          midStream: streamedChars > 0,
        });
      }
      throw toModelError(error, streamedChars > 0);
    } finally {
      clearTimeout(idleTimer);
    }
  }
}

/** Maps an SDK failure to the kinds the bot explains to users. Errors that are not the SDK's are rethrown. */
export function toModelError(error: unknown, midStream = false): ModelError {
  if (error instanceof ModelError) return error;
  if (!(error instanceof Anthropic.AnthropicError)) throw error;
  const kind = failureKind(error);
  const status = error instanceof APIError && error.status !== undefined ? ` (HTTP ${error.status})` : '';
  return new ModelError(kind, `Model request failed: ${kind}${status}`, { cause: error, midStream });
}

function failureKind(error: InstanceType<typeof Anthropic.AnthropicError>): ModelFailureKind {
  if (error instanceof APIConnectionTimeoutError || error instanceof APIUserAbortError) return 'timeout';
  if (error instanceof APIConnectionError) return 'unavailable';
  if (!(error instanceof APIError)) return 'unavailable';
  // An SSE `error` event mid-stream has no HTTP status; its type says what happened.
  if (error.status === 529 || error.type === 'overloaded_error') return 'overloaded';
  if (error.status === 429 || error.type === 'rate_limit_error') return 'rate_limited';
  if (error.status === 408 || error.type === 'timeout_error') return 'timeout';
  if (error.status === undefined || error.status >= 500) return 'unavailable';
  return 'rejected';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
