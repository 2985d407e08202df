import type { AnswerJob } from '../core/conversation.js';

/** Ids that every log line about a job carries; never the user's text. */
export function jobLogFields(job: AnswerJob): Record<string, string> {
  return {
    team: job.thread.teamId,
    channel: job.thread.channelId,
    thread: job.thread.threadTs,
    post: job.postTs,
  };
}
