import * as z from 'zod/mini';
import { type IncomingRequest, requestGroupOf } from '../../core/conversation.js';
import { ArchitectError } from '../../core/errors.js';
import type { HomeTabRequest } from '../../core/feedback.js';
import { slackId as id, slackTs as ts } from '../../core/slack-identifiers.js';

/** The queue message body: an `IncomingRequest`, versioned so a later shape can be told apart. */
const requestMessageSchema = z.object({
  version: z.literal(1),
  request: z.object({
    teamId: id,
    channelId: id,
    userId: id,
    text: z.string(),
    kind: z.enum(['request', 'follow-up']),
    cutFromChars: z.optional(z.number()),
    source: z.discriminatedUnion('type', [
      z.object({ type: z.literal('post'), postTs: ts, threadTs: ts }),
      z.object({
        type: z.literal('retry'),
        postTs: ts,
        threadTs: ts,
        noticeTs: ts,
        clickId: z.string().check(z.minLength(1), z.maxLength(40)),
      }),
      z.object({
        type: z.literal('export'),
        postTs: ts,
        threadTs: ts,
        clickId: z.string().check(z.minLength(1), z.maxLength(40)),
      }),
    ]),
  }),
});

/** The other job on the queue: a Home tab to publish (`HomeTabRequest`), same version. */
const homeTabMessageSchema = z.object({
  version: z.literal(1),
  homeTab: z.object({
    teamId: id,
    userId: id,
    openingId: z.string().check(z.minLength(1), z.maxLength(40)),
  }),
});

/** What a queue message asks the worker to do. */
export type QueueJob =
  | { readonly kind: 'request'; readonly request: IncomingRequest }
  | { readonly kind: 'home-tab'; readonly homeTab: HomeTabRequest };

/** A queue message that is not a job; retrying it cannot help. */
export class MalformedRequestMessageError extends ArchitectError {}

/** Serialises a request for the queue. */
export function encodeRequest(request: IncomingRequest): string {
  return JSON.stringify({ version: 1, request });
}

/** Serialises a Home tab to publish for the queue. */
export function encodeHomeTabRequest(homeTab: HomeTabRequest): string {
  return JSON.stringify({ version: 1, homeTab });
}

/** Reads a job back from a queue message body; throws `MalformedRequestMessageError`. */
export function decodeQueueJob(body: string): QueueJob {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new MalformedRequestMessageError('Queue message is not JSON', { cause: error });
  }
  if (typeof json === 'object' && json !== null && 'homeTab' in json) {
    const parsed = homeTabMessageSchema.safeParse(json);
    if (!parsed.success) throw malformed('a Home tab job', parsed.error);
    return { kind: 'home-tab', homeTab: parsed.data.homeTab };
  }
  const parsed = requestMessageSchema.safeParse(json);
  if (!parsed.success) throw malformed('a request', parsed.error);
  return { kind: 'request', request: parsed.data.request };
}

/** Reads a request back from a queue message body; throws `MalformedRequestMessageError` for anything else. */
export function decodeRequest(body: string): IncomingRequest {
  const job = decodeQueueJob(body);
  if (job.kind !== 'request') throw new MalformedRequestMessageError('Queue message is not a request');
  return job.request;
}

function malformed(what: string, error: z.core.$ZodError): MalformedRequestMessageError {
  const fields = [...new Set(error.issues.map((issue) => issue.path.join('.')))].join(', ');
  return new MalformedRequestMessageError(`Queue message is not ${what} (bad ${fields})`, { cause: error });
}

/** The FIFO group of a request: one per thread, so a thread's posts are answered in order. */
export function messageGroupOf(request: IncomingRequest): string {
  return requestGroupOf(request);
}

/**
 * The FIFO deduplication id of a request: one per Slack post (or Retry or "Open as canvas" click), so
 * each is queued once.
 */
export function deduplicationIdOf(request: IncomingRequest): string {
  const { source } = request;
  switch (source.type) {
    case 'retry':
      return `retry-${request.channelId}-${source.postTs}-${source.clickId}`;
    case 'export':
      return `export-${request.channelId}-${source.postTs}-${source.clickId}`;
    case 'post':
      return `${request.channelId}-${source.postTs}`;
  }
}

/** A Home tab's FIFO group: one per user, apart from every thread's. */
export function homeTabGroupOf(homeTab: HomeTabRequest): string {
  return `home-${homeTab.teamId}-${homeTab.userId}`;
}

/** A Home tab's FIFO deduplication id: one per opening of the tab. */
export function homeTabDeduplicationIdOf(homeTab: HomeTabRequest): string {
  return `home-${homeTab.teamId}-${homeTab.userId}-${homeTab.openingId}`;
}
