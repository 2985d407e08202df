import type { IncomingRequest, ThreadRef, Turn } from './conversation.js';
import type { ModelFailureKind } from './errors.js';
import type { AnswerFeedback, FeedbackRating, UserThreadEntry, UserThreadSummary } from './feedback.js';
import type { TokenUsage } from './model-prices.js';

/** Thread history and the records that make Slack deliveries idempotent. */
export interface ThreadStore {
  /** Marks the thread as one the bot takes part in, and keeps it alive. Idempotent. */
  claimThread(thread: ThreadRef, startedBy: string): Promise<void>;
  /**
   * Marks the thread as the bot's unless it already is: one conditional write, cheap enough for the
   * ack path, so a reply posted before the answer starts is already a follow-up. True when created.
   */
  startThread(thread: ThreadRef, startedBy: string): Promise<boolean>;
  /** True when the bot takes part in this thread (and the record has not expired). */
  isThreadKnown(channelId: string, threadTs: string): Promise<boolean>;
  /**
   * Takes on a request (see `requestKeyOf`) for one delivery of it. Resolves the claim, with what
   * earlier attempts of the same delivery already posted, or `null` when another delivery of the
   * same request has it: a post delivered twice (a retry, or both `app_mention` and `message`) is
   * answered once, while a queue's redelivery of the same job carries on where it stopped.
   */
  claimRequest(requestKey: string, deliveryId: string): Promise<RequestClaim | null>;
  /** Remembers what was posted for a claimed request, so a re-run does not post it again. */
  recordRequestProgress(requestKey: string, progress: RequestClaim): Promise<void>;
  /** Stores a turn; writing the same turn twice leaves one copy. */
  appendTurn(thread: ThreadRef, turn: Turn): Promise<void>;
  /** Adds one answer's tokens and estimated cost to the thread's running totals. */
  addThreadUsage(thread: ThreadRef, usage: ThreadUsage): Promise<void>;
  /** The thread's running totals, or null when the thread is unknown. */
  threadUsage(thread: ThreadRef): Promise<ThreadUsage | null>;
  /** The thread's unexpired turns, oldest first. */
  listTurns(thread: ThreadRef): Promise<Turn[]>;
  /**
   * Deletes the thread's stored turns, the feedback on its answers and its title (the thread stays
   * the bot's); resolves how many turns were deleted.
   */
  forgetThread(thread: ThreadRef): Promise<number>;
  /**
   * Counts one request of a user in the current clock hour, unless the user already made `limit`
   * there. Atomic, so concurrent requests cannot slip past the limit.
   */
  countUserRequest(teamId: string, userId: string, limit: number): Promise<AllowanceDecision>;
  /** Input plus output tokens the workspace used in the current UTC day. */
  workspaceTokensToday(teamId: string): Promise<number>;
  /** Adds tokens to the workspace's count for the current UTC day. */
  addWorkspaceTokens(teamId: string, tokens: number): Promise<void>;
  /**
   * Records that part `index` of the answer to `postTs` is on Slack as message `messageTs`, so a
   * re-run after a crash posts only the parts that are missing. Recording a part twice is a no-op.
   */
  recordPostedPart(thread: ThreadRef, postTs: string, index: number, messageTs: string): Promise<void>;
  /**
   * Stores one user's rating of an answer, one conditional write: it replaces that user's earlier
   * rating of the answer unless a later click is already stored. False when a later click won.
   */
  recordFeedback(feedback: AnswerFeedback): Promise<boolean>;
  /**
   * Lists the thread in the user's index of design threads (the App Home tab) and gives it a title
   * unless it has one. The index entry lives as long as the thread's record did at that moment.
   */
  recordUserThread(thread: ThreadRef, userId: string, entry: UserThreadEntry): Promise<void>;
  /** The user's live design threads, newest first, at most `limit`, with their titles and costs. */
  recentUserThreads(teamId: string, userId: string, limit: number): Promise<UserThreadSummary[]>;
}

