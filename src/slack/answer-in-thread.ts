import type { webApi } from '@slack/bolt';
import {
  type ComposeAnswerDependencies,
  type ComposedAnswer,
  composeAnswer,
} from '../core/compose-answer.js';
import type { AnswerJob } from '../core/conversation.js';
import { ModelError, StoreError } from '../core/errors.js';
import { estimateTokens } from '../core/history-window.js';
import type { AnswerTelemetry, FailureReason, Log, ModelUsage } from '../core/ports.js';
import { ANSWER_FOOTER_RESERVE_CHARS, answerFooterBlocks } from './answer-footer.js';
import { canvasButtonBlock } from './canvas-button.js';
import { jobLogFields } from './job-log-fields.js';
import { LiveAnswer } from './live-answer.js';
import { postThreadMessages, replaceMessage, ThreadPostError } from './post-thread-messages.js';
import { renderAnswer, type SlackMessagePayload } from './render/render-answer.js';
import { retryButtonBlock } from './retry-button.js';
import { withoutBroadcasts } from './slack-text.js';
import {
  CUT_SHORT_NOTE,
  failureText,
  INCOMPLETE_POST_TEXT,
  RETRYING_TEXT,
  TRUNCATED_NOTE,
} from './user-messages.js';

type WebClient = webApi.WebClient;

export interface AnswerInThreadDependencies extends ComposeAnswerDependencies {
  readonly client: WebClient;
  readonly log: Log;
  readonly telemetry: AnswerTelemetry;
  /** The live answer's client for writes while the model writes (`createLiveSlackWebClient`); default `client`. */
  readonly liveClient?: WebClient;
  /** How the answer shows while it is written (the `LIVE_ANSWER` setting). Default `off`. */
  readonly liveAnswer?: 'stream' | 'update' | 'off';
  /** `DIAGRAM_RENDER_URL`: where mermaid diagrams are drawn as images; unset, they get an editor link. */
  readonly diagramRenderUrl?: string | undefined;
}

export interface AnswerAttempt {
  /**
   * False when a queue will run the job again after a transient failure: the failure is then
   * reported as `retry` and the user sees a "retrying" note instead of the failure message.
   */
  readonly finalAttempt: boolean;
  /** Aborts the model call (a Lambda worker near its timeout). */
  readonly signal?: AbortSignal;
}

/** `retry`: a transient failure on a non-final attempt; run the job again later. */
export type AnswerOutcome = 'answered' | 'failed' | 'retry';

/**
 * Answers one job in its Slack thread: compose the answer, render it, post it over the
 * placeholder. Safe to run again for the same job: the stored answer is reused and parts already
 * on Slack are not posted twice. A failure on the final attempt always ends in a short, friendly
 * message in the thread, never a silent one.
 */
