import type { webApi } from '@slack/bolt';
import { type AnswerJob, type IncomingRequest, requestKeyOf, type ThreadRef } from '../core/conversation.js';
import { threadTitle } from '../core/feedback.js';
import type { RequestClaim } from '../core/ports.js';
import {
  type AnswerAttempt,
  type AnswerInThreadDependencies,
  type AnswerOutcome,
  answerInThread,
  failureReason,
  isTransient,
} from './answer-in-thread.js';
import { exportDesign } from './export-design.js';
import { tellUser, tellUserPrivately } from './hand-off-request.js';
import { requestLogFields } from './job-log-fields.js';
import { replaceMessage } from './post-thread-messages.js';
import {
  COULD_NOT_START_TEXT,
  cutNoticeText,
  FORGOTTEN_TEXT,
  overBudgetText,
  placeholderText,
  RETRY_GONE_TEXT,
  RETRY_LIMITED_TEXT,
  RETRYING_NOW_TEXT,
  rateLimitedText,
  usageText,
} from './user-messages.js';

type WebClient = webApi.WebClient;

/** Limits on use; none when absent. */
export interface UsageLimits {
  readonly requestsPerUserPerHour: number;
  /** 0: unlimited. */
  readonly workspaceDailyTokens: number;
}

export interface AnswerRequestDependencies extends AnswerInThreadDependencies {
  readonly limits?: UsageLimits;
  /** The clock (tests move it). */
  readonly now?: () => Date;
}

/**
 * Answers a handed-off request: the worker's whole job, locally and on Lambda. `deliveryId`
 * identifies this delivery of the request (the SQS message id): a queue's redelivery of it carries on
 * where it stopped, while a second delivery of the same Slack post is recognised and dropped.
 */
export async function answerRequest(
  request: IncomingRequest,
  deliveryId: string,
  deps: AnswerRequestDependencies,
  attempt: AnswerAttempt = { finalAttempt: true },
): Promise<AnswerOutcome | 'duplicate'> {
  // An "Open as canvas" click reads the thread and publishes it; no model call.
  if (request.source.type === 'export') return exportDesign(request, deliveryId, deps);
  let job: AnswerJob | 'duplicate' | 'settled';
  try {
    job = await takeOnRequest(request, deliveryId, deps);
  } catch (error) {
    return couldNotStart(request, error, deps, attempt);
  }
  if (job === 'duplicate') {
    deps.log.info('duplicate delivery ignored', requestLogFields(request));
    return 'duplicate';
  }
  if (job === 'settled') return 'answered';
  return answerInThread(job, deps, attempt);
}

/**
 * Claims the request, posts the placeholder and records it, so a re-run does not post it again.
 */
async function takeOnRequest(
  request: IncomingRequest,
  deliveryId: string,
  deps: AnswerRequestDependencies,
): Promise<AnswerJob | 'duplicate' | 'settled'> {
  const { store, client } = deps;
  const key = requestKeyOf(request);
  const claim = await store.claimRequest(key, deliveryId);
  if (!claim) return 'duplicate';
  if (claim.settled) return 'settled';
  const settle = async () => {
    await store.recordRequestProgress(key, { settled: true });
    return 'settled' as const;
  };

  // Requests that need no model: a bare mention, `forget`, and the limits. Checked before anything
  // visible is posted, and only once per request (a redelivery finds them settled).
  const fresh = !claim.placeholderTs;
  if (request.source.type === 'retry') return takeOnRetry(request, request.source, key, claim, deps);
  if (fresh && request.text === '') {
    await tellUser(client, request, usageText());
    return settle();
  }
  if (fresh && request.source.type === 'post' && FORGET.test(request.text)) {
    const thread = {
      teamId: request.teamId,
      channelId: request.channelId,
      threadTs: request.source.threadTs,
    };
    const forgotten = await store.forgetThread(thread);
    deps.log.info('thread forgotten', { ...requestLogFields(request), turns: forgotten });
    await tellUser(client, request, FORGOTTEN_TEXT);
    return settle();
  }
  if (fresh) {
    const refusal = await limitRefusal(request, deps);
    if (refusal) {
      deps.log.info('request over a limit', { ...requestLogFields(request), limit: refusal.limit });
      await tellUserPrivately(client, request, refusal.text);
      return settle();
    }
  }

  const thread: ThreadRef = {
    teamId: request.teamId,
    channelId: request.channelId,
    threadTs: request.source.threadTs,
  };
  const postTs = request.source.postTs;

  if (request.kind === 'request') await store.claimThread(thread, request.userId);
  // Listed for the App Home tab beside the placeholder, once per request; never holds the answer up.
  const listed =
    request.kind === 'request' && !claim.placeholderTs ? listThreadForUser(request, thread, deps) : undefined;
  const inExistingThread =
    request.source.type === 'post' && request.source.threadTs !== request.source.postTs;
  const waiting = placeholderText(inExistingThread ? 'follow-up' : 'request');
  const placeholderTs =
    claim.placeholderTs ??
    (await postInThread(
      client,
      thread,
      request.cutFromChars ? `${waiting}\n${cutNoticeText(request.cutFromChars)}` : waiting,
    ));
  if (!claim.placeholderTs) await store.recordRequestProgress(key, { placeholderTs });
  await listed;
  return {
    thread,
    postTs,
    userId: request.userId,
    text: request.text,
    placeholderTs,
    requestKey: key,
    ...(claim.streamedTs ? { streamedTs: claim.streamedTs } : {}),
    ...(request.cutFromChars ? { preface: `_${cutNoticeText(request.cutFromChars)}_` } : {}),
  };
}

