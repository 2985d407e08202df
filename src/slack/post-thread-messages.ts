import type { webApi } from '@slack/bolt';
import type { ThreadRef } from '../core/conversation.js';
import { ArchitectError } from '../core/errors.js';
import type { SlackMessagePayload } from './render/render-answer.js';
import { withoutImageBlocks } from './render/without-image-blocks.js';

type WebClient = webApi.WebClient;

/**
 * Posting a thread's messages stopped part-way: Slack refused a message (`slack`), or recording a
 * posted message failed (`record`). `postedTs` lists the messages that made it to Slack.
 */
export class ThreadPostError extends ArchitectError {
  readonly postedTs: readonly string[];
  readonly failedAt: 'slack' | 'record';

  constructor(postedTs: readonly string[], failedAt: 'slack' | 'record', options: ErrorOptions) {
    super(
      failedAt === 'slack'
        ? `Slack refused message ${postedTs.length + 1} of the answer`
        : `Recording message ${postedTs.length} of the answer failed`,
      options,
    );
    this.postedTs = postedTs;
    this.failedAt = failedAt;
  }
}

export interface PostProgress {
  /** Leading messages already on Slack (from an earlier attempt): not posted again. */
  readonly alreadyPosted?: number;
  /** Called after each message lands, with its index and ts, to record progress. */
  readonly onPosted?: (index: number, ts: string) => Promise<void>;
  /**
   * Messages already in the thread that the answer's messages replace, in order (a live answer's
   * streamed messages); where there is none, message 0 replaces the placeholder.
   */
  readonly over?: readonly string[];
}

/**
 * Posts messages into a thread in order. The first one replaces the placeholder when there is one,
 * so the answer appears once; if the placeholder is gone it is posted as a new reply instead.
 * Returns the ts of every message it posted; throws `ThreadPostError`.
 */
export async function postThreadMessages(
  client: WebClient,
  thread: ThreadRef,
  messages: readonly SlackMessagePayload[],
  placeholderTs?: string,
  progress: PostProgress = {},
): Promise<string[]> {
  const posted: string[] = [];
  const skip = progress.alreadyPosted ?? 0;
  for (const [index, message] of messages.entries()) {
    if (index < skip) continue;
    const target = progress.over?.[index] ?? (index === 0 ? placeholderTs : undefined);
    const send = async (payload: SlackMessagePayload) =>
      target && (await replaceMessage(client, thread, target, payload))
        ? target
        : await postReply(client, thread, payload);
    let ts: string;
    try {
      ts = await send(message);
    } catch (error) {
      // Slack downloads an image block's image before it accepts the message (`invalid_blocks`, "downloading
      // image failed"): a diagram server that is down or refuses a diagram must not cost the whole answer.
      const fallback = slackErrorCode(error) === 'invalid_blocks' ? withoutImageBlocks(message) : undefined;
      if (fallback === undefined) throw new ThreadPostError(posted, 'slack', { cause: error });
      try {
        ts = await send(fallback);
      } catch (retryError) {
        throw new ThreadPostError(posted, 'slack', { cause: retryError });
      }
    }
    posted.push(ts);
    try {
      await progress.onPosted?.(index, ts);
    } catch (error) {
      throw new ThreadPostError(posted, 'record', { cause: error });
    }
  }
  return posted;
}

async function postReply(
  client: WebClient,
  thread: ThreadRef,
  message: SlackMessagePayload,
): Promise<string> {
  const result = await client.chat.postMessage({
    channel: thread.channelId,
    thread_ts: thread.threadTs,
    text: message.text,
    blocks: message.blocks,
    unfurl_links: false,
    unfurl_media: false,
  });
  return result.ts ?? '';
}

/** Updates a message the bot posted; false when Slack says the message no longer exists. */
export async function replaceMessage(
  client: WebClient,
  thread: ThreadRef,
  ts: string,
  message: SlackMessagePayload,
): Promise<boolean> {
  try {
    await client.chat.update({ channel: thread.channelId, ts, text: message.text, blocks: message.blocks });
    return true;
  } catch (error) {
    if (slackErrorCode(error) === 'message_not_found' || slackErrorCode(error) === 'cant_update_message') {
      return false;
    }
    throw error;
  }
}

/** The `error` string of a Slack Web API platform error (`not_in_channel`, …), if it is one. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}
