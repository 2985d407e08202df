import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { slackSignature } from './slack-signing.js';

// What AWS hands the Lambda functions, built for tests and the benchmark (no test framework here:
// the benchmark bundles this for plain Node).

export const LAMBDA_SIGNING_SECRET = 'lambda-test-signing-secret';

/** A Lambda context with the given time left. */
export function lambdaContext(functionName: string, remainingMs = 600_000): Context {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/26/[$LATEST]test',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export interface HttpApiRequestOptions {
  readonly headers?: Record<string, string>;
  /** Send the body base64-encoded, as API Gateway does for some content. */
  readonly base64?: boolean;
  readonly signature?: string;
  readonly timestamp?: number;
  readonly signingSecret?: string;
}

/** An API Gateway HTTP API (payload 2.0) event carrying a Slack request signed like Slack signs it. */
export function httpApiEvent(
  body: string,
  contentType: 'application/json' | 'application/x-www-form-urlencoded',
  options: HttpApiRequestOptions = {},
): APIGatewayProxyEventV2 {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature =
    options.signature ?? slackSignature(options.signingSecret ?? LAMBDA_SIGNING_SECRET, timestamp, body);
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: 'POST /slack/events',
    rawPath: '/slack/events',
    rawQueryString: '',
    headers: {
      'content-type': contentType,
      'content-length': String(Buffer.byteLength(body)),
      host: 'abc123.execute-api.us-east-1.amazonaws.com',
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
      ...options.headers,
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
    body: options.base64 ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: options.base64 ?? false,
  };
}
