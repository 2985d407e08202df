import type { webApi } from '@slack/bolt';
import {
  type ComposeAnswerDependencies,
  type ComposedAnswer,
  composeAnswer,
} from '../core/compose-answer.js';
import type { AnswerJob } from '../core/conversation.js';
import type { Log } from '../core/ports.js';
import { jobLogFields } from './job-log-fields.js';
import { postThreadMessages, ThreadPostError } from './post-thread-messages.js';
import { renderAnswer, type SlackMessagePayload } from './render/render-answer.js';
import { failureText, INCOMPLETE_POST_TEXT, TRUNCATED_NOTE } from './user-messages.js';

type WebClient = webApi.WebClient;

export interface AnswerInThreadDependencies extends ComposeAnswerDependencies {
  readonly client: WebClient;
  readonly log: Log;
}

/**
 * Answers one job in its Slack thread: compose the answer, render it, post it over the
 * placeholder. Any failure ends in a short friendly message in the thread, never a silent one.
 */
export async function answerInThread(job: AnswerJob, deps: AnswerInThreadDependencies): Promise<void> {
  const fields = jobLogFields(job);
  const started = Date.now();
  let answer: ComposedAnswer;
  try {
    answer = await composeAnswer(job, deps);
  } catch (error) {
    deps.log.error('answer failed', { ...fields, stage: 'compose', error });
    await postFailure(job, failureText(error), deps);
    return;
  }

  const messages = renderAnswer(
    answer.truncated ? `${answer.markdown}\n\n${TRUNCATED_NOTE}` : answer.markdown,
  );
  try {
    await postThreadMessages(deps.client, job.thread, messages, job.placeholderTs);
  } catch (error) {
    const postedCount = error instanceof ThreadPostError ? error.postedTs.length : 0;
    deps.log.error('answer failed', { ...fields, stage: 'post', postedMessages: postedCount, error });
    // Once part of the answer is up, the placeholder is that part: the notice goes below it.
    const notice = postedCount > 0 ? INCOMPLETE_POST_TEXT : failureText(error);
    await postFailure(
      { ...job, placeholderTs: postedCount > 0 ? undefined : job.placeholderTs },
      notice,
      deps,
    );
    return;
  }
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
    durationMs: Date.now() - started,
  });
}

/** Puts the failure text where the user is looking: over the placeholder, else as a new reply. */
async function postFailure(job: AnswerJob, text: string, deps: AnswerInThreadDependencies): Promise<void> {
  const message: SlackMessagePayload = {
    text,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
  try {
    await postThreadMessages(deps.client, job.thread, [message], job.placeholderTs);
  } catch (error) {
    deps.log.error('failure message not posted', { ...jobLogFields(job), error });
  }
}
