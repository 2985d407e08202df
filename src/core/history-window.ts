import type { Turn } from './conversation.js';
import type { ChatMessage } from './ports.js';

/** The messages sent to the model for one request, and how many stored turns were left out. */
export interface HistoryWindow {
  readonly messages: ChatMessage[];
  readonly omittedMessages: number;
}

/**
 * A rough token count (about four characters a token for English and code). Good enough to keep
 * history under a budget with a wide margin; the model's own count is not needed for that.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Text added to the first request when middle turns were dropped, so the model knows. */
export function omissionNotice(omittedMessages: number): string {
  return `[Note from the Architect bot: ${omittedMessages} earlier message(s) of this thread were left out to stay within the context budget. The first request and the most recent messages are kept.]`;
}

export interface HistoryWindowOptions {
  /** Counts the tokens of a text; a rough estimate by default. */
  readonly estimate?: (text: string) => number;
  /**
   * When the thread goes over the budget, middle messages are dropped until it is back under this
   * share of the budget. Dropping in large steps keeps the cut, and so the cached prefix, the same
   * for several turns; 1 drops just enough each time (and misses the cache on every turn).
   */
  readonly trimToFraction?: number;
}

/**
 * Builds the model's conversation from a thread's turns: consecutive turns of one role are merged
 * (a failed answer leaves two user turns in a row), and when the thread is over `budgetTokens` the
 * first request and the newest messages are kept and whole middle messages dropped, with a notice.
 *
 * The cut is found by walking the thread from the start, so it depends only on the turns: the
 * next turn of the same thread gets the same cut (and the same bytes, which prompt caching needs)
 * until the thread outgrows the budget again.
 */
export function buildHistoryWindow(
  turns: readonly Turn[],
  budgetTokens: number,
  options: HistoryWindowOptions = {},
): HistoryWindow {
  const estimate = options.estimate ?? estimateTokens;
  const trimTo = budgetTokens * (options.trimToFraction ?? 0.6);
  const messages = mergeConsecutiveRoles(turns);
  const [first, ...rest] = messages;
  if (!first || rest.length < 2) return { messages, omittedMessages: 0 };

  // The first request and a notice (with the largest count it could show) are always sent.
  const fixed = estimate(first.content) + estimate(omissionNotice(messages.length));
  let cut = 0;
  let kept = 0;
  for (const [index, message] of rest.entries()) {
    kept += estimate(message.content);
    if (fixed + kept <= budgetTokens) continue;
    while (cut < index && fixed + kept > trimTo) {
      kept -= estimate(rest[cut]?.content ?? '');
      cut += 1;
    }
  }
  if (cut === 0) return { messages, omittedMessages: 0 };
  // Roles must alternate: after the first (user) message the kept part starts with an answer.
  while (cut < rest.length - 1 && rest[cut]?.role === 'user') cut += 1;

  const head: ChatMessage = { role: 'user', content: first.content, notice: omissionNotice(cut) };
  const [newest, ...others] = rest.slice(cut) as [ChatMessage, ...ChatMessage[]];
  // Only the request being answered is left: it joins the first request.
  const window =
    newest.role === 'user'
      ? [{ ...head, content: joinTexts(head.content, newest.content) }, ...others]
      : [head, newest, ...others];
  return { messages: window, omittedMessages: cut };
}

function mergeConsecutiveRoles(turns: readonly Turn[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const turn of turns) {
    if (turn.text.trim() === '') continue;
    const last = messages.at(-1);
    if (last && last.role === turn.role) {
      messages[messages.length - 1] = { role: last.role, content: joinTexts(last.content, turn.text) };
    } else if (messages.length > 0 || turn.role === 'user') {
      messages.push({ role: turn.role, content: turn.text });
    }
  }
  return messages;
}

function joinTexts(earlier: string, later: string): string {
  return `${earlier}\n\n${later}`;
}
