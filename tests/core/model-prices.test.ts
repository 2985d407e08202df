import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_PRICES, estimateCostUsd, modelPrice, priceOf } from '../../src/core/model-prices.js';

const usage = {
  inputTokens: 1_000_000,
  outputTokens: 1_000_000,
  cacheReadInputTokens: 1_000_000,
  cacheCreationInputTokens: 1_000_000,
};

describe('model prices', () => {
  it('price cache reads at 0.1x and cache writes at 1.25x (5m) or 2x (1h) the input price', () => {
    const price = modelPrice(3, 15);
    expect(price.input).toBe(3);
    expect(price.output).toBe(15);
    expect(price.cacheRead).toBeCloseTo(0.3, 12);
    expect(price.cacheWrite5m).toBeCloseTo(3.75, 12);
    expect(price.cacheWrite1h).toBeCloseTo(6, 12);
  });

  it('find a model by exact name, else by the longest family prefix', () => {
    const prices = { ...DEFAULT_MODEL_PRICES, 'claude-sonnet-5-5': modelPrice(4, 20) };
    expect(priceOf('claude-sonnet-5-5', prices)?.input).toBe(4);
    expect(priceOf('claude-sonnet-4-6', prices)?.input).toBe(3);
    expect(priceOf('claude-haiku-4-5-20251001', prices)?.input).toBe(1);
    expect(priceOf('gpt-9', prices)).toBeUndefined();
  });

  it('estimate a cost from every kind of token, with the write price of the cache lifetime used', () => {
    const sonnet = modelPrice(3, 15);
    expect(estimateCostUsd(usage, sonnet, '1h')).toBeCloseTo(3 + 15 + 0.3 + 6, 10);
    expect(estimateCostUsd(usage, sonnet, '5m')).toBeCloseTo(3 + 15 + 0.3 + 3.75, 10);
  });

  it('give no estimate for a model without a price', () => {
    expect(estimateCostUsd(usage, undefined, '1h')).toBeNull();
  });
});
