import { describe, expect, it } from 'vitest';
import { designAnswer } from '../../bench/harness/design-text.js';
import { ANSWER_CHARS, DESIGN_REQUEST } from '../../bench/measure/thread-cost.js';
import {
  deliverablesIn,
  isFullDesignRequest,
  missingDeliverables,
} from '../../src/core/design-completeness.js';

// The cost bench expects one model call a turn; a completion call would change its figures.
describe('the thread-cost bench script', () => {
  it('answers its full design request with all five sections, so no completion call is made', () => {
    const answer = designAnswer(1, DESIGN_REQUEST, ANSWER_CHARS);

    expect(isFullDesignRequest({ kind: 'request', text: DESIGN_REQUEST })).toBe(true);
    expect(deliverablesIn(answer)).toHaveLength(5);
    expect(missingDeliverables({ kind: 'request', text: DESIGN_REQUEST }, answer)).toEqual([]);
  });
});
