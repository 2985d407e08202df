// Slack requests as API Gateway (HTTP API, payload 2.0) delivers them to the events function, signed
// like Slack signs them; the same shape tests/support/lambda-harness.ts builds.

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { lambdaContext as contextWithTimeLeft, httpApiEvent } from '../../tests/support/lambda-events.js';
import { eventEnvelope, mentionEvent, messageEvent } from '../../tests/support/slack-payload-builders.js';

/** The channel every benchmark post is made in. */
export const BENCH_CHANNEL = 'C0BENCH';

/** A signed `app_mention` delivery of a new top-level post (`ts`), which starts a new thread. */
export function signedMentionRequest(signingSecret: string, ts: string): APIGatewayProxyEventV2 {
  const mention = mentionEvent('<@UBOT> design a rate limiter for a public REST API', {
    ts,
    channel: BENCH_CHANNEL,
  });
  return httpApiEvent(
    JSON.stringify(eventEnvelope(mention, `Ev${ts.replace('.', '')}`)),
    'application/json',
    { signingSecret },
  );
}

/** One reply in a thread, without a mention: a follow-up when the bot knows the thread. */
export interface ThreadReply {
  readonly channel: string;
  readonly threadTs: string;
  readonly ts: string;
  readonly user: string;
}

const FOLLOW_UP_TOPICS = [
  'rate limits per tenant',
  'the failover plan',
  'idempotency keys',
  'the schema migration',
  'cost at 10x the traffic',
];

/** The Events API body Slack posts for a thread reply (a `message` event with `thread_ts`). */
export function threadReplyBody(reply: ThreadReply): string {
  const message = messageEvent(
    `what about ${FOLLOW_UP_TOPICS[Number(reply.ts.slice(-2)) % FOLLOW_UP_TOPICS.length] ?? 'the design'}?`,
    {
      ts: reply.ts,
      threadTs: reply.threadTs,
      channel: reply.channel,
      user: reply.user,
    },
  );
  return JSON.stringify(eventEnvelope(message, `Ev${reply.ts.replace('.', '')}`));
}

/** A signed API Gateway delivery of a thread reply. */
export function signedReplyRequest(signingSecret: string, reply: ThreadReply): APIGatewayProxyEventV2 {
  return httpApiEvent(threadReplyBody(reply), 'application/json', { signingSecret });
}

/** The user who writes reply `index`: 50 people, so no one reaches the per-user hourly limit. */
export function replyUser(index: number): string {
  return `U0USER${String(index % 50).padStart(2, '0')}`;
}

/** A Lambda context with 10 s left (the events function's timeout). */
export function lambdaContext(functionName: string) {
  return contextWithTimeLeft(functionName, 10_000);
}
