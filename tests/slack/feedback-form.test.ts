import { describe, expect, it } from 'vitest';
import { FEEDBACK_REASONS } from '../../src/core/feedback.js';
import {
  FEEDBACK_FORM_CALLBACK_ID,
  type FeedbackFormTarget,
  feedbackFormView,
  parseFeedbackSubmission,
} from '../../src/slack/feedback-form.js';

const target: FeedbackFormTarget = {
  team: 'T0001',
  channel: 'C0001',
  thread: '1700000000.000100',
  post: '1700000042.000200',
  click: '1700000100.000001',
};

/** The view as Slack sends it back in a `view_submission`, with what the user entered. */
function submitted(values: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  const view = feedbackFormView(target);
  return {
    id: 'V0001',
    type: 'modal',
    callback_id: view.callback_id,
    private_metadata: view.private_metadata,
    state: { values },
    ...overrides,
  };
}

describe('feedbackFormView', () => {
  it('is a modal within Slack limits that offers every reason and an optional comment', () => {
    const view = feedbackFormView(target);

    expect(view.type).toBe('modal');
    expect(view.callback_id).toBe(FEEDBACK_FORM_CALLBACK_ID);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.private_metadata.length).toBeLessThanOrEqual(3000);
    const inputs = view.blocks.filter((block) => block.type === 'input') as Array<{
      optional?: boolean;
      element: { type: string; options?: Array<{ value: string }> };
    }>;
    expect(inputs.every((block) => block.optional === true)).toBe(true);
    expect(inputs[0]?.element.options?.map((option) => option.value)).toEqual([...FEEDBACK_REASONS]);
    expect(inputs[1]?.element.type).toBe('plain_text_input');
  });
});

describe('parseFeedbackSubmission', () => {
  it('reads the ticked reasons and the comment against the answer and the click', () => {
    const feedback = parseFeedbackSubmission(
      submitted({
        reasons: {
          reasons: { type: 'checkboxes', selected_options: [{ value: 'too_long' }, { value: 'inaccurate' }] },
        },
        comment: { comment: { type: 'plain_text_input', value: '  The cache is wrong.  ' } },
      }),
      'U0001',
    );

    expect(feedback).toEqual({
      thread: { teamId: 'T0001', channelId: 'C0001', threadTs: '1700000000.000100' },
      postTs: '1700000042.000200',
      userId: 'U0001',
      rating: 'negative',
      clickTs: '1700000100.000001',
      reasons: ['too_long', 'inaccurate'],
      comment: 'The cache is wrong.',
    });
  });

  it('accepts an empty form: nothing ticked, no comment', () => {
    const feedback = parseFeedbackSubmission(
      submitted({
        reasons: { reasons: { type: 'checkboxes', selected_options: [] } },
        comment: { comment: { type: 'plain_text_input', value: null } },
      }),
      'U0001',
    );

    expect(feedback).not.toBeNull();
    expect(feedback).not.toHaveProperty('reasons');
    expect(feedback).not.toHaveProperty('comment');
  });

  it.each([
    ['another callback id', submitted({}, { callback_id: 'other' })],
    ['metadata that is not ours', submitted({}, { private_metadata: '{"team":"T1"}' })],
    ['metadata that is not JSON', submitted({}, { private_metadata: 'nope' })],
    [
      'a reason the form never offered',
      submitted({ reasons: { reasons: { selected_options: [{ value: 'x' }] } } }),
    ],
    ['a comment over the limit', submitted({ comment: { comment: { value: 'x'.repeat(1001) } } })],
  ])('refuses %s', (_name, view) => {
    expect(parseFeedbackSubmission(view, 'U0001')).toBeNull();
  });
});
