/** Where a conversation lives in Slack. Slack `ts` values are unique only within a channel. */
export interface ThreadRef {
  readonly teamId: string;
  readonly channelId: string;
  /** `ts` of the thread's root message. */
  readonly threadTs: string;
}

export type Role = 'user' | 'assistant';

/** One stored turn of a thread: the user's text or the assistant's raw Markdown answer. */
export interface Turn {
  readonly role: Role;
  /**
   * The Slack `ts` of the user post this turn belongs to: a user turn is the post itself, an
   * assistant turn is the answer to that post. Orders turns and makes writes idempotent.
   */
  readonly postTs: string;
  readonly text: string;
  /** Slack user id of the author of a user turn. */
  readonly userId?: string;
  /** For an answer: true when the model stopped at its output limit. */
  readonly truncated?: boolean;
  /** For an answer: the ts of each Slack message that already shows a part of it, in order. */
  readonly postedTs?: readonly string[];
}

/** A request the bot has accepted and must answer. Serialisable: it may cross a queue. */
export interface AnswerJob {
  readonly thread: ThreadRef;
  /** The Slack post being answered (for a slash command, the root message the bot posted). */
  readonly postTs: string;
  readonly userId: string;
  /** The request text, already cleaned of Slack markup. */
  readonly text: string;
  /** A message the bot already posted in the thread that the answer replaces, if any. */
  readonly placeholderTs?: string;
}
