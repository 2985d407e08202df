import type { webApi } from '@slack/bolt';
import type { ThreadRef } from '../../core/conversation.js';
import type { Log } from '../../core/ports.js';
import { failureText } from '../user-messages.js';

/** Tells the thread that a post could not be taken on; logs (never throws) when even that fails. */
export async function reportAcceptFailure(
  client: webApi.WebClient,
  thread: ThreadRef,
  error: unknown,
  log: Log,
): Promise<void> {
  log.error('request not accepted', { channel: thread.channelId, thread: thread.threadTs, error });
  try {
    await client.chat.postMessage({
      channel: thread.channelId,
      thread_ts: thread.threadTs,
      text: failureText(error),
    });
  } catch (postError) {
    log.error('failure message not posted', {
      channel: thread.channelId,
      thread: thread.threadTs,
      error: postError,
    });
  }
}