export async function answerInThread(
  job: AnswerJob,
  deps: AnswerInThreadDependencies,
  attempt: AnswerAttempt = { finalAttempt: true },
): Promise<AnswerOutcome> {
  const fields = jobLogFields(job);
  const started = Date.now();
  const live = liveAnswerFor(job, deps);
  live?.begin();
  let answer: ComposedAnswer;
  let cutShort = false;
  try {
    answer = await composeAnswer(job, deps, attempt.signal, live);
  } catch (error) {
    const partial = live && attempt.signal?.aborted ? live.text.trim() : '';
    const kept = partial === '' ? undefined : await keepCutAnswer(job, deps, partial);
    if (!kept) {
      // What was shown of the answer is finished, not left streaming: its first message takes the notice.
      const noticeTs = live ? await live.abandon() : job.placeholderTs;
      return failed({ ...job, placeholderTs: noticeTs }, deps, attempt, {
        stage: 'compose',
        error,
        notice: failureText(error),
      });
    }
    deps.log.warn('answer cut short: out of time', { ...fields, answerChars: partial.length, error });
    answer = kept;
    cutShort = true;
  }

  if (answer.usage && answer.timing) {
    deps.telemetry.modelAnswered({ usage: answer.usage, timing: answer.timing, costUsd: answer.costUsd });
  }
  if (answer.supplement) {
    const { sections, usage, costUsd } = answer.supplement;
    deps.log.info('answer completed with missing sections', {
      ...fields,
      sections,
      ...usageLogFields(usage, costUsd),
    });
  }
  const note = cutShort ? CUT_SHORT_NOTE : answer.truncated ? TRUNCATED_NOTE : undefined;
  const { markdown } = answer;
  const messages = renderAnswer(withoutBroadcasts(job.preface ? `${job.preface}\n\n${markdown}` : markdown), {
    diagramRenderUrl: deps.diagramRenderUrl,
    footerBlocks: answerFooterBlocks(
      { job, model: answer.model, durationMs: Date.now() - started, ...(note ? { note } : {}) },
      [canvasButtonBlock(job.thread)],
    ),
    // A re-run renders the stored answer under another foot (no model or time; the length-limit note where the
    // first showed the out-of-time one): it must be cut at the same places.
    footerReserveChars: ANSWER_FOOTER_RESERVE_CHARS,
  });
  if (answer.postedTs.length >= messages.length) {
    await live?.dismiss();
    deps.log.info('answer already posted', { ...fields, messages: messages.length });
    return 'answered';
  }
  const progress = {
    alreadyPosted: answer.postedTs.length,
    onPosted: (index: number, ts: string) => deps.store.recordPostedPart(job.thread, job.postTs, index, ts),
  };
  try {
    if (live) await live.finish(messages, progress);
    else await postThreadMessages(deps.client, job.thread, messages, job.placeholderTs, progress);
  } catch (error) {
    const postedBefore =
      answer.postedTs.length + (error instanceof ThreadPostError ? error.postedTs.length : 0);
    // Once part of the answer is up, the placeholder is that part: the notice goes below it. With
    // nothing up, it goes where the user is looking: the placeholder, or the first message shown live.
    const noticeTs = postedBefore > 0 ? undefined : live ? await live.abandon() : job.placeholderTs;
    return failed({ ...job, placeholderTs: noticeTs }, deps, attempt, {
      stage: 'post',
      error,
      notice: postedBefore > 0 ? INCOMPLETE_POST_TEXT : failureText(error),
    });
  }
  deps.telemetry.answered({ parts: messages.length, truncated: answer.truncated });
  deps.log.info('answer posted', {
    ...fields,
    model: answer.model,
    messages: messages.length,
    answerChars: answer.markdown.length,
    truncated: answer.truncated,
    omittedHistoryMessages: answer.omittedMessages,
    ...usageLogFields(answer.usage, answer.costUsd),
    firstTextMs: answer.timing?.firstTextMs,
    modelMs: answer.timing?.totalMs,
    durationMs: Date.now() - started,
  });
  return 'answered';
}

/** A model call's tokens and estimated cost as log fields (undefined ones are left out of the line). */
function usageLogFields(
  usage: ModelUsage | null,
  costUsd: number | null,
): Record<string, number | undefined> {
  return {
    inputTokens: usage?.inputTokens,
    outputTokens: usage?.outputTokens,
    cacheReadInputTokens: usage?.cacheReadInputTokens,
    cacheCreationInputTokens: usage?.cacheCreationInputTokens,
    estimatedCostUsd: costUsd === null ? undefined : Number(costUsd.toFixed(6)),
  };
}

/** The live answer for this job, unless live answers are off. */
function liveAnswerFor(job: AnswerJob, deps: AnswerInThreadDependencies): LiveAnswer | undefined {
  const mode = deps.liveAnswer ?? 'off';
  if (mode === 'off') return undefined;
  return new LiveAnswer({
    client: deps.client,
    ...(deps.liveClient ? { writeClient: deps.liveClient } : {}),
    thread: job.thread,
    recipientUserId: job.userId,
    ...(job.placeholderTs ? { placeholderTs: job.placeholderTs } : {}),
    ...(job.streamedTs ? { earlierTs: job.streamedTs } : {}),
    stream: mode === 'stream',
    log: deps.log,
    logFields: jobLogFields(job),
    // Recorded before more text goes in, so a re-run after a crash finishes these messages.
    onMessages: async (streamedTs) => {
      if (job.requestKey) await deps.store.recordRequestProgress(job.requestKey, { streamedTs });
    },
  });
}

