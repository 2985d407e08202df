import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { parseButtonValue } from '../../src/slack/button-value.js';

const schema = z.object({ thread: z.string(), count: z.number() });

describe('parseButtonValue', () => {
  it('reads back JSON that matches the schema', () => {
    expect(parseButtonValue(schema, '{"thread":"1700000000.000100","count":2}')).toEqual({
      thread: '1700000000.000100',
      count: 2,
    });
  });

  it('answers null, never throws, for what is not one of our values', () => {
    for (const value of [undefined, 42, '', 'not json', '{"thread":"x"}', '{"thread":1,"count":2}', 'null']) {
      expect(parseButtonValue(schema, value)).toBeNull();
    }
  });
});
