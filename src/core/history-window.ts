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

/**
 * Builds the model's conversation from a thread's turns: consecutive turns of one role are merged
 * (a failed answer leaves two user turns in a row), and when the whole thread is over
 * `budgetTokens` the first request and the newest messages are kept and whole middle messages dropped.
 */
export function buildHistoryWindow(
  turns: readonly Turn[],
  budgetTokens: number,
  estimate: (text: string) => number = estimateTokens,
): HistoryWindow {
  const messages = mergeConsecutiveRoles(turns);
  const total = messages.reduce((sum, message) => sum + estimate(message.content), 0);
  if (total <= budgetTokens || messages.length <= 2) return { messages, omittedMessages: 0 };

  const [first, ...rest] = messages as [ChatMessage, ...ChatMessage[]];
  // Reserve room for the notice with the largest count it could show.
  let remaining = budgetTokens - estimate(first.content) - estimate(omissionNotice(messages.length));
  // Walk back from the newest message (the request being answered, always kept) while it fits.
  let keepFrom = rest.length - 1;
  remaining -= estimate(rest[keepFrom]?.content ?? '');
  while (keepFrom > 0 && estimate(rest[keepFrom - 1]?.content ?? '') <= remaining) {
    keepFrom -= 1;
    remaining -= estimate(rest[keepFrom]?.content ?? '');
  }
  // Roles must alternate: after the first (user) message the kept part starts with an answer.
  while (rest[keepFrom]?.role === 'user' && keepFrom < rest.length - 1) keepFrom += 1;
  if (keepFrom === 0) return { messages, omittedMessages: 0 };

  const kept = rest.slice(keepFrom);
  const head = `${first.content}\n\n${omissionNotice(keepFrom)}`;
  const [newest, ...others] = kept as [ChatMessage, ...ChatMessage[]];
  const window =
    newest.role === 'user'
      ? [{ role: 'user' as const, content: joinTexts(head, newest.content) }, ...others]
      : [{ role: 'user' as const, content: head }, ...kept];
  return { messages: window, omittedMessages: keepFrom };
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
