// The events function: `POST /slack/events` behind API Gateway. Verifies the signature and hands the
// request to the worker's queue (a reply in a thread costs one DynamoDB read first; a new thread one
// conditional write; a slash command posts its root message; an opened Home tab is queued too),
// well within Slack's 3 seconds.
// It never loads the model SDK.

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { awsClientConfig } from '../adapters/aws-client-config.js';
import { KnownThreadsCache } from '../adapters/in-process/known-threads-cache.js';
import { SqsJobDispatcher } from '../adapters/sqs/sqs-job-dispatcher.js';
import { withLambdaSecrets } from '../adapters/ssm/secrets-from-parameter-store.js';
import { configuredDynamoDBEndpoint, loadEventsConfig } from '../config.js';
import {
  CloudWatchFeedbackTelemetry,
  createMetrics,
  PowertoolsLog,
} from '../observability/powertools-observability.js';
import { createLambdaSlackApp } from '../slack/create-slack-app.js';
import { registerListeners } from '../slack/register-listeners.js';
import { screenSlackRequest } from '../slack/screen-slack-request.js';
import { buildThreadStore } from './build-thread-store.js';

interface EventsRuntime {
  readonly handle: (
    event: APIGatewayProxyEventV2,
    context: Context,
  ) => Promise<APIGatewayProxyStructuredResultV2>;
  readonly log: PowertoolsLog;
  readonly metrics: ReturnType<typeof createMetrics>;
}

/** Built once per container, on the first request (secrets may need a Parameter Store read). */
let runtime: Promise<EventsRuntime> | undefined;

async function createEventsRuntime(env: NodeJS.ProcessEnv): Promise<EventsRuntime> {
  const resolved = await withLambdaSecrets(env, ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
  const config = loadEventsConfig(resolved);
  const log = new PowertoolsLog({ level: config.LOG_LEVEL });
  const { store } = buildThreadStore(config, configuredDynamoDBEndpoint(config));
  const dispatcher = new SqsJobDispatcher({
    client: new SQSClient(awsClientConfig(config.AWS_REGION, env.AWS_ENDPOINT_URL_SQS)),
    queueUrl: config.QUEUE_URL,
    homeTabQueueUrl: config.HOME_TAB_QUEUE_URL,
  });
  const { app, receiver } = createLambdaSlackApp({
    botToken: config.SLACK_BOT_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET,
    slackApiUrl: config.SLACK_API_URL,
    ...(config.SLACK_BOT_USER_ID ? { botUserId: config.SLACK_BOT_USER_ID } : {}),
    logger: log,
  });
  const metrics = createMetrics();
  registerListeners(
    app,
    {
      store: new KnownThreadsCache(store),
      dispatcher,
      log,
      allowedTeamIds: config.ALLOWED_TEAM_IDS,
      maxRequestChars: config.MAX_REQUEST_CHARS,
    },
    {
      store,
      telemetry: new CloudWatchFeedbackTelemetry(metrics),
      log,
      allowedTeamIds: config.ALLOWED_TEAM_IDS,
      // The Home tab's reads and rendering wait for the worker, like an answer: the ack does not.
      handOffHomeTab: (homeTab) => dispatcher.handOffHomeTab(homeTab),
    },
  );
  const handle = receiver.toHandler();
  return {
    handle: async (event, context) => {
      const screening = screenSlackRequest({
        rawBody: event.body ?? '',
        contentType: event.headers['content-type'],
        signature: event.headers['x-slack-signature'],
        timestamp: event.headers['x-slack-request-timestamp'],
        signingSecret: config.SLACK_SIGNING_SECRET,
      });
      if (!screening.ok) {
        log.warn('request refused before Bolt', { status: screening.status, reason: screening.reason });
        return { statusCode: screening.status, body: '' };
      }
      try {
        const response = (await handle(event, context)) as APIGatewayProxyStructuredResultV2;
        if ((response.statusCode ?? 200) < 500) return response;
        // Our listeners handle their own failures: a 5xx here is Bolt failing to route the request.
        log.error('Bolt answered a signed request with a server error', { status: response.statusCode });
        return { statusCode: 400, body: '' };
      } catch (error) {
        // A signed request Bolt could not handle: a 4xx, not a Lambda error Slack would retry.
        log.error('signed request failed in Bolt', { error });
        return { statusCode: 400, body: '' };
      }
    },
    log,
    metrics,
  };
}

/** The Lambda entry point (2 arguments: Node 24 runtimes refuse callback handlers). */
export async function handler(
  event: APIGatewayProxyEventV2,
  context: Context,
): Promise<APIGatewayProxyStructuredResultV2> {
  const started = performance.now();
  runtime ??= createEventsRuntime(process.env).catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  let events: EventsRuntime;
  try {
    events = await runtime;
  } catch (error) {
    // No secrets or bad settings: Slack retries, and the log says what to fix.
    process.stdout.write(
      `${JSON.stringify({ level: 'ERROR', message: 'events function cannot start', error: String(error) })}\n`,
    );
    return { statusCode: 500, body: '' };
  }

  const request = withUtf8Body(event);
  events.log.logger.appendKeys(slackIdsOf(request.body));
  try {
    return await events.handle(request, context);
  } finally {
    events.metrics.addMetric('AckLatency', MetricUnit.Milliseconds, performance.now() - started);
    events.metrics.publishStoredMetrics();
    events.log.logger.resetKeys();
  }
}

/**
 * API Gateway base64-encodes some bodies, and Bolt 5.1's receiver decodes them as ASCII, which
 * garbles non-ASCII text (`café`, emoji): decode as UTF-8 before Bolt sees the event.
 */
export function withUtf8Body(event: APIGatewayProxyEventV2): APIGatewayProxyEventV2 {
  if (!event.isBase64Encoded || event.body === undefined) return event;
  return { ...event, body: Buffer.from(event.body, 'base64').toString('utf8'), isBase64Encoded: false };
}

/** The Slack ids of an Events API delivery, as log keys; never any text. */
function slackIdsOf(body: string | undefined): Record<string, string> {
  if (!body?.startsWith('{')) return {};
  try {
    const parsed = JSON.parse(body) as { event_id?: unknown; team_id?: unknown };
    return {
      ...(typeof parsed.event_id === 'string' ? { slackEventId: parsed.event_id } : {}),
      ...(typeof parsed.team_id === 'string' ? { slackTeam: parsed.team_id } : {}),
    };
  } catch {
    return {};
  }
}
