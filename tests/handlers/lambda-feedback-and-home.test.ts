import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDynamoDBClients } from '../../src/adapters/dynamodb/create-dynamodb-clients.js';
import { type LambdaDriver, type LambdaWorld, startLambdaDriver } from '../support/lambda-harness.js';
import {
  appHomeOpenedEvent,
  CHANNEL_ID,
  feedbackButtonsOf,
  feedbackClickPayload,
  mentionEvent,
  nextTs,
  TEAM_ID,
  USER_ID,
  viewSubmissionPayload,
} from '../support/slack-payload-builders.js';

let world: LambdaWorld;
let lambda: LambdaDriver;
beforeAll(async () => {
  ({ world, lambda } = await startLambdaDriver({
    LOG_LEVEL: 'error',
    POWERTOOLS_METRICS_NAMESPACE: 'Architect',
  }));
});
afterAll(async () => {
  await world.close();
});

/** Runs `action` and returns the names and values of the CloudWatch metrics it printed. */
async function metricsPrintedBy(action: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(...String(chunk).split('\n'));
    return true;
  });
  try {
    await action();
  } finally {
    spy.mockRestore();
  }
  return lines
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A design answered by the worker in a new thread; resolves the thread and the answer's last message. */
async function answeredThread(request: string) {
  world.anthropic.enqueue({ text: '## Service Architecture\n\nOne service.' });
  const rootTs = nextTs();
  await lambda.sendEvent(mentionEvent(`<@UBOT> ${request}`, { ts: rootTs }));
  await lambda.runWorker();
  const last = world.slack.threadMessages(CHANNEL_ID, rootTs).at(-1);
  if (!last) throw new Error('no answer posted');
  return { rootTs, last };
}

describe('events function: feedback and the App Home tab', () => {
  it('acks a thumbs-up, thanks the user privately and counts FeedbackPositive', async () => {
    const { rootTs, last } = await answeredThread('design a ledger service');

    let statusCode: number | undefined;
    const metrics = await metricsPrintedBy(async () => {
      ({ statusCode } = await lambda.sendInteraction(
        feedbackClickPayload(feedbackButtonsOf(last.blocks), 'positive', {
          messageTs: last.ts,
          triggerId: world.slack.newTriggerId(),
          clickTs: '1700006000.000001',
        }),
      ));
    });

    expect(statusCode).toBe(200);
    expect(metrics.some((document) => document.FeedbackPositive === 1)).toBe(true);
    expect(metrics.some((document) => 'FeedbackNegative' in document)).toBe(false);
    const thanks = world.slack.callsTo('chat.postEphemeral').at(-1);
    expect(thanks?.args).toMatchObject({ user: USER_ID, thread_ts: rootTs });
  });

  it('opens the form on thumbs-down within the ack, counts FeedbackNegative, and takes the form back', async () => {
    const { rootTs, last } = await answeredThread('design a search service');

    const metrics = await metricsPrintedBy(() =>
      lambda.sendInteraction(
        feedbackClickPayload(feedbackButtonsOf(last.blocks), 'negative', {
          messageTs: last.ts,
          triggerId: world.slack.newTriggerId(),
          clickTs: '1700006000.000002',
        }),
      ),
    );

    expect(metrics.some((document) => document.FeedbackNegative === 1)).toBe(true);
    const opened = world.slack.openedViews.at(-1);
    expect(opened?.view.callback_id).toBe('architect_feedback_form');
    const response = await lambda.sendInteraction(
      viewSubmissionPayload(opened?.view ?? {}, {
        reasons: { reasons: { type: 'checkboxes', selected_options: [{ value: 'too_long' }] } },
      }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.body ?? '').toBe('');
    // Stored against the answer, over the click's item, in the table the events function writes to.
    const dynamo = createDynamoDBClients({ endpoint: world.env.DYNAMODB_ENDPOINT });
    const { Item } = await dynamo.documentClient.send(
      new GetCommand({
        TableName: world.env.TABLE_NAME ?? '',
        Key: { pk: `THREAD#${CHANNEL_ID}#${rootTs}`, sk: `FEEDBACK#${rootTs}#${USER_ID}` },
      }),
    );
    dynamo.client.destroy();
    expect(Item).toMatchObject({ rating: 'negative', reasons: ['too_long'], clickTs: '1700006000.000002' });
  });

  it("acks the Home tab's opening at once and has the worker publish it with the user's threads", async () => {
    await answeredThread('design a payments gateway');
    const publishesBefore = world.slack.callsTo('views.publish').length;
    const opening = appHomeOpenedEvent();

    const response = await lambda.sendEvent(opening);
    const publishesAtAck = world.slack.callsTo('views.publish').length;
    const queued = world.sqs.messages(world.homeTabQueueUrl).map((message) => JSON.parse(message.body));
    const answerJobs = lambda.queued();
    await lambda.runWorker(600_000, world.homeTabQueueUrl);

    expect(response.statusCode).toBe(200);
    // Nothing read or rendered before the ack: the tab is a job for the worker, on a queue apart from answers.
    expect(publishesAtAck).toBe(publishesBefore);
    expect(answerJobs).toBe(0);
    expect(queued).toEqual([
      { version: 1, homeTab: { teamId: TEAM_ID, userId: USER_ID, openingId: opening.event_ts } },
    ]);
    expect(JSON.stringify(world.slack.homeViewOf(USER_ID))).toContain('|design a payments gateway>');
  });

  it('publishes the Home tab once when Slack delivers its opening twice', async () => {
    const opening = appHomeOpenedEvent();
    const publishesBefore = world.slack.callsTo('views.publish').length;

    await lambda.sendEvent(opening);
    await lambda.sendEvent(opening);
    const queuedJobs = world.sqs.messages(world.homeTabQueueUrl).length;
    await lambda.runWorker(600_000, world.homeTabQueueUrl);

    expect(queuedJobs).toBe(1);
    expect(world.slack.callsTo('views.publish').length).toBe(publishesBefore + 1);
  });
});
