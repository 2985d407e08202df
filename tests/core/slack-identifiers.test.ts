import { describe, expect, it } from 'vitest';
import { isSlackTs } from '../../src/core/slack-identifiers.js';

describe('isSlackTs', () => {
  it("accepts Slack's fixed-width ts and nothing else", () => {
    expect(isSlackTs('1700000000.000100')).toBe(true);
    for (const value of [
      '1700000000.0001',
      '170000000.000100',
      '1700000000000100',
      ' 1700000000.000100',
      1,
      undefined,
    ]) {
      expect(isSlackTs(value)).toBe(false);
    }
  });
});
