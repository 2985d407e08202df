// The loopback servers the benchmarked handlers talk to, started in the parent process: the Slack
// Web API and SQS fakes of tests/fakes, and an in-memory dynalite with the thread table.

import { createDynamoDBClients } from '../../src/adapters/dynamodb/create-dynamodb-clients.js';
import { startLocalDynalite } from '../../src/adapters/dynamodb/local-dynalite.js';
import { ensureThreadTable } from '../../src/adapters/dynamodb/thread-table.js';
import { type FakeSlack, startFakeSlack } from '../../tests/fakes/slack-web-api.js';
import { type FakeSqs, startFakeSqs } from '../../tests/fakes/sqs-queue.js';

const SIGNING_SECRET = 'bench-signing-secret';
const BOT_TOKEN = 'xoxb-bench-token';
const TABLE_NAME = 'architect-bench-threads';

export interface BenchWorld {
  readonly slack: FakeSlack;
  readonly sqs: FakeSqs;
  /** The answer queue the events function sends jobs to. */
  readonly queueUrl: string;
  /** A separate queue for the dependency probe, so its messages are not counted as the function's. */
  readonly probeQueueUrl: string;
  /** The answer queue of the burst of thread replies (section 6), counted on its own. */
  readonly burstQueueUrl: string;
  /** The events function's environment, as serverless.yml sets it (secrets as plain variables). */
  readonly eventsEnv: Readonly<Record<string, string>>;
  /** What the bare Bolt app reads. */
  readonly bareEnv: Readonly<Record<string, string>>;
  /** A second no other child used, for the Slack `ts` of a child's posts: every post is a new one. */
  nextPostSeconds(): number;
  close(): Promise<void>;
}

export async function startBenchWorld(): Promise<BenchWorld> {
  const [slack, sqs, dynalite] = await Promise.all([
    startFakeSlack({ botToken: BOT_TOKEN }),
    startFakeSqs(),
    startLocalDynalite(),
  ]);
  const dynamo = createDynamoDBClients({ endpoint: dynalite.endpoint });
  await ensureThreadTable(dynamo.client, TABLE_NAME);
  dynamo.client.destroy();
  const queueUrl = sqs.createQueue('architect-bench-answers.fifo', {
    fifo: true,
    visibilityTimeoutSeconds: 660,
  });
  const probeQueueUrl = sqs.createQueue('architect-bench-probe.fifo', { fifo: true });
  const burstQueueUrl = sqs.createQueue('architect-bench-burst.fifo', {
    fifo: true,
    visibilityTimeoutSeconds: 660,
  });
  const eventsEnv = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    DYNAMODB_ENDPOINT: dynalite.endpoint,
    TABLE_NAME,
    QUEUE_URL: queueUrl,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    POWERTOOLS_SERVICE_NAME: 'architect',
    POWERTOOLS_METRICS_NAMESPACE: 'ArchitectBench',
    LOG_LEVEL: 'info',
  };
  let postSeconds = 1_800_000_000;
  return {
    slack,
    sqs,
    queueUrl,
    probeQueueUrl,
    burstQueueUrl,
    eventsEnv,
    bareEnv: { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN },
    nextPostSeconds() {
      postSeconds += 1;
      return postSeconds;
    },
    async close() {
      await Promise.all([slack.close(), sqs.close(), dynalite.close()]);
    },
  };
}

/** What the events function visibly did in Slack and SQS so far. */
export interface WorkDone {
  /** Jobs in the answer queue. */
  readonly queued: number;
  /** Successful `chat.postMessage` calls in `channel`. */
  readonly posted: number;
}

export function workDone(world: BenchWorld, channel: string, queueUrl = world.queueUrl): WorkDone {
  return {
    queued: world.sqs.messages(queueUrl).length,
    posted: world.slack
      .callsTo('chat.postMessage')
      .filter((call) => call.args.channel === channel && call.status === 200 && call.error === undefined)
      .length,
  };
}
