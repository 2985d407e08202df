import type { DesignSectionHeading } from './architect-prompt.js';
import type { AnswerJob, Turn } from './conversation.js';
import { missingDeliverables, missingSectionsInstruction } from './design-completeness.js';
import { buildHistoryWindow, estimateTokens, type HistoryWindow } from './history-window.js';
import type {
  ArchitectModel,
  ChatMessage,
  Log,
  ModelAnswer,
  ModelRequest,
  ModelUsage,
  ThreadStore,
} from './ports.js';

export interface ComposeAnswerDependencies {
  readonly store: ThreadStore;
  readonly model: ArchitectModel;
  readonly systemPrompt: string;
  readonly historyTokenBudget: number;
  /** Share of the budget history is cut back to when it overflows (see `buildHistoryWindow`). */
  readonly historyTrimToFraction?: number;
  /** Where a failed request for missing sections is reported, as a warning. */
  readonly log?: Log;
}

/** The model's second call for the deliverables a full design left out, appended to the answer. */
export interface AnswerSupplement {
  /** The sections asked for, by their headings. */
  readonly sections: readonly DesignSectionHeading[];
  /** This call's own usage and estimated cost (also included in the answer's). */
  readonly usage: ModelUsage;
  readonly costUsd: number | null;
}

/** The answer to one job, in Markdown, with what it cost. */
export interface ComposedAnswer {
  readonly markdown: string;
  readonly model: string;
  /** True when the model stopped at its output limit. */
  readonly truncated: boolean;
  /** Null when the answer was already stored by an earlier attempt and is reused. Includes the supplement's. */
  readonly usage: ModelUsage | null;
  /** Estimated cost of this answer's model calls; null for a reused answer or an unknown price. */
  readonly costUsd: number | null;
  /** Model latency to the first text and to the end (of the supplement too); null for a reused answer. */
  readonly timing: ModelAnswer['timing'] | null;
  readonly omittedMessages: number;
  /** Slack messages that already show parts of this answer (a re-run after a crash). */
  readonly postedTs: readonly string[];
  /** Set when the design was completed by a second call for its missing sections. */
  readonly supplement: AnswerSupplement | null;
}

/**
 * The use case: store the request, read the thread, ask the model with the thread as context,
 * store the answer. Running it again for the same post reuses the stored answer instead of paying
 * for a second one, so a retried job never produces two different answers. A full design that left
 * out some of its five deliverables is completed by one more call for just those (see `completeDesign`).
 * `onText` gets the answer's text as it streams, the supplement's included.
 */
export async function composeAnswer(
  job: AnswerJob,
  deps: ComposeAnswerDependencies,
  signal?: AbortSignal,
  /** Receives the answer's text as the model writes it (a live answer in the thread). */
  live?: Pick<ModelRequest, 'onText' | 'onRestart'>,
): Promise<ComposedAnswer> {
  const { store, model } = deps;
  await store.appendTurn(job.thread, {
    role: 'user',
    postTs: job.postTs,
    text: job.text,
    userId: job.userId,
  });

  // The thread as of this post: later posts are answered by their own jobs, in order.
  const turns = (await store.listTurns(job.thread)).filter((turn) => turn.postTs <= job.postTs);
  const earlier = turns.find((turn) => turn.role === 'assistant' && turn.postTs === job.postTs);
  if (earlier) {
    return {
      markdown: earlier.text,
      model: 'stored',
      truncated: earlier.truncated ?? false,
      usage: null,
      costUsd: null,
      timing: null,
      omittedMessages: 0,
      postedTs: earlier.postedTs ?? [],
      supplement: null,
    };
  }

  const window = await historyWithinBudget(turns, deps);
  const first = await model.streamAnswer({
    system: deps.systemPrompt,
    messages: window.messages,
    ...(signal ? { signal } : {}),
    ...live,
  });
  // The first request of the thread: no stored turn comes before this post.
  const firstOfThread = turns.every((turn) => turn.postTs >= job.postTs);
  // The supplement's text follows the live answer's, but a restart of its stream must not clear the
  // first answer already shown: only `onText` goes along.
  const completion = await completeDesign(job, firstOfThread, first, window, deps, signal, live?.onText);
  const answer = completion ? withSupplement(first, completion.answer) : first;
  const truncated = answer.stopReason === 'max_tokens';
  const { usage } = answer;
  await Promise.all([
    store.addThreadUsage(job.thread, {
      ...usage,
      answers: 1,
      costMicroUsd: Math.round((answer.costUsd ?? 0) * 1_000_000),
    }),
    // Every input token counts against the workspace's daily budget, cached or not, and the output.
    store.addWorkspaceTokens(
      job.thread.teamId,
      usage.inputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens + usage.outputTokens,
    ),
  ]);
  await store.appendTurn(job.thread, {
    role: 'assistant',
    postTs: job.postTs,
    text: answer.text,
    ...(truncated ? { truncated } : {}),
  });
  return {
    markdown: answer.text,
    model: answer.model,
    truncated,
    usage: answer.usage,
    costUsd: answer.costUsd,
    timing: answer.timing,
    omittedMessages: window.omittedMessages,
    postedTs: [],
    supplement: completion
      ? { sections: completion.sections, usage: completion.answer.usage, costUsd: completion.answer.costUsd }
      : null,
  };
}

