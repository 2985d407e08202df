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

/** Where a request came from. */
export type RequestSource =
  /**
   * A Slack message (a mention, a DM, a reply in a thread, or the root a slash command posted):
   * `threadTs` is where the answer goes.
   */
  | { readonly type: 'post'; readonly postTs: string; readonly threadTs: string }
  /**
   * A click on a failure message's Retry button: answer the stored post `postTs` again, over the
   * failure message `noticeTs`. `clickId` (Slack's `action_ts`) makes each click one request.
   */
  | {
      readonly type: 'retry';
      readonly postTs: string;
      readonly threadTs: string;
      readonly noticeTs: string;
      readonly clickId: string;
    }
  /**
   * A click on an answer's "Open as canvas" button: export the thread's design. `postTs` is the
   * message the button was on; `clickId` (Slack's `action_ts`) makes each click one request.
   */
  | {
      readonly type: 'export';
      readonly postTs: string;
      readonly threadTs: string;
      readonly clickId: string;
    };

/**
 * A request as the ack path hands it off, before anything is posted or stored. Serialisable: it
 * crosses the queue on AWS. An empty `text` asks for the usage help.
 */
export interface IncomingRequest {
  readonly teamId: string;
  readonly channelId: string;
  readonly userId: string;
  readonly text: string;
  /** A follow-up arrives in a thread the bot already answers in. */
  readonly kind: 'request' | 'follow-up';
  /** Set when the text was cut to the size limit: the length the user sent. */
  readonly cutFromChars?: number;
  readonly source: RequestSource;
}

/** The key that makes each Slack post or command be taken on once, however often it is delivered. */
export function requestKeyOf(request: IncomingRequest): string {
  const { source } = request;
  switch (source.type) {
    case 'retry':
      return `RETRY#${request.channelId}#${source.postTs}#${source.clickId}`;
    case 'export':
      return `EXPORT#${request.channelId}#${source.postTs}#${source.clickId}`;
    case 'post':
      return `POST#${request.channelId}#${source.postTs}`;
  }
}

/** Requests with the same group are answered one at a time, in order: one group per thread. */
export function requestGroupOf(request: IncomingRequest): string {
  return `${request.channelId}-${request.source.threadTs}`;
}

/** A request the bot has taken on and must answer: its thread is known and its placeholder posted. */
export interface AnswerJob {
  readonly thread: ThreadRef;
  /** The Slack post being answered (for a slash command, the root message the bot posted). */
  readonly postTs: string;
  readonly userId: string;
  /** The request text, already cleaned of Slack markup. */
  readonly text: string;
  /** A message the bot already posted in the thread that the answer replaces, if any. */
  readonly placeholderTs?: string;
  /** A line shown above the answer (not stored, not sent to the model), e.g. that the request was cut. */
  readonly preface?: string;
  /** The request's key (`requestKeyOf`), under which progress such as `streamedTs` is recorded. */
  readonly requestKey?: string;
  /** Messages an earlier attempt showed the answer in while it was written, in order. */
  readonly streamedTs?: readonly string[];
}
