// Slack requests as API Gateway (HTTP API, payload 2.0) delivers them to the events function, signed
// like Slack signs them; the same shape tests/support/lambda-harness.ts builds.

import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { eventEnvelope, mentionEvent, messageEvent } from '../../tests/support/slack-payload-builders.js';
import { slackSignature } from '../../tests/support/slack-signing.js';

/** The channel every benchmark post is made in. */
export const BENCH_CHANNEL = 'C0BENCH';

/** A signed `app_mention` delivery of a new top-level post (`ts`), which starts a new thread. */
export function signedMentionRequest(signingSecret: string, ts: string): APIGatewayProxyEventV2 {
  const mention = mentionEvent('<@UBOT> design a rate limiter for a public REST API', {
    ts,
    channel: BENCH_CHANNEL,
  });
  return apiGatewayEvent(signingSecret, JSON.stringify(eventEnvelope(mention, `Ev${ts.replace('.', '')}`)));
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
  return apiGatewayEvent(signingSecret, threadReplyBody(reply));
}

/** The user who writes reply `index`: 50 people, so no one reaches the per-user hourly limit. */
export function replyUser(index: number): string {
  return `U0USER${String(index % 50).padStart(2, '0')}`;
}

function apiGatewayEvent(signingSecret: string, body: string): APIGatewayProxyEventV2 {
  const timestamp = Math.floor(Date.now() / 1000);
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: 'POST /slack/events',
    rawPath: '/slack/events',
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      host: 'abc123.execute-api.us-east-1.amazonaws.com',
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(signingSecret, timestamp, body),
    },
    requestContext: {
      accountId: '000000000000',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method: 'POST',
        path: '/slack/events',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'Slackbot 1.0 (+https://api.slack.com/robots)',
      },
      requestId: randomUUID(),
      routeKey: 'POST /slack/events',
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
    body,
    isBase64Encoded: false,
  };
}

/** A Lambda context with 10 s left (the events function's timeout). */
export function lambdaContext(functionName: string): Context {
  const deadline = Date.now() + 10_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/26/[$LATEST]bench',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
