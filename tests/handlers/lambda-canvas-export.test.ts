import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  httpApiEvent,
  type LambdaDriver,
  type LambdaWorld,
  lambdaContext,
  startLambdaDriver,
} from '../support/lambda-harness.js';
import {
  buttonClickBody,
  CHANNEL_ID,
  mentionEvent,
  nextTs,
  TEAM_ID,
} from '../support/slack-payload-builders.js';

const CANVAS_ACTION = 'architect_open_canvas';

let world: LambdaWorld;
let lambda: LambdaDriver;
beforeAll(async () => {
  ({ world, lambda } = await startLambdaDriver({ LOG_LEVEL: 'error' }));
});
afterAll(async () => {
  await world.close();
});

describe('"Open as canvas" on Lambda', () => {
  it('the events function acks the click with only the hand-off; the worker creates the canvas and links it', async () => {
    world.anthropic.enqueue({ text: '## API Endpoints\n\n`POST /v1/ledgers`' });
    const rootTs = nextTs();
    await lambda.sendEvent(mentionEvent('<@UBOT> design a ledger service', { ts: rootTs }));
    await lambda.runWorker();
    const answer = world.slack
      .threadMessages(CHANNEL_ID, rootTs)
      .find((message) => JSON.stringify(message.blocks ?? []).includes(CANVAS_ACTION));
    expect(answer).toBeDefined();

    const callsBefore = world.slack.calls.length;
    const clickTs = '1700004000.000001';
    const response = await lambda.events(
      httpApiEvent(
        buttonClickBody(answer ?? { ts: rootTs }, CANVAS_ACTION, clickTs),
        'application/x-www-form-urlencoded',
      ),
      lambdaContext('architect-test-events', 10_000),
    );
    expect(response.statusCode).toBe(200);
    expect(world.slack.calls.length).toBe(callsBefore);
    const [queued] = world.sqs.messages(world.queueUrl);
    expect(queued?.messageGroupId).toBe(`${CHANNEL_ID}-${rootTs}`);
    expect(queued?.messageDeduplicationId).toBe(`export-${CHANNEL_ID}-${answer?.ts}-${clickTs}`);
    expect(JSON.parse(queued?.body ?? '{}')).toMatchObject({
      request: { source: { type: 'export', threadTs: rootTs, clickId: clickTs } },
    });

    const { response: batch } = await lambda.runWorker();
    expect(batch.batchItemFailures).toEqual([]);
    expect(lambda.queued()).toBe(0);
    const [canvas] = [...world.slack.canvases.values()];
    expect(canvas?.title).toBe('design a ledger service');
    expect(canvas?.markdown).toContain('POST /v1/ledgers');
    expect(world.slack.threadMessages(CHANNEL_ID, rootTs).at(-1)?.text).toContain(
      `/docs/${TEAM_ID}/${canvas?.id}|design a ledger service>`,
    );
  });
});
