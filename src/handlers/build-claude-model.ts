import { ClaudeModel, createAnthropicClient } from '../adapters/anthropic/claude-model.js';
import type { Config, WorkerConfig } from '../config.js';
import { DEFAULT_MODEL_PRICES, modelPrice } from '../core/model-prices.js';

type ModelConfig = Pick<
  Config & WorkerConfig,
  | 'ANTHROPIC_API_KEY'
  | 'ANTHROPIC_BASE_URL'
  | 'ANTHROPIC_MODEL'
  | 'ANTHROPIC_MAX_TOKENS'
  | 'ANTHROPIC_TIMEOUT_MS'
  | 'ANTHROPIC_STREAM_IDLE_TIMEOUT_MS'
  | 'ANTHROPIC_MAX_RETRIES'
  | 'ANTHROPIC_CACHE_TTL'
  | 'MODEL_PRICES_JSON'
>;

/** Claude with the configured model, timeouts and retries. */
export function buildClaudeModel(config: ModelConfig): ClaudeModel {
  return new ClaudeModel({
    client: createAnthropicClient({
      apiKey: config.ANTHROPIC_API_KEY,
      ...(config.ANTHROPIC_BASE_URL ? { baseURL: config.ANTHROPIC_BASE_URL } : {}),
      timeoutMs: config.ANTHROPIC_TIMEOUT_MS,
      maxRetries: config.ANTHROPIC_MAX_RETRIES,
    }),
    model: config.ANTHROPIC_MODEL,
    maxTokens: config.ANTHROPIC_MAX_TOKENS,
    streamIdleTimeoutMs: config.ANTHROPIC_STREAM_IDLE_TIMEOUT_MS,
    cacheTtl: config.ANTHROPIC_CACHE_TTL,
    prices: {
      ...DEFAULT_MODEL_PRICES,
      ...Object.fromEntries(
        Object.entries(config.MODEL_PRICES_JSON ?? {}).map(([model, { input, output }]) => [
          model,
          modelPrice(input, output),
        ]),
      ),
    },
  });
}
