// Child process: times single calls to each dependency the events function uses, made alone and
// sequentially with the same client code the function uses, against the same loopback servers.
//   DynamoDB: one conditional PutItem through the DocumentClient (the "one DynamoDB write" of the target);
//   SQS: SqsJobDispatcher.dispatch (one SendMessage to a FIFO queue);
//   Slack: chat.postMessage of a placeholder-sized message through WebClient.

import { writeFileSync } from 'node:fs';
import { SQSClient } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { WebClient } from '@slack/web-api';
import { createDynamoDBClients } from '../../src/adapters/dynamodb/create-dynamodb-clients.js';
import { SqsJobDispatcher } from '../../src/adapters/sqs/sqs-job-dispatcher.js';
import { SLACK_RETRY_CONFIG } from '../../src/slack/slack-client-options.js';
import { placeholderText } from '../../src/slack/user-messages.js';
import {
  CHILD_SETTINGS,
  countSetting,
  type DependencyCallsResult,
  PROBE_CHANNEL,
  postTs,
  requiredSetting,
} from './child-protocol.js';

/** Makes `warmup` untimed calls, then `requests` timed ones; `index` counts from 1 across both. */
async function timeEach(
  warmup: number,
  requests: number,
  call: (index: number, timed: boolean) => Promise<unknown>,
): Promise<number[]> {
  let index = 0;
  for (let round = 0; round < warmup; round += 1) {
    index += 1;
    await call(index, false);
  }
  const times: number[] = [];
  for (let round = 0; round < requests; round += 1) {
    index += 1;
    const started = performance.now();
    await call(index, true);
    times.push(performance.now() - started);
  }
  return times;
}

async function main(): Promise<void> {
  const seconds = countSetting(CHILD_SETTINGS.tsSeconds);
  const warmup = countSetting(CHILD_SETTINGS.warmup);
  const requests = countSetting(CHILD_SETTINGS.requests);

  const { documentClient } = createDynamoDBClients({
    endpoint: requiredSetting('DYNAMODB_ENDPOINT'),
    region: requiredSetting('AWS_REGION'),
  });
  const tableName = requiredSetting('TABLE_NAME');
  let putItemWritten = 0;
  const putItemMs = await timeEach(warmup, requests, async (index, timed) => {
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: `BENCH#${PROBE_CHANNEL}#${postTs(seconds, index)}`,
          sk: 'CLAIM',
          expiresAt: seconds + 86_400,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    if (timed) putItemWritten += 1;
  });

  const dispatcher = new SqsJobDispatcher({
    client: new SQSClient({}),
    queueUrl: requiredSetting('QUEUE_URL'),
  });
  const sendMessageMs = await timeEach(warmup, requests, (index) => {
    const ts = postTs(seconds, index);
    return dispatcher.dispatch({
      teamId: 'T123',
      channelId: PROBE_CHANNEL,
      userId: 'U0ALICE',
      text: 'design a rate limiter for a public REST API',
      kind: 'request',
      source: { type: 'post', postTs: ts, threadTs: ts },
    });
  });

  const slack = new WebClient(requiredSetting('SLACK_BOT_TOKEN'), {
    slackApiUrl: requiredSetting('SLACK_API_URL'),
    retryConfig: SLACK_RETRY_CONFIG,
  });
  const postMessageMs = await timeEach(warmup, requests, (index) => {
    const text = placeholderText('request');
    return slack.chat.postMessage({
      channel: PROBE_CHANNEL,
      thread_ts: postTs(seconds, index),
      text,
      blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }],
    });
  });

  const result: DependencyCallsResult = { putItemMs, putItemWritten, sendMessageMs, postMessageMs };
  writeFileSync(requiredSetting(CHILD_SETTINGS.resultFile), JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
