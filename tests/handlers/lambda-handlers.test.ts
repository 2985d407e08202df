import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lastUserText } from '../fakes/anthropic-messages.js';
import {
  type LambdaDriver,
  type LambdaWorld,
  lambdaContext,
  startLambdaDriver,
} from '../support/lambda-harness.js';
import { conversationOf } from '../support/model-requests.js';
import { CHANNEL_ID, mentionEvent, messageEvent, nextTs } from '../support/slack-payload-builders.js';

let world: LambdaWorld;
let lambda: LambdaDriver;
beforeAll(async () => {
  ({ world, lambda } = await startLambdaDriver({ LOG_LEVEL: 'error' }));
});
afterAll(async () => {
  await world.close();
});
beforeEach(() => {
  world.anthropic.defaultReply = { text: 'Default answer.' };
});

/** The bot's messages in a thread, as they read now. */
function thread(threadTs: string, channel = CHANNEL_ID) {
  return world.slack.threadMessages(channel, threadTs);
}

describe('events function', () => {
  it('acks a slash command after posting its root, queues it in that thread, and the worker answers there', async () => {
    world.anthropic.enqueue({ text: '## API Endpoints\n\n`POST /v1/carts`' });
    const response = await lambda.sendCommand('design a shopping cart service');
    expect(response.statusCode).toBe(200);
    const root = world.slack.callsTo('chat.postMessage').find((call) => call.args.thread_ts === undefined);
    expect(String(root?.args.text)).toContain('design a shopping cart service');
    const rootTs =
      [...world.slack.messages.values()].find((message) => message.thread_ts === undefined)?.ts ?? '';
    const [queued] = world.sqs.messages(world.queueUrl);
    expect(queued?.messageGroupId).toBe(`${CHANNEL_ID}-${rootTs}`);
    expect(JSON.parse(queued?.body ?? '{}')).toMatchObject({
      request: {
        text: 'design a shopping cart service',
        source: { type: 'post', postTs: rootTs, threadTs: rootTs },
      },
    });

    await lambda.runWorker();
    const replies = thread(rootTs).filter((message) => message.ts !== rootTs);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0]?.blocks)).toContain('POST /v1/carts');
  });

  it('acks a mention with nothing but the hand-off: one queued request grouped by thread, deduplicated by post', async () => {
    const callsBefore = world.slack.calls.length;
    const event = mentionEvent('<@UBOT> design a notification service');
    const response = await lambda.sendEvent(event);

    expect(response.statusCode).toBe(200);
    expect(world.slack.calls.length).toBe(callsBefore);
    const [queued] = world.sqs.messages(world.queueUrl);
    expect(queued?.messageGroupId).toBe(`${CHANNEL_ID}-${event.ts}`);
    expect(queued?.messageDeduplicationId).toBe(`${CHANNEL_ID}-${event.ts}`);
    await lambda.runWorker();
    expect(thread(event.ts)).toHaveLength(1);
  });

  it('refuses a forged signature with 401 and queues nothing', async () => {
    const before = lambda.queued();
    const response = await lambda.sendEvent(mentionEvent('<@UBOT> design a cart'), {
      signature: `v0=${'1'.repeat(64)}`,
    });
    expect(response.statusCode).toBe(401);
    expect(lambda.queued()).toBe(before);
  });

  it('queues a post once when Slack retries it', async () => {
    const event = mentionEvent('<@UBOT> design a feature flag service');
    const first = await lambda.sendEvent(event, { eventId: 'EvLambdaRetry' });
    const retry = await lambda.sendEvent(event, {
      eventId: 'EvLambdaRetry',
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect([first.statusCode, retry.statusCode]).toEqual([200, 200]);
    expect(lambda.queued()).toBe(1);

    await lambda.runWorker();
    expect(lambda.queued()).toBe(0);
    expect(thread(event.ts)).toHaveLength(1);
    expect(
      world.anthropic.requests.filter((r) => lastUserText(r.body).includes('feature flag')),
    ).toHaveLength(1);
  });

  it('decodes a base64 body as UTF-8, so accents and emoji arrive intact', async () => {
    const event = mentionEvent('<@UBOT> design a café menu service ☕ for 🇫🇷 shops');
    const response = await lambda.sendEvent(event, { base64: true });
    expect(response.statusCode).toBe(200);
    await lambda.runWorker();
    expect(lastUserText(world.anthropic.requests.at(-1)?.body ?? {})).toBe(
      'design a café menu service ☕ for 🇫🇷 shops',
    );
  });

  it('does not queue replies in threads the bot has no part in', async () => {
    const before = lambda.queued();
    await lambda.sendEvent(messageEvent('lunch?', { threadTs: nextTs() }));
    expect(lambda.queued()).toBe(before);
  });
});