/**
 * When a full design request got a design that left deliverables out, asks the model once for just
 * those: the same system prompt and history (a cached prefix), then the first answer and a short
 * instruction. Not for a cut answer (`max_tokens`), nor when the call would go over the history budget.
 * Null when nothing was asked, or when the call failed (logged; the first answer stands).
 */
async function completeDesign(
  job: AnswerJob,
  firstOfThread: boolean,
  first: ModelAnswer,
  window: HistoryWindow,
  deps: ComposeAnswerDependencies,
  signal: AbortSignal | undefined,
  onText: ((delta: string) => void) | undefined,
): Promise<{ sections: readonly DesignSectionHeading[]; answer: ModelAnswer } | null> {
  // A cut answer would be cut again; an aborted job (a Lambda worker near its end) has no time for it.
  if (first.stopReason === 'max_tokens' || signal?.aborted) return null;
  const sections = missingDeliverables(
    { kind: firstOfThread ? 'request' : 'follow-up', text: job.text },
    first.text,
  );
  if (sections.length === 0) return null;
  const ids = {
    team: job.thread.teamId,
    channel: job.thread.channelId,
    thread: job.thread.threadTs,
    post: job.postTs,
  };
  const messages: ChatMessage[] = [
    ...window.messages,
    // The next turn stores the combined answer, so a cache entry ending at this draft would never be read.
    { role: 'assistant', content: first.text, cacheable: false },
    { role: 'user', content: missingSectionsInstruction(sections) },
  ];
  if (tokensOf(messages) > deps.historyTokenBudget) {
    deps.log?.info('missing sections not asked for', { ...ids, sections, reason: 'history budget' });
    return null;
  }
  let separated = false;
  try {
    const answer = await deps.model.streamAnswer({
      system: deps.systemPrompt,
      messages,
      ...(signal ? { signal } : {}),
      ...(onText
        ? {
            onText: (delta: string) => {
              if (!separated) onText('\n\n');
              separated = true;
              onText(delta);
            },
          }
        : {}),
    });
    return { sections, answer };
  } catch (error) {
    deps.log?.warn('missing sections not added', { ...ids, sections, error });
    return null;
  }
}

/** The first answer with the supplement after a blank line; usage, cost and time of both calls. */
function withSupplement(first: ModelAnswer, more: ModelAnswer): ModelAnswer {
  const usage: ModelUsage = {
    inputTokens: first.usage.inputTokens + more.usage.inputTokens,
    outputTokens: first.usage.outputTokens + more.usage.outputTokens,
    cacheCreationInputTokens: first.usage.cacheCreationInputTokens + more.usage.cacheCreationInputTokens,
    cacheReadInputTokens: first.usage.cacheReadInputTokens + more.usage.cacheReadInputTokens,
  };
  return {
    text: more.text === '' ? first.text : `${first.text}\n\n${more.text}`,
    model: first.model,
    stopReason: more.stopReason,
    usage,
    costUsd: first.costUsd === null || more.costUsd === null ? null : first.costUsd + more.costUsd,
    timing: { firstTextMs: first.timing.firstTextMs, totalMs: first.timing.totalMs + more.timing.totalMs },
  };
}

function tokensOf(messages: readonly ChatMessage[]): number {
  return messages.reduce(
    (sum, message) => sum + estimateTokens(message.content) + estimateTokens(message.notice ?? ''),
    0,
  );
}

/** Above this share of the budget by estimate, the model's own count decides. */
const COUNT_WHEN_ESTIMATE_REACHES = 0.8;

/**
 * The history window for this turn. Four characters a token is close for English prose but low for
 * dense code and some languages, so near the budget the model counts the window itself; when its
 * count is over, the estimate is scaled by the measured ratio (in 5% steps, so the cut stays
 * stable from turn to turn) and the window is cut again. A failed count keeps the estimate.
 */
async function historyWithinBudget(
  turns: readonly Turn[],
  deps: ComposeAnswerDependencies,
): Promise<HistoryWindow> {
  const budget = deps.historyTokenBudget;
  const trim = deps.historyTrimToFraction ? { trimToFraction: deps.historyTrimToFraction } : {};
  const window = buildHistoryWindow(turns, budget, trim);
  const estimated = tokensOf(window.messages);
  if (estimated < COUNT_WHEN_ESTIMATE_REACHES * budget) return window;
  const counted = await deps.model.countTokens(window.messages).catch(() => undefined);
  if (counted === undefined || counted <= budget) return window;
  const scale = Math.ceil((counted / estimated) * 20) / 20;
  return buildHistoryWindow(turns, budget, {
    ...trim,
    estimate: (text) => Math.ceil(estimateTokens(text) * scale),
  });
}
