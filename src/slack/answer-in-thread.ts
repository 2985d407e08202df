import type { webApi } from '@slack/bolt';
import {
  type ComposeAnswerDependencies,
  type ComposedAnswer,
  composeAnswer,
} from '../core/compose-answer.js';
import type { AnswerJob } from '../core/conversation.js';
import { ModelError, StoreError } from '../core/errors.js';
import type { AnswerTelemetry, FailureReason, Log } from '../core/ports.js';
import { answerFooterBlocks } from './answer-footer.js';
import { canvasButtonBlock } from './canvas-button.js';
import { jobLogFields } from './job-log-fields.js';
import { postThreadMessages, replaceMessage, ThreadPostError } from './post-thread-messages.js';
import { renderAnswer, type SlackMessagePayload } from './render/render-answer.js';
import { retryButtonBlock } from './retry-button.js';
import { withoutBroadcasts } from './slack-text.js';
import { failureText, INCOMPLETE_POST_TEXT, RETRYING_TEXT, TRUNCATED_NOTE } from './user-messages.js';

type WebClient = webApi.WebClient;

export interface AnswerInThreadDependencies extends ComposeAnswerDependencies {
  readonly client: WebClient;
  readonly log: Log;
  readonly telemetry: AnswerTelemetry;
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
  let answer: ComposedAnswer;
  try {
    answer = await composeAnswer(job, deps, attempt.signal);
  } catch (error) {
    return failed(job, deps, attempt, { stage: 'compose', error, notice: failureText(error) });
  }

  if (answer.usage && answer.timing) {
    deps.telemetry.modelAnswered({ usage: answer.usage, timing: answer.timing, costUsd: answer.costUsd });
  }
  if (answer.supplement) {
    const { sections, usage, costUsd } = answer.supplement;
    deps.log.info('answer completed with missing sections', {
      ...fields,
      sections,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cacheReadInputTokens: usage.cacheReadInputTokens,
      cacheCreationInputTokens: usage.cacheCreationInputTokens,
      estimatedCostUsd: costUsd === null ? undefined : Number(costUsd.toFixed(6)),
    });
  }
  const shown = answer.truncated ? `${answer.markdown}\n\n${TRUNCATED_NOTE}` : answer.markdown;
  const messages = renderAnswer(withoutBroadcasts(job.preface ? `${job.preface}\n\n${shown}` : shown), {
    diagramRenderUrl: deps.diagramRenderUrl,
    footerBlocks: answerFooterBlocks({ job, model: answer.model, durationMs: Date.now() - started }, [
      canvasButtonBlock(job.thread),
    ]),
  });
  if (answer.postedTs.length >= messages.length) {
    deps.log.info('answer already posted', { ...fields, messages: messages.length });
    return 'answered';
  }
  try {
    await postThreadMessages(deps.client, job.thread, messages, job.placeholderTs, {
      alreadyPosted: answer.postedTs.length,
      onPosted: (index, ts) => deps.store.recordPostedPart(job.thread, job.postTs, index, ts),
    });
  } catch (error) {
    const postedBefore =
      answer.postedTs.length + (error instanceof ThreadPostError ? error.postedTs.length : 0);
    // Once part of the answer is up, the placeholder is that part: the notice goes below it.
    return failed({ ...job, ...(postedBefore > 0 ? { placeholderTs: undefined } : {}) }, deps, attempt, {
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
    inputTokens: answer.usage?.inputTokens,
    outputTokens: answer.usage?.outputTokens,
    cacheReadInputTokens: answer.usage?.cacheReadInputTokens,
    cacheCreationInputTokens: answer.usage?.cacheCreationInputTokens,
    estimatedCostUsd: answer.costUsd === null ? undefined : Number(answer.costUsd.toFixed(6)),
    firstTextMs: answer.timing?.firstTextMs,
    modelMs: answer.timing?.totalMs,
    durationMs: Date.now() - started,
  });
  return 'answered';
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
