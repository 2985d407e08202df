/** Prices of one model in US dollars per million tokens. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  /** Reading a cached prefix. */
  readonly cacheRead: number;
  /** Writing a prefix to the cache, by lifetime. */
  readonly cacheWrite5m: number;
  readonly cacheWrite1h: number;
}

/** Anthropic's pricing shape: cache reads at 0.1x the input price, writes at 1.25x (5m) or 2x (1h). */
export function modelPrice(input: number, output: number): ModelPrice {
  return { input, output, cacheRead: input * 0.1, cacheWrite5m: input * 1.25, cacheWrite1h: input * 2 };
}

/**
 * List prices by model family, for cost estimates in logs, metrics and per-thread totals (not
 * billing). Check https://www.anthropic.com/pricing and override with `MODEL_PRICES_JSON`.
 */
export const DEFAULT_MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-haiku': modelPrice(1, 5),
  'claude-sonnet': modelPrice(3, 15),
  'claude-opus': modelPrice(5, 25),
};

/** The price of `model`: an exact entry, else the longest entry that prefixes it (its family). */
export function priceOf(model: string, prices: Readonly<Record<string, ModelPrice>>): ModelPrice | undefined {
  if (prices[model]) return prices[model];
  const family = Object.keys(prices)
    .filter((name) => model.startsWith(name))
    .sort((a, b) => b.length - a.length)[0];
  return family ? prices[family] : undefined;
}

/** Token counts of one model call, as the API reports them. */
export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheCreationInputTokens: number;
  readonly cacheReadInputTokens: number;
}

/** Estimated cost in US dollars, or null for a model without a known price. */
export function estimateCostUsd(
  usage: TokenUsage,
  price: ModelPrice | undefined,
  cacheTtl: '5m' | '1h',
): number | null {
  if (!price) return null;
  const perToken = (dollarsPerMillion: number) => dollarsPerMillion / 1_000_000;
  return (
    usage.inputTokens * perToken(price.input) +
    usage.outputTokens * perToken(price.output) +
    usage.cacheReadInputTokens * perToken(price.cacheRead) +
    usage.cacheCreationInputTokens * perToken(cacheTtl === '1h' ? price.cacheWrite1h : price.cacheWrite5m)
  );
}
