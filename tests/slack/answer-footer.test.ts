import { describe, expect, it } from 'vitest';
import {
  ANSWER_FOOTER_RESERVE_CHARS,
  answerFooterBlocks,
  durationText,
  FEEDBACK_ACTION_ID,
  modelDisplayName,
  parseFeedbackValue,
} from '../../src/slack/answer-footer.js';
import { canvasButtonBlock } from '../../src/slack/canvas-button.js';
import { countBlockText } from '../../src/slack/render/count-block-text.js';
import { renderAnswer } from '../../src/slack/render/render-answer.js';
import { CUT_SHORT_NOTE, TRUNCATED_NOTE } from '../../src/slack/user-messages.js';

const job = {
  thread: { teamId: 'T0001', channelId: 'C0001', threadTs: '1700000000.000100' },
  postTs: '1700000042.000200',
};

interface FeedbackButton {
  text: { text: string };
  value: string;
}
interface Element {
  type: string;
  text?: string;
  action_id?: string;
  positive_button: FeedbackButton;
  negative_button: FeedbackButton;
}
type Block = { type: string; block_id?: string; elements: Element[] };

describe('answerFooterBlocks', () => {
  it('puts the model, the time taken and the follow-up hint in a context line', () => {
    const [context] = answerFooterBlocks({ job, model: 'claude-sonnet-4-6', durationMs: 47_600 }) as Block[];

    expect(context?.type).toBe('context');
    expect(context?.elements[0]).toEqual({
      type: 'mrkdwn',
      text: 'Claude Sonnet 4.6 · in 48 s · Reply in this thread to refine the design',
    });
  });

  it('puts extra actions between the context line and the feedback buttons, which stay last', () => {
    const canvas = { type: 'actions' as const, elements: [] };
    const blocks = answerFooterBlocks({ job, model: 'claude-sonnet-4-6', durationMs: 1000 }, [
      canvas,
    ]) as Block[];

    expect(blocks.map((block) => block.type)).toEqual(['context', 'actions', 'context_actions']);
    expect(blocks[1]).toBe(canvas);
  });

  it.each([
    ['no note', undefined],
    ['the length-limit note', TRUNCATED_NOTE],
    ['the out-of-time note', CUT_SHORT_NOTE],
  ])(
    'stays within the reserve every answer keeps for it, whatever the model id and the time, with %s',
    (_name, note) => {
      const blocks = answerFooterBlocks(
        { job, model: `claude-${'x'.repeat(500)}`, durationMs: 86_400_000, ...(note ? { note } : {}) },
        [canvasButtonBlock(job.thread)],
      );

      expect(blocks.reduce((total, block) => total + countBlockText(block), 0)).toBeLessThanOrEqual(
        ANSWER_FOOTER_RESERVE_CHARS,
      );
    },
  );

  it('shows a note first, in a context line of its own', () => {
    const blocks = answerFooterBlocks({
      job,
      model: 'claude-sonnet-4-6',
      durationMs: 1000,
      note: TRUNCATED_NOTE,
    }) as Block[];

    expect(blocks.map((block) => block.type)).toEqual(['context', 'context', 'context_actions']);
    expect(blocks[0]?.elements[0]?.text).toBe(TRUNCATED_NOTE);
  });

  it('shows only the hint for an answer reused from the store', () => {
    const [context] = answerFooterBlocks({ job, model: 'stored', durationMs: 1200 }) as Block[];

    expect(context?.elements[0]?.text).toBe('Reply in this thread to refine the design');
  });

  it('adds feedback buttons whose values name the thread, the answered post and the rating', () => {
    const [, actions] = answerFooterBlocks({ job, model: 'claude-opus-5-5', durationMs: 1000 }) as Block[];

    expect(actions?.type).toBe('context_actions');
    expect(actions?.block_id).toBe('architect_feedback_1700000042.000200');
    const buttons = actions?.elements[0];
    expect(buttons?.type).toBe('feedback_buttons');
    expect(buttons?.action_id).toBe(FEEDBACK_ACTION_ID);
    const target = {
      team: 'T0001',
      channel: 'C0001',
      thread: '1700000000.000100',
      post: '1700000042.000200',
    };
    expect(parseFeedbackValue(buttons?.positive_button.value)).toEqual({ ...target, rating: 'positive' });
    expect(parseFeedbackValue(buttons?.negative_button.value)).toEqual({ ...target, rating: 'negative' });
    expect(buttons?.positive_button.text.text.length).toBeLessThanOrEqual(75);
    expect(buttons?.negative_button.value.length).toBeLessThanOrEqual(2000);
  });
});

describe('parseFeedbackValue', () => {
  it.each([
    ['not JSON', '{oops'],
    ['another shape', JSON.stringify({ team: 'T1', channel: 'C1' })],
    ['a bad ts', JSON.stringify({ team: 'T1', channel: 'C1', thread: '1', post: '2', rating: 'positive' })],
    [
      'an unknown rating',
      JSON.stringify({
        team: 'T1',
        channel: 'C1',
        thread: '1700000000.000100',
        post: '1700000000.000100',
        rating: 'meh',
      }),
    ],
    ['no value', undefined],
  ])('refuses %s', (_name, value) => {
    expect(parseFeedbackValue(value)).toBeNull();
  });
});

describe('modelDisplayName', () => {
  it.each([
    ['claude-sonnet-4-6', 'Claude Sonnet 4.6'],
    ['claude-opus-5-5', 'Claude Opus 5.5'],
    ['claude-haiku-4-5-20251001', 'Claude Haiku 4.5'],
    ['claude-3-5-haiku-20241022', 'Claude 3.5 Haiku'],
    ['claude-sonnet-4', 'Claude Sonnet 4'],
    ['some-other-model', 'some-other-model'],
  ])('calls %s "%s"', (id, name) => {
    expect(modelDisplayName(id)).toBe(name);
  });
});

describe('durationText', () => {
  it.each([
    [200, '1 s'],
    [47_600, '48 s'],
    [60_000, '1 min'],
    [125_000, '2 min 5 s'],
  ])('says %i ms is "%s"', (ms, text) => {
    expect(durationText(ms)).toBe(text);
  });
});

describe('an answer that stops short, rendered again', () => {
  it('is cut at the same places under the out-of-time note (first) and the length-limit note (a re-run)', () => {
    const paragraphs = Array.from(
      { length: 160 },
      (_, index) => `Paragraph ${index}: the cart service keeps a row per item, keyed by cart and SKU.`,
    );
    const markdown = `## Database Schema\n\n${paragraphs.join('\n\n')}`;
    const render = (model: string, note: string) =>
      renderAnswer(markdown, {
        footerBlocks: answerFooterBlocks({ job, model, durationMs: 754_000, note }, [
          canvasButtonBlock(job.thread),
        ]),
        footerReserveChars: ANSWER_FOOTER_RESERVE_CHARS,
      });
    const bodies = (messages: ReturnType<typeof renderAnswer>) =>
      messages.map((message) =>
        JSON.stringify(
          message.blocks.filter(
            (block) =>
              block.type !== 'context' && block.type !== 'actions' && block.type !== 'context_actions',
          ),
        ),
      );

    const first = render('claude-sonnet-4-6', CUT_SHORT_NOTE);
    const again = render('stored', TRUNCATED_NOTE);

    expect(first.length).toBeGreaterThan(1);
    expect(bodies(again)).toEqual(bodies(first));
  });
});
