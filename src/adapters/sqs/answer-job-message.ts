import * as z from 'zod/mini';
import type { AnswerJob } from '../../core/conversation.js';
import { ArchitectError } from '../../core/errors.js';
import { slackId as id, slackTs as ts } from '../../core/slack-identifiers.js';

/** The queue message body: an `AnswerJob`, versioned so a later shape can be told apart. */
const answerJobMessageSchema = z.object({
  version: z.literal(1),
  job: z.object({
    thread: z.object({ teamId: id, channelId: id, threadTs: ts }),
    postTs: ts,
    userId: id,
    text: z.string().check(z.minLength(1)),
    placeholderTs: z.optional(ts),
  }),
});

/** A queue message that is not an answer job; retrying it cannot help. */
export class MalformedJobMessageError extends ArchitectError {}

/** Serialises a job for the queue. */
export function encodeAnswerJob(job: AnswerJob): string {
  return JSON.stringify({ version: 1, job });
}

/** Reads a job back from a queue message body; throws `MalformedJobMessageError`. */
export function decodeAnswerJob(body: string): AnswerJob {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new MalformedJobMessageError('Queue message is not JSON', { cause: error });
  }
  const parsed = answerJobMessageSchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))].join(', ');
    throw new MalformedJobMessageError(`Queue message is not an answer job (bad ${fields})`, {
      cause: parsed.error,
    });
  }
  return parsed.data.job;
}

/** The FIFO group of a job: one per thread, so a thread's posts are answered in order. */
export function messageGroupOf(job: AnswerJob): string {
  return `${job.thread.channelId}-${job.thread.threadTs}`;
}

/** The FIFO deduplication id of a job: one per Slack post, so a post is queued once. */
export function deduplicationIdOf(job: AnswerJob): string {
  return `${job.thread.channelId}-${job.postTs}`;
}
