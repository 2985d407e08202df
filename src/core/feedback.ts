import type { ThreadRef } from './conversation.js';

/** A click on an answer's thumbs-up or thumbs-down. */
export type FeedbackRating = 'positive' | 'negative';

/** What a thumbs-down form lets a user tick, in the order the form shows them. */
export const FEEDBACK_REASONS = ['missing_section', 'wrong_technology', 'too_long', 'inaccurate'] as const;
export type FeedbackReason = (typeof FEEDBACK_REASONS)[number];

/** Longest free-text comment kept from the thumbs-down form. */
export const MAX_FEEDBACK_COMMENT_CHARS = 1000;

/**
 * One user's rating of one answer (the answer to the post `postTs`). A user has at most one per
 * answer: a later click replaces an earlier one, and the thumbs-down form's details belong to the
 * click that opened it (`clickTs`), so they never overwrite a newer click.
 */
export interface AnswerFeedback {
  readonly thread: ThreadRef;
  readonly postTs: string;
  readonly userId: string;
  readonly rating: FeedbackRating;
  /** Slack's `action_ts` of the click: orders the clicks of one user on one answer. */
  readonly clickTs: string;
  readonly reasons?: readonly FeedbackReason[];
  /** User text: stored with the thread's history, deleted by `forget`, never logged at info. */
  readonly comment?: string;
}

/** Someone opened the bot's Home tab: whose tab to publish. Serialisable (it crosses the queue on AWS). */
export interface HomeTabRequest {
  readonly teamId: string;
  readonly userId: string;
  /**
   * Names this opening of the tab (Slack's `event_ts`, else the delivery's `event_id`): one publish
   * per opening, however often Slack delivers it.
   */
  readonly openingId: string;
}

/** A design thread a user started, as the App Home tab lists it. */
export interface UserThreadSummary {
  readonly thread: ThreadRef;
  /** The first line of the request that started it; absent once the thread was forgotten. */
  readonly title?: string;
  /** The thread's Slack permalink, when Slack gave one as the thread was listed. */
  readonly permalink?: string;
  readonly answers: number;
  /** Estimated cost of the thread's answers so far, in millionths of a US dollar. */
  readonly costMicroUsd: number;
}

/** How a design thread is listed for the user who started it. */
export interface UserThreadEntry {
  /** Short, from the request (see `threadTitle`): user text, kept like the thread's turns. */
  readonly title: string;
  readonly permalink?: string;
}

/** The short title of a thread: the first non-empty line of its request, at most 80 characters. */
export function threadTitle(requestText: string, maxChars = 80): string {
  const line =
    requestText
      .split('\n')
      .map((part) => part.trim())
      .find((part) => part !== '') ?? '';
  if (line.length <= maxChars) return line;
  return `${line.slice(0, maxChars - 1).trimEnd()}…`;
}
