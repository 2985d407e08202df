import type { IncomingRequest } from '../core/conversation.js';

/** What the answer thread starts with. */
export interface AnswerThreadData {
  /** The bot's parsed settings (structured-cloned: plain data). */
  readonly config: unknown;
  readonly dynamodbEndpoint: string | undefined;
}

/** Main thread → answer thread. */
export type ToAnswerThread =
  | {
      readonly type: 'answer';
      readonly id: number;
      readonly request: IncomingRequest;
      /** The same for every thread the request is sent to (see `AnswerThread`). */
      readonly deliveryId: string;
    }
  | { readonly type: 'close' };

/** Answer thread → main thread. */
export type FromAnswerThread =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly message: string }
  /** Log lines, in order, a turn of the thread's event loop at a time. */
  | { readonly type: 'log'; readonly lines: readonly string[] }
  | { readonly type: 'done'; readonly id: number }
  /** After `close`: the thread's clients are released; it can be terminated. */
  | { readonly type: 'closed' };
