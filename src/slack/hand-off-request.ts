import type { webApi } from '@slack/bolt';
import type { IncomingRequest } from '../core/conversation.js';
import type { JobDispatcher, Log, ThreadStore } from '../core/ports.js';
import { requestLogFields } from './job-log-fields.js';
import { respondPrivately } from './respond-privately.js';
import { failureText } from './user-messages.js';

type WebClient = webApi.WebClient;

/** What the ack path needs: a cheap read of which threads are the bot's, and the hand-off. */
export interface HandOffDependencies {
  readonly store: Pick<ThreadStore, 'isThreadKnown'>;
  readonly dispatcher: JobDispatcher;
  readonly log: Log;
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
  try {
    await deps.dispatcher.dispatch(request);
    deps.log.info('request handed off', { ...requestLogFields(request), kind: request.kind });
  } catch (error) {
    deps.log.error('request not handed off', { ...requestLogFields(request), error });
    await tellUser(client, request, failureText(error)).catch((notifyError: unknown) =>
      deps.log.error('failure message not posted', { ...requestLogFields(request), error: notifyError }),
    );
  }
}

/** A short message where the user is: privately for a slash command, else in the post's thread. */
export async function tellUser(client: WebClient, request: IncomingRequest, text: string): Promise<void> {
  if (request.source.type === 'command') {
    await respondPrivately(request.source.responseUrl, text);
    return;
  }
  await client.chat.postMessage({ channel: request.channelId, thread_ts: request.source.threadTs, text });
}
