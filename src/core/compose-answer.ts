import type { AnswerJob, Turn } from './conversation.js';
import { buildHistoryWindow, estimateTokens, type HistoryWindow } from './history-window.js';
import type { ArchitectModel, ModelAnswer, ModelRequest, ModelUsage, ThreadStore } from './ports.js';

export interface ComposeAnswerDependencies {
  readonly store: ThreadStore;
  readonly model: ArchitectModel;
  readonly systemPrompt: string;
  readonly historyTokenBudget: number;
  /** Share of the budget history is cut back to when it overflows (see `buildHistoryWindow`). */
  readonly historyTrimToFraction?: number;
}

/** The answer to one job, in Markdown, with what it cost. */
export interface ComposedAnswer {
  readonly markdown: string;
  readonly model: string;
  /** True when the model stopped at its output limit. */
  readonly truncated: boolean;
  /** Null when the answer was already stored by an earlier attempt and is reused. */
  readonly usage: ModelUsage | null;
  /** Estimated cost of this answer's model call; null for a reused answer or an unknown price. */
  readonly costUsd: number | null;
  /** Model latency to the first text and to the end; null for a reused answer. */
  readonly timing: ModelAnswer['timing'] | null;
  readonly omittedMessages: number;
  /** Slack messages that already show parts of this answer (a re-run after a crash). */
  readonly postedTs: readonly string[];
}

/**
 * The use case: store the request, read the thread, ask the model with the thread as context,
 * store the answer. Running it again for the same post reuses the stored answer instead of paying
 * for a second one, so a retried job never produces two different answers.
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
    };
  }

  const window = await historyWithinBudget(turns, deps);
  const answer = await model.streamAnswer({
    system: deps.systemPrompt,
    messages: window.messages,
    ...(signal ? { signal } : {}),
    ...live,
  });
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
  };
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
  const estimated = window.messages.reduce(
    (sum, message) => sum + estimateTokens(message.content) + estimateTokens(message.notice ?? ''),
    0,
  );
  if (estimated < COUNT_WHEN_ESTIMATE_REACHES * budget) return window;
  const counted = await deps.model.countTokens(window.messages).catch(() => undefined);
  if (counted === undefined || counted <= budget) return window;
  const scale = Math.ceil((counted / estimated) * 20) / 20;
  return buildHistoryWindow(turns, budget, {
    ...trim,
    estimate: (text) => Math.ceil(estimateTokens(text) * scale),
  });
}
