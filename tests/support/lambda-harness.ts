import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import { createDynamoDBClients } from '../../src/adapters/dynamodb/create-dynamodb-clients.js';
import { startLocalDynalite } from '../../src/adapters/dynamodb/local-dynalite.js';
import { ensureThreadTable } from '../../src/adapters/dynamodb/thread-table.js';
import { type FakeAnthropic, startFakeAnthropic } from '../fakes/anthropic-messages.js';
import { type FakeSlack, startFakeSlack } from '../fakes/slack-web-api.js';
import { type FakeSqs, startFakeSqs } from '../fakes/sqs-queue.js';
import {
  type HttpApiRequestOptions,
  httpApiEvent,
  LAMBDA_SIGNING_SECRET,
  lambdaContext,
} from './lambda-events.js';
import { eventEnvelope, interactionBody, slashCommandBody } from './slack-payload-builders.js';

export { type HttpApiRequestOptions, httpApiEvent, LAMBDA_SIGNING_SECRET, lambdaContext };

export const LAMBDA_BOT_TOKEN = 'xoxb-lambda-test-token';
const TABLE_NAME = 'architect-lambda-test';

type EventsHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;
type WorkerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** The loopback world the Lambda handlers run in: Slack, Anthropic, SQS, DynamoDB. */
export interface LambdaWorld {
  readonly slack: FakeSlack;
  readonly anthropic: FakeAnthropic;
  readonly sqs: FakeSqs;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  /** The queue of Home tabs to publish (`HomeTabQueue`). */
  readonly homeTabQueueUrl: string;
  /** The environment the handlers read, as serverless.yml would set it. */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the fakes, creates the table and the FIFO queue with its DLQ. */
export async function startLambdaWorld(): Promise<LambdaWorld> {
  const [slack, anthropic, sqs, dynalite] = await Promise.all([
    startFakeSlack({ botToken: LAMBDA_BOT_TOKEN }),
    startFakeAnthropic(),
    startFakeSqs(),
    startLocalDynalite(),
  ]);
  const dynamo = createDynamoDBClients({ endpoint: dynalite.endpoint });
  await ensureThreadTable(dynamo.client, TABLE_NAME);
  dynamo.client.destroy();
  const queueUrl = sqs.createQueue('architect-test-answers.fifo', {
    fifo: true,
    visibilityTimeoutSeconds: 660,
    maxReceiveCount: 3,
    deadLetterQueueName: 'architect-test-answers-dlq.fifo',
  });
  const homeTabQueueUrl = sqs.createQueue('architect-test-home-tabs.fifo', {
    fifo: true,
    visibilityTimeoutSeconds: 660,
  });
  const deadLetterQueueUrl = queueUrl.replace(
    'architect-test-answers.fifo',
    'architect-test-answers-dlq.fifo',
  );
  // Only what serverless.yml and the Lambda runtime contract give the functions: no AWS credentials
  // or region, which the handlers must do without against loopback endpoints.
  const env = {
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    DYNAMODB_ENDPOINT: dynalite.endpoint,
    TABLE_NAME,
    QUEUE_URL: queueUrl,
    HOME_TAB_QUEUE_URL: homeTabQueueUrl,
    SLACK_BOT_TOKEN: LAMBDA_BOT_TOKEN,
    SLACK_SIGNING_SECRET: LAMBDA_SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    ANTHROPIC_API_KEY: 'sk-ant-lambda-test',
    ANTHROPIC_BASE_URL: anthropic.url,
    ANTHROPIC_MAX_RETRIES: '0',
    WORKER_MAX_RECEIVES: '3',
    POWERTOOLS_METRICS_NAMESPACE: 'ArchitectTest',
  };
  return {
    slack,
    anthropic,
    sqs,
    queueUrl,
    deadLetterQueueUrl,
    homeTabQueueUrl,
    env,
    async close() {
      await Promise.all([slack.close(), anthropic.close(), sqs.close(), dynalite.close()]);
    },
  };
}

/** Drives the two exported handlers the way API Gateway and the SQS event source do. */
export class LambdaDriver {
  constructor(
    readonly world: LambdaWorld,
    readonly events: EventsHandler,
    readonly worker: WorkerHandler,
  ) {}

  /** Invokes the events function with a signed Events API envelope around `event`. */
  sendEvent(
    event: Record<string, unknown>,
    options: HttpApiRequestOptions & { eventId?: string } = {},
  ): Promise<APIGatewayProxyStructuredResultV2> {
    const body = JSON.stringify(eventEnvelope(event, options.eventId));
    return this.events(
      httpApiEvent(body, 'application/json', options),
      lambdaContext('architect-test-events', 10_000),
    );
  }

  /** Invokes the events function with a signed slash command. */
  sendCommand(text: string): Promise<APIGatewayProxyStructuredResultV2> {
    const body = slashCommandBody(text, { responseUrl: this.world.slack.responseUrl });
    return this.events(
      httpApiEvent(body, 'application/x-www-form-urlencoded'),
      lambdaContext('architect-test-events', 10_000),
    );
  }

  /** Invokes the events function with a signed interactivity payload (`payload=<json>`, form-encoded). */
  sendInteraction(payload: unknown): Promise<APIGatewayProxyStructuredResultV2> {
    return this.events(
      httpApiEvent(interactionBody(payload), 'application/x-www-form-urlencoded'),
      lambdaContext('architect-test-events', 10_000),
    );
  }

  /**
   * Delivers the next queued job to the worker as the event source would, and settles the batch: from the
   * answer queue, or the queue named.
   */
  async runWorker(
    remainingMs = 600_000,
    queueUrl = this.world.queueUrl,
  ): Promise<{ event: SQSEvent; response: SQSBatchResponse }> {
    const { sqs } = this.world;
    const event = sqs.takeLambdaEvent(queueUrl);
    let response: SQSBatchResponse;
    try {
      response = await this.worker(event, lambdaContext('architect-test-worker', remainingMs));
    } catch (error) {
      sqs.settleLambdaBatch(queueUrl, event, error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    sqs.settleLambdaBatch(queueUrl, event, response);
    return { event, response };
  }

  /** Jobs waiting in the answer queue (visible or not). */
  queued(): number {
    return this.world.sqs.messages(this.world.queueUrl).length;
  }
}

/**
 * Starts the world, puts its settings into `process.env` (as Lambda would) and imports fresh copies
 * of both handler modules, so each test file gets cold "containers".
 */
export async function startLambdaDriver(
  overrides: Record<string, string | undefined> = {},
): Promise<{ world: LambdaWorld; lambda: LambdaDriver }> {
  const world = await startLambdaWorld();
  const saved = { ...process.env };
  const unsetByDefault = {
    AWS_REGION: undefined,
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
  };
  for (const [name, value] of Object.entries({ ...unsetByDefault, ...world.env, ...overrides })) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  const { vi } = await import('vitest');
  vi.resetModules();
  const events = await import('../../src/handlers/lambda-events.js');
  const worker = await import('../../src/handlers/lambda-worker.js');
  const closeWorld = world.close.bind(world);
  return {
    world: {
      ...world,
      async close() {
        process.env = saved;
        await closeWorld();
      },
    },
    lambda: new LambdaDriver(world, events.handler, worker.handler),
  };
}