/**
 * A worker out of time: what the model wrote so far is kept as the answer (marked truncated), so
 * the thread shows it in its final form and a follow-up sees it. Undefined when it cannot be stored.
 */
async function keepCutAnswer(
  job: AnswerJob,
  deps: AnswerInThreadDependencies,
  text: string,
): Promise<ComposedAnswer | undefined> {
  try {
    await deps.store.appendTurn(job.thread, { role: 'assistant', postTs: job.postTs, text, truncated: true });
  } catch (error) {
    deps.log.error('cut answer not stored', { ...jobLogFields(job), error });
    return undefined;
  }
  // The SDK reports no usage for an aborted stream: the output is estimated, so the text shown still
  // counts against the workspace's daily budget and the thread's totals (input is not known here).
  const outputTokens = estimateTokens(text);
  try {
    await Promise.all([
      deps.store.addWorkspaceTokens(job.thread.teamId, outputTokens),
      deps.store.addThreadUsage(job.thread, {
        inputTokens: 0,
        outputTokens,
        cacheCreationInputTokens: 0,
        cacheReadInputTokens: 0,
        answers: 1,
        costMicroUsd: 0,
      }),
    ]);
  } catch (error) {
    deps.log.warn('cut answer not counted', { ...jobLogFields(job), outputTokens, error });
  }
  return {
    markdown: text,
    model: 'cut',
    truncated: true,
    usage: null,
    costUsd: null,
    timing: null,
    omittedMessages: 0,
    postedTs: [],
    supplement: null,
  };
}

/** What metrics and alarms call a failure. */
export function failureReason(error: unknown): FailureReason {
  if (error instanceof ModelError) return error.kind;
  if (error instanceof StoreError) return 'store';
  if (error instanceof ThreadPostError) return error.failedAt === 'slack' ? 'slack' : 'store';
  return 'unexpected';
}

/** Everything is worth another try except a request the model refuses outright. */
export function isTransient(error: unknown): boolean {
  return !(error instanceof ModelError && error.kind === 'rejected');
}

async function failed(
  job: AnswerJob,
  deps: AnswerInThreadDependencies,
  attempt: AnswerAttempt,
  failure: { stage: 'compose' | 'post'; error: unknown; notice: string },
): Promise<AnswerOutcome> {
  const willRetry = !attempt.finalAttempt && isTransient(failure.error);
  const reason = failureReason(failure.error);
  deps.telemetry.failed(reason, willRetry);
  const fields = { ...jobLogFields(job), stage: failure.stage, reason, willRetry, error: failure.error };
  if (willRetry) {
    deps.log.warn('answer attempt failed', fields);
    if (job.placeholderTs) await showInPlaceholder(job, RETRYING_TEXT, deps);
    return 'retry';
  }
  deps.log.error('answer failed', fields);
  // A refused request will be refused again; anything else is worth a click on Retry.
  const retryable = !(failure.error instanceof ModelError && failure.error.kind === 'rejected');
  await postNotice(job, failure.notice, deps, retryable);
  return 'failed';
}

function noticeMessage(text: string, style: 'section' | 'context' = 'section'): SlackMessagePayload {
  return {
    text,
    blocks:
      style === 'section'
        ? [{ type: 'section', text: { type: 'mrkdwn', text } }]
        : [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }],
  };
}

/** Puts the failure text where the user is looking: over the placeholder, else as a new reply. */
async function postNotice(
  job: AnswerJob,
  text: string,
  deps: AnswerInThreadDependencies,
  withRetryButton: boolean,
): Promise<void> {
  const notice = noticeMessage(text);
  const message = withRetryButton ? { ...notice, blocks: [...notice.blocks, retryButtonBlock(job)] } : notice;
  try {
    await postThreadMessages(deps.client, job.thread, [message], job.placeholderTs);
  } catch (error) {
    deps.log.error('failure message not posted', { ...jobLogFields(job), error });
  }
}

async function showInPlaceholder(
  job: AnswerJob,
  text: string,
  deps: AnswerInThreadDependencies,
): Promise<void> {
  try {
    await replaceMessage(deps.client, job.thread, job.placeholderTs ?? '', noticeMessage(text, 'context'));
  } catch (error) {
    deps.log.warn('placeholder not updated', { ...jobLogFields(job), error });
  }
}
