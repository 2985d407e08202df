import * as z from 'zod/mini';
import type { AnswerJob } from '../core/conversation.js';
import type { FeedbackRating } from '../core/feedback.js';
import { slackId, slackTs } from '../core/slack-identifiers.js';
import { parseButtonValue } from './button-value.js';
import type { KnownBlock } from './render/slack-message-payload.js';
import { truncateWithEllipsis } from './render/truncate-text.js';
import { FOLLOW_UP_HINT } from './user-messages.js';

/** The action id of the thumbs-up / thumbs-down buttons under each answer. */
export const FEEDBACK_ACTION_ID = 'architect_feedback';

/** `ComposedAnswer.model` of an answer reused from the store rather than written now. */
/** `model` values that name no model: an answer reused from the store, or one cut short by a timeout. */
const NOT_A_MODEL = new Set(['stored', 'cut']);

/** What each feedback button carries: which answer (the answered post) and which button. */
const feedbackValueSchema = z.object({
  team: slackId,
  channel: slackId,
  thread: slackTs,
  post: slackTs,
  rating: z.enum(['positive', 'negative']),
});
export type FeedbackValue = z.infer<typeof feedbackValueSchema>;

export interface AnswerFooterInput {
  readonly job: Pick<AnswerJob, 'thread' | 'postTs'>;
  /** The model id (`claude-sonnet-4-6`), or `stored` for an answer reused from the store. */
  readonly model: string;
  /** From the start of the job to the answer being ready. */
  readonly durationMs: number;
  /**
   * Why the answer stops short (`TRUNCATED_NOTE`, `CUT_SHORT_NOTE`), shown first. In the foot, not the
   * text: the text is then cut at the same places whichever note a later render shows.
   */
  readonly note?: string;
}

/** A model id from the settings can be any length: the foot shows at most this much of it. */
const MAX_MODEL_NAME_CHARS = 80;

/**
 * Characters of text every message of an answer keeps free for its foot (`footerReserveChars` of
 * `renderAnswer`): more than any foot `answerFooterBlocks` builds, so an answer is cut at the same
 * places whether its foot names the model and time (first render) or not (an answer reused on a re-run).
 */
export const ANSWER_FOOTER_RESERVE_CHARS = 300;

/**
 * The blocks under an answer's last message: the note, if any, then a context line (model, time
 * taken, how to follow up), then `actions` (such as "Open as canvas"), then the feedback buttons,
 * whose values name the thread and the answered post.
 */
export function answerFooterBlocks(
  input: AnswerFooterInput,
  actions: readonly KnownBlock[] = [],
): KnownBlock[] {
  const { job } = input;
  const facts = NOT_A_MODEL.has(input.model)
    ? []
    : [
        truncateWithEllipsis(modelDisplayName(input.model), MAX_MODEL_NAME_CHARS),
        `in ${durationText(input.durationMs)}`,
      ];
  const value = (rating: FeedbackRating): string =>
    JSON.stringify({
      team: job.thread.teamId,
      channel: job.thread.channelId,
      thread: job.thread.threadTs,
      post: job.postTs,
      rating,
    } satisfies FeedbackValue);
  return [
    ...(input.note
      ? [{ type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: input.note }] }]
      : []),
    { type: 'context', elements: [{ type: 'mrkdwn', text: [...facts, FOLLOW_UP_HINT].join(' · ') }] },
    ...actions,
    {
      type: 'context_actions',
      // Slack asks for a block_id unique to each message: the answered post is.
      block_id: `architect_feedback_${job.postTs}`,
      elements: [
        {
          type: 'feedback_buttons',
          action_id: FEEDBACK_ACTION_ID,
          positive_button: {
            text: { type: 'plain_text', text: 'Good design' },
            accessibility_label: 'Mark this design as helpful',
            value: value('positive'),
          },
          negative_button: {
            text: { type: 'plain_text', text: 'Needs work' },
            accessibility_label: 'Tell Architect what was wrong with this design',
            value: value('negative'),
          },
        },
      ],
    },
  ];
}

/** Reads a feedback button's value back; null when it is not one of ours. */
export function parseFeedbackValue(value: unknown): FeedbackValue | null {
  return parseButtonValue(feedbackValueSchema, value);
}

/**
 * A model id as people say it: `claude-sonnet-4-6` is "Claude Sonnet 4.6", `claude-3-5-haiku-20241022`
 * "Claude 3.5 Haiku". Ids of other families are shown as they are.
 */
export function modelDisplayName(model: string): string {
  if (!model.startsWith('claude-')) return model;
  const words: string[] = [];
  for (const part of model.split('-').filter((piece) => !/^\d{8}$/.test(piece) && piece !== 'latest')) {
    const last = words.length - 1;
    if (/^\d+$/.test(part) && last >= 0 && /^\d+(\.\d+)*$/.test(words[last] ?? '')) {
      words[last] = `${words[last]}.${part}`;
    } else {
      words.push(/^\d/.test(part) ? part : `${part.charAt(0).toUpperCase()}${part.slice(1)}`);
    }
  }
  return words.join(' ');
}

/** "48 s", "2 min 5 s", "2 min": how long an answer took. */
export function durationText(durationMs: number): string {
  const seconds = Math.max(1, Math.round(durationMs / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}
