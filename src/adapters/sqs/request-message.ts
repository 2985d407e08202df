import * as z from 'zod/mini';
import { type IncomingRequest, requestGroupOf } from '../../core/conversation.js';
import { ArchitectError } from '../../core/errors.js';
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

/** A queue message that is not a request; retrying it cannot help. */
export class MalformedRequestMessageError extends ArchitectError {}

/** Serialises a request for the queue. */
export function encodeRequest(request: IncomingRequest): string {
  return JSON.stringify({ version: 1, request });
}

/** Reads a request back from a queue message body; throws `MalformedRequestMessageError`. */
export function decodeRequest(body: string): IncomingRequest {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new MalformedRequestMessageError('Queue message is not JSON', { cause: error });
  }
  const parsed = requestMessageSchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))].join(', ');
    throw new MalformedRequestMessageError(`Queue message is not a request (bad ${fields})`, {
      cause: parsed.error,
    });
  }
  return parsed.data.request;
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
