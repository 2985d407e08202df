// The worker function: takes answer jobs from the SQS FIFO queue (one at a time, in order per
// thread) and answers them with exactly the same code as local mode. A transient failure is
// retried by the queue, after a short delay; the last attempt ends in a friendly message. It also
// publishes the Home tabs the events function queues.
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { awsClientConfig } from '../adapters/aws-client-config.js';
import { decodeQueueJob, type QueueJob } from '../adapters/sqs/request-message.js';
import { withLambdaSecrets } from '../adapters/ssm/secrets-from-parameter-store.js';
import { configuredDynamoDBEndpoint, loadWorkerConfig, usageLimits, type WorkerConfig } from '../config.js';
import { loadArchitectPrompt } from '../core/architect-prompt.js';
import {
  CloudWatchAnswerTelemetry,
  createMetrics,
  PowertoolsLog,
} from '../observability/powertools-observability.js';
import { type AnswerRequestDependencies, answerRequest } from '../slack/answer-request.js';
import { publishHomeTab } from '../slack/home-tab.js';
import { requestLogFields } from '../slack/job-log-fields.js';
import { createLiveSlackWebClient, createSlackWebClient } from '../slack/slack-client-options.js';
import { buildClaudeModel } from './build-claude-model.js';
import { buildThreadStore } from './build-thread-store.js';

/** Time kept back from the model at the end of an invocation, to post the answer or the notice. */
const FINISHING_MARGIN_MS = 30_000;
/** Delay before a failed job is tried again, per earlier delivery (30 s, 60 s, …). */
const RETRY_DELAY_STEP_SECONDS = 30;

interface WorkerRuntime {
  readonly config: WorkerConfig;
  readonly deps: AnswerRequestDependencies;
  readonly log: PowertoolsLog;
  readonly metrics: ReturnType<typeof createMetrics>;
  readonly sqs: SQSClient;
}

let runtime: Promise<WorkerRuntime> | undefined;

async function createWorkerRuntime(env: NodeJS.ProcessEnv): Promise<WorkerRuntime> {
  const resolved = await withLambdaSecrets(env, ['SLACK_BOT_TOKEN', 'ANTHROPIC_API_KEY']);
  const config = loadWorkerConfig(resolved);
  const log = new PowertoolsLog({ level: config.LOG_LEVEL });
  const metrics = createMetrics();
  const { store } = buildThreadStore(config, configuredDynamoDBEndpoint(config));
  const client = createSlackWebClient(config.SLACK_BOT_TOKEN, config.SLACK_API_URL, log);
  return {
    config,
    log,
    metrics,
    sqs: new SQSClient(awsClientConfig(config.AWS_REGION, env.AWS_ENDPOINT_URL_SQS)),
    deps: {
      client,
      liveClient: createLiveSlackWebClient(config.SLACK_BOT_TOKEN, config.SLACK_API_URL, log),
      store,
      model: buildClaudeModel(config),
      systemPrompt: await loadArchitectPrompt(),
      historyTokenBudget: config.HISTORY_TOKEN_BUDGET,
      diagramRenderUrl: config.DIAGRAM_RENDER_URL,
      log,
      telemetry: new CloudWatchAnswerTelemetry(metrics),
      limits: usageLimits(config),
      liveAnswer: config.LIVE_ANSWER,
    },
  };
}

/** The Lambda entry point: an SQS batch in, the records to retry out (partial batch response). */
export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  runtime ??= createWorkerRuntime(process.env).catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  const worker = await runtime;
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  try {
    for (const record of event.Records) {
      if ((await answerRecord(worker, record, context)) === 'retry') {
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
  } finally {
    worker.metrics.publishStoredMetrics();
  }
  return { batchItemFailures };
}

async function answerRecord(
  worker: WorkerRuntime,
  record: SQSRecord,
  context: Context,
): Promise<'done' | 'retry'> {
  const { log, config } = worker;
  let job: QueueJob;
  try {
    job = decodeQueueJob(record.body);
  } catch (error) {
    // Retrying a message that is not a job cannot help: log it and let it go.
    log.error('malformed queue message dropped', { messageId: record.messageId, error });
    return 'done';
  }
  if (job.kind === 'home-tab') {
    // Published or logged: a tab that could not be published is published again at its next opening.
    await publishHomeTab(job.homeTab, { client: worker.deps.client, store: worker.deps.store, log });
    return 'done';
  }
  const { request } = job;
  const receives = Number(record.attributes.ApproximateReceiveCount) || 1;
  log.logger.appendKeys({ ...requestLogFields(request), messageId: record.messageId, receives });
  try {
    const budget = Math.max(5_000, context.getRemainingTimeInMillis() - FINISHING_MARGIN_MS);
    // The SQS message id is the delivery: a redelivery of this message carries on where it stopped.
    const outcome = await answerRequest(request, record.messageId, worker.deps, {
      finalAttempt: receives >= config.WORKER_MAX_RECEIVES,
      signal: AbortSignal.timeout(budget),
    });
    if (outcome !== 'retry') return 'done';
    await delayRedelivery(worker, record, receives);
    return 'retry';
  } finally {
    log.logger.resetKeys();
  }
}

/**
 * Makes a failed job visible again after a short, growing delay instead of the queue's visibility
 * timeout (which must exceed the worker's timeout, so minutes). Best effort.
 */
async function delayRedelivery(worker: WorkerRuntime, record: SQSRecord, receives: number): Promise<void> {
  try {
    await worker.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: worker.config.QUEUE_URL,
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: RETRY_DELAY_STEP_SECONDS * receives,
      }),
    );
  } catch (error) {
    worker.log.warn('retry delay not set; the queue visibility timeout applies', { error });
  }
}
