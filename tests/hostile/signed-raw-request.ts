import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { httpApiEvent, lambdaContext } from '../support/lambda-harness.js';
import { slackSignature } from '../support/slack-signing.js';

/** What the bot answered to one request. */
export interface Answer {
  /** The HTTP status; 0 when no response came back at all. */
  readonly status: number;
  readonly body: string;
  /** Why there was no response, or the error a Lambda handler threw. */
  readonly error?: string;
}

/**
 * Bolt's HTTPReceiver answers a request no listener acknowledged with 404 after 3,001 ms; anything
 * slower than this means the bot never answered.
 */
const NO_ANSWER_AFTER_MS = 6_000;

/**
 * POSTs `body` to the bot signed like Slack signs it, with any `Content-Type` (or none, when
 * `contentType` is undefined): `postSigned` only takes the two types Slack uses.
 */
export async function postSignedRaw(
  url: string,
  body: string,
  contentType: string | undefined,
  signingSecret: string,
): Promise<Answer> {
  const timestamp = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(signingSecret, timestamp, body),
  };
  if (contentType !== undefined) headers['content-type'] = contentType;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(NO_ANSWER_AFTER_MS),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { status: 0, body: '', error: describeError(error) };
  }
}

type EventsHandler = (
  event: APIGatewayProxyEventV2,
  context: ReturnType<typeof lambdaContext>,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * Invokes the events function with `body` signed like Slack signs it, under any `Content-Type`
 * (none when undefined) and with `body: undefined` in the event when `omitBody` (what API Gateway
 * sends for an empty body). A handler that throws is answered 500 by API Gateway
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html),
 * so it counts as a 500 here, with the error kept.
 */
export async function invokeSignedRaw(
  events: EventsHandler,
  body: string,
  contentType: string | undefined,
  options: { omitBody?: boolean } = {},
): Promise<Answer> {
  const event = httpApiEvent(body, 'application/json');
  if (contentType === undefined) delete event.headers['content-type'];
  else event.headers['content-type'] = contentType;
  if (options.omitBody) delete event.body;
  try {
    const result = await events(event, lambdaContext('architect-hostile-events', 10_000));
    return { status: result.statusCode ?? 200, body: result.body ?? '' };
  } catch (error) {
    return { status: 500, body: '', error: `the handler threw: ${describeError(error)}` };
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
  return `${error.stack ?? `${error.name}: ${error.message}`}${cause}`;
}
