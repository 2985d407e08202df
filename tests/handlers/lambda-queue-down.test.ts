import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LambdaDriver, type LambdaWorld, startLambdaDriver } from '../support/lambda-harness.js';
import { CHANNEL_ID, mentionEvent } from '../support/slack-payload-builders.js';

let world: LambdaWorld;
let lambda: LambdaDriver;
beforeAll(async () => {
  // A queue URL the fake does not know: SendMessage fails as it would with a deleted queue.
  ({ world, lambda } = await startLambdaDriver({ LOG_LEVEL: 'error' }));
  process.env.QUEUE_URL = `${world.sqs.endpoint}/000000000000/no-such-queue.fifo`;
});
afterAll(async () => {
  await world.close();
});

describe('when the queue refuses the job', () => {
  it('tells the thread, in plain words, to send the request again', async () => {
    const event = mentionEvent('<@UBOT> design a cart');
    const response = await lambda.sendEvent(event);

    expect(response.statusCode).toBe(200);
    const replies = world.slack.threadMessages(CHANNEL_ID, event.ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toContain('send it again');
    expect(world.anthropic.requests).toHaveLength(0);
  });
});