/**
 * A Retry click: the request is the post already stored in the thread; the failure message it was
 * clicked on becomes the placeholder, and the answer (or what was left of it) replaces it.
 */
async function takeOnRetry(
  request: IncomingRequest,
  source: Extract<IncomingRequest['source'], { type: 'retry' }>,
  key: string,
  claim: RequestClaim,
  deps: AnswerRequestDependencies,
): Promise<AnswerJob | 'settled'> {
  const { store, client } = deps;
  const thread = { teamId: request.teamId, channelId: request.channelId, threadTs: source.threadTs };
  const stored = (await store.listTurns(thread)).find(
    (turn) => turn.role === 'user' && turn.postTs === source.postTs,
  );
  if (!stored) {
    await tellUserPrivately(client, request, RETRY_GONE_TEXT);
    await store.recordRequestProgress(key, { settled: true });
    return 'settled';
  }
  if (!claim.placeholderTs) {
    if (!(await limitRefusal(request, deps))) {
      await replaceMessage(client, thread, source.noticeTs, {
        text: RETRYING_NOW_TEXT,
        blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: RETRYING_NOW_TEXT }] }],
      });
      await store.recordRequestProgress(key, { placeholderTs: source.noticeTs });
    } else {
      await tellUserPrivately(client, request, RETRY_LIMITED_TEXT);
      await store.recordRequestProgress(key, { settled: true });
      return 'settled';
    }
  }
  return {
    thread,
    postTs: source.postTs,
    userId: stored.userId ?? request.userId,
    text: stored.text,
    placeholderTs: source.noticeTs,
    requestKey: key,
    ...(claim.streamedTs ? { streamedTs: claim.streamedTs } : {}),
  };
}

/**
 * Adds the thread to the user's list of design threads (the App Home tab), with a title from the
 * request and its permalink. Best effort: a failure is logged and the answer goes on.
 */
async function listThreadForUser(
  request: IncomingRequest,
  thread: ThreadRef,
  deps: AnswerRequestDependencies,
): Promise<void> {
  try {
    const link = await deps.client.chat
      .getPermalink({ channel: thread.channelId, message_ts: thread.threadTs })
      .catch(() => undefined);
    await deps.store.recordUserThread(thread, request.userId, {
      title: threadTitle(request.text),
      ...(link?.permalink ? { permalink: link.permalink } : {}),
    });
  } catch (error) {
    deps.log.warn('thread not listed for its user', { ...requestLogFields(request), error });
  }
}

/** `@Architect forget` (alone) in a thread. */
const FORGET = /^forget\W*$/i;

/** The per-user hourly limit, then the workspace's daily token budget; null when within both. */
async function limitRefusal(
  request: IncomingRequest,
  deps: AnswerRequestDependencies,
): Promise<{ limit: 'user-rate' | 'workspace-budget'; text: string } | null> {
  const { store, limits } = deps;
  if (!limits) return null;
  if (limits.workspaceDailyTokens > 0) {
    const used = await store.workspaceTokensToday(request.teamId);
    if (used >= limits.workspaceDailyTokens) {
      return { limit: 'workspace-budget', text: overBudgetText(nextUtcMidnight(deps.now?.() ?? new Date())) };
    }
  }
  const decision = await store.countUserRequest(
    request.teamId,
    request.userId,
    limits.requestsPerUserPerHour,
  );
  if (!decision.allowed) {
    return { limit: 'user-rate', text: rateLimitedText(limits.requestsPerUserPerHour, decision.resetsAt) };
  }
  return null;
}

function nextUtcMidnight(now: Date): Date {
  const midnight = new Date(now);
  midnight.setUTCHours(24, 0, 0, 0);
  return midnight;
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
  deps: AnswerRequestDependencies,
  attempt: AnswerAttempt,
): Promise<AnswerOutcome> {
  const willRetry = !attempt.finalAttempt && isTransient(error);
  deps.telemetry.failed(failureReason(error), willRetry);
  const fields = { ...requestLogFields(request), stage: 'take-on', willRetry, error };
  if (willRetry) {
    deps.log.warn('request not taken on yet', fields);
    return 'retry';
  }
  deps.log.error('request not taken on', fields);
  try {
    // Nothing was stored yet: the user is asked to send the request again.
    await tellUser(deps.client, request, COULD_NOT_START_TEXT);
  } catch (notifyError) {
    deps.log.error('failure message not posted', { ...requestLogFields(request), error: notifyError });
  }
  return 'failed';
}
