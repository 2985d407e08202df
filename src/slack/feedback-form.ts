import * as z from 'zod/mini';
import {
  type AnswerFeedback,
  FEEDBACK_REASONS,
  type FeedbackReason,
  MAX_FEEDBACK_COMMENT_CHARS,
} from '../core/feedback.js';
import { slackId, slackTs } from '../core/slack-identifiers.js';
import type { KnownBlock } from './render/slack-message-payload.js';
import { FEEDBACK_FORM_INTRO, FEEDBACK_REASON_LABELS } from './user-messages.js';

/** The `callback_id` of the thumbs-down form. */
export const FEEDBACK_FORM_CALLBACK_ID = 'architect_feedback_form';

const REASONS_BLOCK = 'reasons';
const COMMENT_BLOCK = 'comment';

/** What the form carries in `private_metadata`: the answer and the click that opened it. */
const formTargetSchema = z.object({
  team: slackId,
  channel: slackId,
  thread: slackTs,
  post: slackTs,
  click: slackTs,
});
export type FeedbackFormTarget = z.infer<typeof formTargetSchema>;

/** A modal view for `views.open`. */
export interface ModalView {
  readonly type: 'modal';
  readonly callback_id: string;
  readonly private_metadata: string;
  readonly title: { type: 'plain_text'; text: string };
  readonly submit: { type: 'plain_text'; text: string };
  readonly close: { type: 'plain_text'; text: string };
  readonly blocks: KnownBlock[];
}

/** The thumbs-down form: a few checkboxes and an optional comment, all optional. */
export function feedbackFormView(target: FeedbackFormTarget): ModalView {
  return {
    type: 'modal',
    callback_id: FEEDBACK_FORM_CALLBACK_ID,
    private_metadata: JSON.stringify(target),
    title: { type: 'plain_text', text: 'What was wrong?' },
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: FEEDBACK_FORM_INTRO } },
      {
        type: 'input',
        block_id: REASONS_BLOCK,
        optional: true,
        label: { type: 'plain_text', text: 'What missed the mark' },
        element: {
          type: 'checkboxes',
          action_id: REASONS_BLOCK,
          options: FEEDBACK_REASONS.map((reason) => ({
            text: { type: 'plain_text', text: FEEDBACK_REASON_LABELS[reason] },
            value: reason,
          })),
        },
      },
      {
        type: 'input',
        block_id: COMMENT_BLOCK,
        optional: true,
        label: { type: 'plain_text', text: 'Anything else?' },
        element: {
          type: 'plain_text_input',
          action_id: COMMENT_BLOCK,
          multiline: true,
          max_length: MAX_FEEDBACK_COMMENT_CHARS,
          placeholder: { type: 'plain_text', text: 'For example: the schema ignores multi-currency carts' },
        },
      },
    ],
  };
}

const submittedViewSchema = z.object({
  callback_id: z.literal(FEEDBACK_FORM_CALLBACK_ID),
  private_metadata: z.string(),
  state: z.object({
    values: z.object({
      [REASONS_BLOCK]: z.optional(
        z.object({
          [REASONS_BLOCK]: z.object({
            selected_options: z.nullish(z.array(z.object({ value: z.enum(FEEDBACK_REASONS) }))),
          }),
        }),
      ),
      [COMMENT_BLOCK]: z.optional(
        z.object({
          [COMMENT_BLOCK]: z.object({
            value: z.nullish(z.string().check(z.maxLength(MAX_FEEDBACK_COMMENT_CHARS))),
          }),
        }),
      ),
    }),
  }),
});

/**
 * Reads a submitted thumbs-down form into the feedback to store for `userId`; null when the view is
 * not a well-formed form of ours (the payload is checked, never trusted).
 */
export function parseFeedbackSubmission(view: unknown, userId: string): AnswerFeedback | null {
  const parsed = submittedViewSchema.safeParse(view);
  if (!parsed.success) return null;
  let target: FeedbackFormTarget;
  try {
    const metadata = formTargetSchema.safeParse(JSON.parse(parsed.data.private_metadata));
    if (!metadata.success) return null;
    target = metadata.data;
  } catch {
    return null;
  }
  const { values } = parsed.data.state;
  const reasons: FeedbackReason[] = [
    ...new Set((values[REASONS_BLOCK]?.[REASONS_BLOCK].selected_options ?? []).map((option) => option.value)),
  ];
  const comment = values[COMMENT_BLOCK]?.[COMMENT_BLOCK].value?.trim() ?? '';
  return {
    thread: { teamId: target.team, channelId: target.channel, threadTs: target.thread },
    postTs: target.post,
    userId,
    rating: 'negative',
    clickTs: target.click,
    ...(reasons.length > 0 ? { reasons } : {}),
    ...(comment === '' ? {} : { comment }),
  };
}
