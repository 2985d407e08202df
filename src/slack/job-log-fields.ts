import type { AnswerJob, IncomingRequest } from '../core/conversation.js';

/** Ids that every log line about a job carries; never the user's text. */
export function jobLogFields(job: AnswerJob): Record<string, string> {
  return {
    team: job.thread.teamId,
    channel: job.thread.channelId,
    thread: job.thread.threadTs,
    post: job.postTs,
  };
}

/** Ids of a request before it is taken on. */
export function requestLogFields(request: IncomingRequest): Record<string, string> {
  const { source } = request;
  return {
    team: request.teamId,
    channel: request.channelId,
    thread: source.threadTs,
    post: source.postTs,
  };
}