describe('worker function', () => {
  it('answers a mention over the placeholder and deletes the job', async () => {
    world.anthropic.enqueue({ text: '## API Endpoints\n\n`POST /v1/carts`' });
    const event = mentionEvent('<@UBOT> design a cart service');
    await lambda.sendEvent(event);

    const { response } = await lambda.runWorker();
    expect(response.batchItemFailures).toEqual([]);
    expect(lambda.queued()).toBe(0);
    const replies = thread(event.ts);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0]?.blocks)).toContain('POST /v1/carts');
  });

  it('answers a follow-up with the thread history', async () => {
    const rootTs = nextTs();
    world.anthropic.enqueue({ text: 'FIRST DESIGN' }, { text: 'Use two regions.' });
    await lambda.sendEvent(mentionEvent('<@UBOT> design a ledger', { ts: rootTs }));
    await lambda.runWorker();
    await lambda.sendEvent(messageEvent('what about multi-region?', { threadTs: rootTs }));
    await lambda.runWorker();

    const messages = conversationOf(world.anthropic.requests.at(-1)?.body);
    expect(messages).toEqual([
      { role: 'user', content: 'design a ledger' },
      { role: 'assistant', content: 'FIRST DESIGN' },
      { role: 'user', content: 'what about multi-region?' },
    ]);
    expect(thread(rootTs)).toHaveLength(2);
  });

  it('does not answer twice when the queue delivers the same job again', async () => {
    const event = mentionEvent('<@UBOT> design a search service');
    await lambda.sendEvent(event);
    const { event: delivered } = await lambda.runWorker();
    const requestsBefore = world.anthropic.requests.length;
    const callsBefore = world.slack.calls.length;

    // The event source delivers the very same record again (e.g. its delete was lost).
    const again = await lambda.worker(delivered, lambdaContext('architect-test-worker'));
    expect(again.batchItemFailures).toEqual([]);
    expect(world.anthropic.requests.length).toBe(requestsBefore);
    expect(world.slack.calls.slice(callsBefore).filter((call) => call.method.startsWith('chat.'))).toEqual(
      [],
    );
    expect(thread(event.ts)).toHaveLength(1);
  });

  it('drops a second delivery of a post that the queue did not deduplicate (after its 5-minute window)', async () => {
    const event = mentionEvent('<@UBOT> design a rate limiter');
    await lambda.sendEvent(event);
    await lambda.runWorker();
    const requestsBefore = world.anthropic.requests.length;

    // Slack's last retry comes about 5 minutes later, when FIFO deduplication may have expired.
    const [sent] = world.sqs.calls.filter((call) => call.operation === 'SendMessage').slice(-1);
    await new SQSClient({
      endpoint: world.sqs.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    }).send(
      new SendMessageCommand({
        QueueUrl: world.queueUrl,
        MessageBody: String(sent?.input.MessageBody),
        MessageGroupId: String(sent?.input.MessageGroupId),
        MessageDeduplicationId: `${String(sent?.input.MessageDeduplicationId)}-later`,
      }),
    );
    const { response } = await lambda.runWorker();

    expect(response.batchItemFailures).toEqual([]);
    expect(world.anthropic.requests.length).toBe(requestsBefore);
    expect(thread(event.ts)).toHaveLength(1);
  });

  it('retries a transient failure through the queue after a short delay, then answers once', async () => {
    world.anthropic.enqueue({ httpError: 529 }, { text: 'Answer after the retry.' });
    const event = mentionEvent('<@UBOT> design a payments service');
    await lambda.sendEvent(event);

    const first = await lambda.runWorker();
    expect(first.response.batchItemFailures).toEqual([{ itemIdentifier: first.event.Records[0]?.messageId }]);
    const visibility = world.sqs.calls.filter((call) => call.operation === 'ChangeMessageVisibility').at(-1);
    expect(visibility?.input.VisibilityTimeout).toBe(30);
    expect(JSON.stringify(thread(event.ts))).toContain('Trying again');

    world.sqs.makeVisibleNow(world.queueUrl);
    const second = await lambda.runWorker();
    expect(second.event.Records[0]?.attributes.ApproximateReceiveCount).toBe('2');
    expect(second.response.batchItemFailures).toEqual([]);
    const replies = thread(event.ts);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0])).toContain('Answer after the retry.');
    expect(JSON.stringify(replies[0])).not.toContain('Trying again');
  });

  it('posts the friendly failure on the last attempt and takes the job off the queue', async () => {
    world.anthropic.enqueue({ httpError: 529 }, { httpError: 529 }, { httpError: 529 });
    const event = mentionEvent('<@UBOT> design an inventory service');
    await lambda.sendEvent(event);

    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const { response } = await lambda.runWorker();
      expect(response.batchItemFailures).toHaveLength(attempt < 3 ? 1 : 0);
      world.sqs.makeVisibleNow(world.queueUrl);
    }
    expect(lambda.queued()).toBe(0);
    expect(world.sqs.messages(world.deadLetterQueueUrl)).toHaveLength(0);
    const replies = thread(event.ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toContain('overloaded');
    expect(replies[0]?.text).toContain('request is saved');
  });

  it('after a crash half-way through posting, posts only the parts that are missing', async () => {
    const long = Array.from({ length: 3 }, (_, section) =>
      [
        `## Section ${section}`,
        ...Array.from({ length: 120 }, (_, i) => `- line ${section}.${i} ${'x'.repeat(60)}`),
      ].join('\n'),
    ).join('\n\n');
    world.anthropic.enqueue({ text: long, chunkSize: 4_000 });
    const event = mentionEvent('<@UBOT> design a big system');
    await lambda.sendEvent(event);
    // The worker posts the placeholder, part 1 replaces it and part 2 is posted; Slack then refuses part 3
    // (the client's own retries included).
    world.slack.failNext('chat.postMessage', { status: 503 }, { after: 2, times: 4 });

    const first = await lambda.runWorker();
    expect(first.response.batchItemFailures).toHaveLength(1);
    expect(thread(event.ts)).toHaveLength(2);

    world.sqs.makeVisibleNow(world.queueUrl);
    await lambda.runWorker();
    const replies = thread(event.ts);
    const shown = JSON.stringify(replies);
    for (const line of ['line 0.0 ', 'line 1.119 ', 'line 2.119 '])
      expect(shown.split(line).length - 1).toBe(1);
    expect(
      world.anthropic.requests.filter((r) => lastUserText(r.body) === 'design a big system'),
    ).toHaveLength(1);
  });
});
