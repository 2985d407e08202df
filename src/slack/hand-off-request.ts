import type { webApi } from '@slack/bolt';
import type { IncomingRequest } from '../core/conversation.js';
import type { JobDispatcher, Log, ThreadStore } from '../core/ports.js';
import { requestLogFields } from './job-log-fields.js';
import { failureText, NOT_ALLOWED_TEXT, requestCutNote } from './user-messages.js';

type WebClient = webApi.WebClient;

/** What the ack path needs: a cheap read of which threads are the bot's, and the hand-off. */
export interface HandOffDependencies {
  readonly store: Pick<ThreadStore, 'isThreadKnown' | 'startThread'>;
  readonly dispatcher: JobDispatcher;
  readonly log: Log;
  /** Workspaces the bot answers; empty: any. */
  readonly allowedTeamIds?: readonly string[];
  /** Longest text handed to the model; longer requests are cut with a notice. Default 20,000. */
  readonly maxRequestChars?: number;
}

/**
 * The whole ack path of a request: hand it off and return. Claiming it, posting the placeholder
 * and answering all happen in the worker, so Slack's 3 seconds are never at risk. When the hand-off
 * itself fails, the user hears about it now: nothing was stored, so they are asked to send it again.
 */
export async function handOffRequest(
  client: WebClient,
  request: IncomingRequest,
  deps: HandOffDependencies,
): Promise<void> {
  if (!isTeamAllowed(deps, request.teamId)) {
    // Nothing stored, no model call: only a polite word to the one who asked.
    deps.log.warn('request from a workspace that is not allowed', requestLogFields(request));
    await tellUserPrivately(client, request, NOT_ALLOWED_TEXT).catch((error: unknown) =>
      deps.log.warn('refusal not posted', { ...requestLogFields(request), error }),
    );
    return;
  }
  // A request that starts (or joins) a thread marks it now, so replies that arrive before the worker
  // gets to it count as follow-ups. The worker claims it again; this is only the early mark.
  const marked =
    request.kind === 'request'
      ? deps.store
          .startThread(
            { teamId: request.teamId, channelId: request.channelId, threadTs: request.source.threadTs },
            request.userId,
          )
          .catch((error: unknown) =>
            deps.log.warn('thread not marked early', { ...requestLogFields(request), error }),
          )
      : undefined;
  const max = deps.maxRequestChars ?? 20_000;
  const handedOff =
    request.text.length > max
      ? { ...request, text: cutRequest(request.text, max), cutFromChars: request.text.length }
      : request;
  try {
    // The mark and the hand-off are independent: done side by side, the ack waits for the slower one.
    await Promise.all([deps.dispatcher.dispatch(handedOff), marked]);
    deps.log.info('request handed off', { ...requestLogFields(request), kind: request.kind });
  } catch (error) {
    deps.log.error('request not handed off', { ...requestLogFields(request), error });
    await tellUser(client, request, failureText(error)).catch((notifyError: unknown) =>
      deps.log.error('failure message not posted', { ...requestLogFields(request), error: notifyError }),
    );
  }
}

/** True when the bot answers this workspace (`ALLOWED_TEAM_IDS` empty, or naming it). */
export function isTeamAllowed(deps: Pick<HandOffDependencies, 'allowedTeamIds'>, teamId: string): boolean {
  const allowed = deps.allowedTeamIds ?? [];
  return allowed.length === 0 || allowed.includes(teamId);
}

/**
 * Cuts an over-long request on a line or word boundary, with a note the model reads and the user
 * sees quoted back in the answer's context.
 */
export function cutRequest(text: string, maxChars: number): string {
  const head = text.slice(0, maxChars);
  const boundary = Math.max(head.lastIndexOf('\n'), head.lastIndexOf(' '));
  const kept = boundary > maxChars * 0.8 ? head.slice(0, boundary) : head;
  return `${kept}\n\n${requestCutNote(kept.length, text.length)}`;
}

/** Only the asking user sees it: an ephemeral message in the conversation (in the thread, if any). */
export async function tellUserPrivately(
  client: WebClient,
  request: IncomingRequest,
  text: string,
): Promise<void> {
  await client.chat.postEphemeral({
    channel: request.channelId,
    user: request.userId,
    text,
    ...(request.source.type !== 'post' || request.source.threadTs !== request.source.postTs
      ? { thread_ts: request.source.threadTs }
      : {}),
  });
}

/** A short message in the thread of the request. */
export async function tellUser(client: WebClient, request: IncomingRequest, text: string): Promise<void> {
  await client.chat.postMessage({ channel: request.channelId, thread_ts: request.source.threadTs, text });
}