export interface ChatMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
  /**
   * A note from the bot sent after `content` as a separate part (that history was left out), so
   * `content` itself stays byte-for-byte the same from turn to turn, as prompt caching needs.
   */
  readonly notice?: string;
  /**
   * False for a message no later request repeats byte for byte (a draft answer that the stored turn
   * will extend): no cache breakpoint goes on it, since a cache entry ending there would never be read.
   */
  readonly cacheable?: boolean;
}

export type ModelUsage = TokenUsage;

export interface ModelAnswer {
  readonly text: string;
  readonly model: string;
  /** `end_turn`, `max_tokens`, … as the model reported it. */
  readonly stopReason: string | null;
  readonly usage: ModelUsage;
  /** Estimated from the model's list price; null when the model's price is unknown. */
  readonly costUsd: number | null;
  /** From the request to the first text, and to the end of the answer (the successful attempt). */
  readonly timing: { readonly firstTextMs: number | null; readonly totalMs: number };
}

export interface ModelRequest {
  readonly system: string;
  readonly messages: readonly ChatMessage[];
  /** Called with each piece of text as it streams in. */
  readonly onText?: (delta: string) => void;
  /** Called when a stream that broke mid-way is run again: the text seen so far is void, deltas start over. */
  readonly onRestart?: () => void;
  readonly signal?: AbortSignal;
}

/** The language model that writes the answer. Throws `ModelError` on failure. */
export interface ArchitectModel {
  streamAnswer(request: ModelRequest): Promise<ModelAnswer>;
  /** The model's own count of the input tokens of these messages (no system prompt). */
  countTokens(messages: readonly ChatMessage[]): Promise<number>;
}

/** Whether a request is within an allowance, and when the allowance starts afresh. */
export interface AllowanceDecision {
  readonly allowed: boolean;
  readonly resetsAt: Date;
}

/** What a thread's answers cost so far. */
export interface ThreadUsage extends TokenUsage {
  readonly answers: number;
  /** Estimated cost in millionths of a US dollar (whole numbers add up exactly in DynamoDB). */
  readonly costMicroUsd: number;
}

/** What has been posted for a claimed request. */
export interface RequestClaim {
  /** The placeholder the answer will replace. */
  readonly placeholderTs?: string;
  /** The request was dealt with without an answer (usage, forget, a limit): nothing is left to do. */
  readonly settled?: boolean;
  /** Messages the answer was shown in while the model wrote it, in order: a re-run finishes these. */
  readonly streamedTs?: readonly string[];
}

/** Hands a request to whatever answers it: an in-process queue locally, an SQS FIFO queue on AWS. */
export interface JobDispatcher {
  dispatch(request: IncomingRequest): Promise<void>;
}

/** Structured logging. Fields are ids and figures; user text is only ever logged at debug level. */
export interface Log {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Why an answer failed, in the few words metrics and alarms need. */
export type FailureReason = ModelFailureKind | 'store' | 'slack' | 'unexpected';

/** Figures about answers for dashboards and alarms (CloudWatch metrics on Lambda). */
export interface AnswerTelemetry {
  /** The model wrote an answer (counted once, even when posting it needs another attempt). */
  modelAnswered(figures: {
    readonly usage: ModelUsage;
    readonly timing: ModelAnswer['timing'];
    readonly costUsd: number | null;
  }): void;
  /** An answer is fully on Slack. */
  answered(figures: { readonly parts: number; readonly truncated: boolean }): void;
  failed(reason: FailureReason, willRetry: boolean): void;
}

/** Counts feedback on answers (CloudWatch metrics on Lambda; locally the log line is the count). */
export interface FeedbackTelemetry {
  feedbackGiven(rating: FeedbackRating): void;
}

/** Telemetry that records nothing (local runs log the same figures). */
export const noTelemetry: AnswerTelemetry = {
  modelAnswered: () => undefined,
  answered: () => undefined,
  failed: () => undefined,
};

/** Feedback telemetry that records nothing (local runs log each click). */
export const noFeedbackTelemetry: FeedbackTelemetry = { feedbackGiven: () => undefined };
