import type { webApi } from '@slack/bolt';
import { type AnswerJob, type IncomingRequest, requestKeyOf, type ThreadRef } from '../core/conversation.js';
import { ArchitectError } from '../core/errors.js';
import {
  type AnswerAttempt,
  type AnswerInThreadDependencies,
  type AnswerOutcome,
  answerInThread,
  failureReason,
  isTransient,
} from './answer-in-thread.js';
import { tellUser } from './hand-off-request.js';
import { requestLogFields } from './job-log-fields.js';
import { slackErrorCode } from './post-thread-messages.js';
import { respondPrivately } from './respond-privately.js';
import {
  COULD_NOT_START_TEXT,
  failureText,
  NOT_IN_CHANNEL_TEXT,
  placeholderText,
  requestRootText,
  usageText,
} from './user-messages.js';

type WebClient = webApi.WebClient;

/** Slack errors that mean the bot may not post in this conversation. */
const CANNOT_POST_HERE = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

/** The bot may not post where the command was typed; retrying will not help. */
class CannotPostHereError extends ArchitectError {}

/**
 * Answers a handed-off request: the worker's whole job, locally and on Lambda. `deliveryId`
 * identifies this delivery of the request (the SQS message id): a queue's redelivery of it carries on
 * where it stopped, while a second delivery of the same Slack post is recognised and dropped.
 */
export async function answerRequest(
  request: IncomingRequest,
  deliveryId: string,
  deps: AnswerInThreadDependencies,
  attempt: AnswerAttempt = { finalAttempt: true },
): Promise<AnswerOutcome | 'duplicate'> {
  let job: AnswerJob | 'duplicate' | 'usage';
  try {
    job = await takeOnRequest(request, deliveryId, deps);
  } catch (error) {
    return couldNotStart(request, error, deps, attempt);
  }
  if (job === 'duplicate') {
    deps.log.info('duplicate delivery ignored', requestLogFields(request));
    return 'duplicate';
  }
  if (job === 'usage') return 'answered';
  return answerInThread(job, deps, attempt);
}

/**
 * Claims the request, posts what the user sees first (a slash command's root message, then the
 * placeholder) and records each, so a re-run posts neither again.
 */
async function takeOnRequest(
  request: IncomingRequest,
  deliveryId: string,
  deps: AnswerInThreadDependencies,
): Promise<AnswerJob | 'duplicate' | 'usage'> {
  const { store, client } = deps;
  const key = requestKeyOf(request);
  const claim = await store.claimRequest(key, deliveryId);
  if (!claim) return 'duplicate';

  let thread: ThreadRef;
  let postTs: string;
  if (request.source.type === 'command') {
    const rootTs = claim.rootTs ?? (await postRoot(client, request));
    if (!claim.rootTs) await store.recordRequestProgress(key, { rootTs });
    thread = { teamId: request.teamId, channelId: request.channelId, threadTs: rootTs };
    postTs = rootTs;
  } else {
    thread = { teamId: request.teamId, channelId: request.channelId, threadTs: request.source.threadTs };
    postTs = request.source.postTs;
  }

  if (request.text === '') {
    if (!claim.placeholderTs) {
      const usage = await postInThread(client, thread, usageText(), 'section');
      await store.recordRequestProgress(key, { placeholderTs: usage });
    }
    return 'usage';
  }
  if (request.kind === 'request') await store.claimThread(thread, request.userId);
  const inExistingThread =
    request.source.type === 'post' && request.source.threadTs !== request.source.postTs;
  const placeholderTs =
    claim.placeholderTs ??
    (await postInThread(client, thread, placeholderText(inExistingThread ? 'follow-up' : 'request')));
  if (!claim.placeholderTs) await store.recordRequestProgress(key, { placeholderTs });
  return { thread, postTs, userId: request.userId, text: request.text, placeholderTs };
}

async function postRoot(client: WebClient, request: IncomingRequest): Promise<string> {
  const text = requestRootText(request.userId, request.text);
  try {
    const root = await client.chat.postMessage({
      channel: request.channelId,
      text,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } }],
      unfurl_links: false,
    });
    if (!root.ts) throw new Error('chat.postMessage returned no ts');
    return root.ts;
  } catch (error) {
    const code = slackErrorCode(error);
    if (code && CANNOT_POST_HERE.has(code)) throw new CannotPostHereError(code, { cause: error });
    throw error;
  }
}

async function postInThread(
  client: WebClient,
  thread: ThreadRef,
  text: string,
  style: 'context' | 'section' = 'context',
): Promise<string> {
  const result = await client.chat.postMessage({
    channel: thread.channelId,
    thread_ts: thread.threadTs,
    text,
    blocks:
      style === 'context'
        ? [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }]
        : [{ type: 'section', text: { type: 'mrkdwn', text } }],
  });
  if (!result.ts) throw new Error('chat.postMessage returned no ts');
  return result.ts;
}

/** Taking the request on failed (the store or Slack is down, or the bot may not post there). */
async function couldNotStart(
  request: IncomingRequest,
  error: unknown,
  deps: AnswerInThreadDependencies,
  attempt: AnswerAttempt,
): Promise<AnswerOutcome> {
  const cannotPostHere = error instanceof CannotPostHereError;
  const willRetry = !cannotPostHere && !attempt.finalAttempt && isTransient(error);
  deps.telemetry.failed(cannotPostHere ? 'slack' : failureReason(error), willRetry);
  const fields = { ...requestLogFields(request), stage: 'take-on', willRetry, error };
  if (willRetry) {
    deps.log.warn('request not taken on yet', fields);
    return 'retry';
  }
  deps.log.error('request not taken on', fields);
  const text = cannotPostHere
    ? NOT_IN_CHANNEL_TEXT
    : request.source.type === 'command'
      ? COULD_NOT_START_TEXT
      : failureText(error);
  try {
    if (cannotPostHere && request.source.type === 'command')
      await respondPrivately(request.source.responseUrl, text);
    else await tellUser(deps.client, request, text);
  } catch (notifyError) {
    deps.log.error('failure message not posted', { ...requestLogFields(request), error: notifyError });
  }
  return 'failed';
}
