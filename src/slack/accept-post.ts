import type { webApi } from '@slack/bolt';
import type { AnswerJob, ThreadRef } from '../core/conversation.js';
import type { JobDispatcher, Log, ThreadStore } from '../core/ports.js';
import { jobLogFields } from './job-log-fields.js';
import { postThreadMessages } from './post-thread-messages.js';
import { failureText, placeholderText } from './user-messages.js';

type WebClient = webApi.WebClient;

export interface AcceptPostDependencies {
  readonly store: ThreadStore;
  readonly dispatcher: JobDispatcher;
  readonly log: Log;
}

/** A Slack post the bot should answer, already cleaned of markup. */
export interface IncomingPost {
  readonly thread: ThreadRef;
  readonly postTs: string;
  readonly userId: string;
  readonly text: string;
  readonly kind: 'request' | 'follow-up';
  /** True when the post was already claimed (a slash command's own root message). */
  readonly alreadyClaimed?: boolean;
}

/**
 * The cheap part of answering, done right after the ack: claim the post so a second delivery of it
 * does nothing, mark the thread as the bot's, show a placeholder, and hand the job off.
 */
export async function acceptPost(
  client: WebClient,
  post: IncomingPost,
  deps: AcceptPostDependencies,
): Promise<'accepted' | 'duplicate' | 'failed'> {
  const { store, dispatcher, log } = deps;
  if (!post.alreadyClaimed && !(await store.claimPost(post.thread.channelId, post.postTs))) {
    log.info('duplicate delivery ignored', { channel: post.thread.channelId, post: post.postTs });
    return 'duplicate';
  }
  // A follow-up's thread is already the bot's; the worker's writes keep it alive.
  if (post.kind === 'request') await store.claimThread(post.thread, post.userId);

  const placeholderTs = await postPlaceholder(client, post, log);
  const job: AnswerJob = {
    thread: post.thread,
    postTs: post.postTs,
    userId: post.userId,
    text: post.text,
    ...(placeholderTs ? { placeholderTs } : {}),
  };
  try {
    await dispatcher.dispatch(job);
  } catch (error) {
    // The post is claimed, so Slack's retries will not bring it back: tell the user now.
    log.error('request not handed off', { ...jobLogFields(job), error });
    const text = failureText(error);
    const notice = { text, blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }] };
    await postThreadMessages(client, job.thread, [notice], placeholderTs).catch((postError: unknown) =>
      log.error('failure message not posted', { ...jobLogFields(job), error: postError }),
    );
    return 'failed';
  }
  log.info('request accepted', { ...jobLogFields(job), kind: post.kind, chars: post.text.length });
  return 'accepted';
}

async function postPlaceholder(client: WebClient, post: IncomingPost, log: Log): Promise<string | undefined> {
  try {
    const text = placeholderText(post.kind);
    const result = await client.chat.postMessage({
      channel: post.thread.channelId,
      thread_ts: post.thread.threadTs,
      text,
      blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }],
    });
    return result.ts;
  } catch (error) {
    // The answer can still be posted as a new reply; the user sees it a little later.
    log.warn('placeholder not posted', { channel: post.thread.channelId, post: post.postTs, error });
    return undefined;
  }
}
