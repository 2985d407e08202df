import { createHash } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  SQSServiceException,
} from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeSqs, md5OfAttributes, startFakeSqs } from './sqs-queue.js';

const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);
const FIVE_MINUTES_MS = 5 * 60 * 1000;

let clock: number;
let fake: FakeSqs;
let client: SQSClient;

beforeEach(async () => {
  clock = T0;
  fake = await startFakeSqs({ now: () => clock });
  client = clientFor(fake);
});

afterEach(async () => {
  client.destroy();
  await fake.close();
  vi.unstubAllEnvs();
});

/** The real SQSClient pointed at the fake, with dummy credentials and no retries. */
function clientFor(target: FakeSqs): SQSClient {
  return new SQSClient({
    endpoint: target.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** Rejection of `promise`, failing the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected the call to fail'),
    (error: unknown) => error,
  );
}

describe('fake SQS: queues and wire protocol', () => {
  it('creates a queue through CreateQueue and finds its URL again through GetQueueUrl', async () => {
    const created = await client.send(
      new CreateQueueCommand({ QueueName: 'jobs.fifo', Attributes: { FifoQueue: 'true' } }),
    );
    const found = await client.send(new GetQueueUrlCommand({ QueueName: 'jobs.fifo' }));

    expect(created.QueueUrl).toBe(`${fake.endpoint}/000000000000/jobs.fifo`);
    expect(found.QueueUrl).toBe(created.QueueUrl);
  });

  it('raises QueueDoesNotExist from the SDK for a queue that was never created', async () => {
    const error = await rejectionOf(client.send(new GetQueueUrlCommand({ QueueName: 'missing' })));

    expect(error).toBeInstanceOf(QueueDoesNotExist);
    expect(error).toMatchObject({ name: 'QueueDoesNotExist', $metadata: { httpStatusCode: 400 } });
  });

  it('answers errors with a __type body and, in query mode, the x-amzn-query-error header', async () => {
    const response = await fetch(`${fake.endpoint}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AmazonSQS.GetQueueUrl',
        'x-amzn-query-mode': 'true',
      },
      body: JSON.stringify({ QueueName: 'missing' }),
    });

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-query-error')).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
    expect(await response.json()).toEqual({
      __type: 'com.amazonaws.sqs#QueueDoesNotExist',
      message: 'The specified queue does not exist.',
    });
  });

  it('is found by a client configured only through AWS_ENDPOINT_URL_SQS', async () => {
    const queueUrl = fake.createQueue('env-configured');
    vi.stubEnv('AWS_ENDPOINT_URL_SQS', fake.endpoint);
    const envClient = new SQSClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });

    try {
      await envClient.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'via env' }));
    } finally {
      envClient.destroy();
    }

    expect(fake.messages(queueUrl).map((m) => m.body)).toEqual(['via env']);
  });

  it('records every call with its operation and input', async () => {
    const queueUrl = fake.createQueue('recorded');

    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'hello' }));
    await rejectionOf(client.send(new GetQueueUrlCommand({ QueueName: 'nope' })));

    expect(fake.calls).toEqual([
      { operation: 'SendMessage', input: { QueueUrl: queueUrl, MessageBody: 'hello' } },
      { operation: 'GetQueueUrl', input: { QueueName: 'nope' }, error: 'QueueDoesNotExist' },
    ]);
  });
});

describe('fake SQS: sending', () => {
  it('returns the real MD5 of a UTF-8 body, which the SDK checks on send and on receive', async () => {
    const queueUrl = fake.createQueue('checksums');
    const body = 'déjà vu 🧱 — architecture';

    const sent = await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    const received = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));

    expect(sent.MD5OfMessageBody).toBe(md5(body));
    expect(received.Messages?.[0]).toMatchObject({ Body: body, MD5OfBody: md5(body) });
  });

  it('computes MD5OfMessageAttributes the way SQS does', async () => {
    const queueUrl = fake.createQueue('attributes');

    const sent = await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: 'with attributes',
        MessageAttributes: {
          ordinal: { DataType: 'Number', StringValue: '1' },
          category: { DataType: 'String', StringValue: 'test' },
        },
      }),
    );

    // Known answer from wcharczuk/sqslite md5_test.go, which aws-sdk-go-v2's own checksum check accepts.
    expect(sent.MD5OfMessageAttributes).toBe('d21ae90c49061e927f57df5f5d72be1f');
    expect(md5OfAttributes({})).toBeUndefined();
  });

  it('refuses a FIFO message without MessageGroupId with MissingParameter', async () => {
    const queueUrl = fake.createQueue('jobs.fifo', { fifo: true });

    const error = await rejectionOf(
      client.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageDeduplicationId: 'd1' }),
      ),
    );

    expect(error).toBeInstanceOf(SQSServiceException);
    expect(error).toMatchObject({
      name: 'MissingParameter',
      message: 'The request must contain the parameter MessageGroupId.',
    });
    expect(fake.messages(queueUrl)).toEqual([]);
  });

  it('refuses a FIFO message without a deduplication id when content-based deduplication is off', async () => {
    const queueUrl = fake.createQueue('jobs.fifo', { fifo: true });

    const error = await rejectionOf(
      client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageGroupId: 'g' })),
    );

    expect(error).toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('answers a duplicate deduplication id with the original MessageId and enqueues the message once', async () => {
    const queueUrl = fake.createQueue('jobs.fifo', { fifo: true });
    const message = {
      QueueUrl: queueUrl,
      MessageBody: 'job',
      MessageGroupId: 'T1',
      MessageDeduplicationId: 'ev-1',
    };

    const first = await client.send(new SendMessageCommand(message));
    clock += FIVE_MINUTES_MS - 1;
    const second = await client.send(new SendMessageCommand(message));

    expect(second.MessageId).toBe(first.MessageId);
    expect(second.SequenceNumber).toBe(first.SequenceNumber);
    expect(fake.messages(queueUrl)).toHaveLength(1);
  });

  it('enqueues a deduplication id again once its five-minute window has passed', async () => {
    const queueUrl = fake.createQueue('jobs.fifo', { fifo: true });
    const message = {
      QueueUrl: queueUrl,
      MessageBody: 'job',
      MessageGroupId: 'T1',
      MessageDeduplicationId: 'ev-1',
    };

    const first = await client.send(new SendMessageCommand(message));
    clock += FIVE_MINUTES_MS;
    const second = await client.send(new SendMessageCommand(message));

    expect(second.MessageId).not.toBe(first.MessageId);
    expect(fake.messages(queueUrl)).toHaveLength(2);
  });

  it('deduplicates by the SHA-256 of the body on a queue with content-based deduplication', async () => {
    const queueUrl = fake.createQueue('jobs.fifo', { fifo: true, contentBasedDeduplication: true });
    const message = { QueueUrl: queueUrl, MessageBody: 'same body', MessageGroupId: 'T1' };

    const first = await client.send(new SendMessageCommand(message));
    const second = await client.send(new SendMessageCommand(message));

    expect(second.MessageId).toBe(first.MessageId);
    expect(fake.messages(queueUrl)).toEqual([
      expect.objectContaining({
        messageDeduplicationId: createHash('sha256').update('same body').digest('hex'),
      }),
    ]);
  });

  it('gives FIFO messages increasing 20-digit sequence numbers', async () => {
    const queueUrl = fake.createQueue('jobs.fifo', { fifo: true, contentBasedDeduplication: true });

    const first = await client.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'a', MessageGroupId: 'g' }),
    );
    const second = await client.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'b', MessageGroupId: 'g' }),
    );

    expect(first.SequenceNumber).toMatch(/^\d{20}$/);
    expect(BigInt(second.SequenceNumber ?? '0')).toBeGreaterThan(BigInt(first.SequenceNumber ?? '0'));
  });

  it('sends a batch and reports the entries it refused in Failed', async () => {
    const queueUrl = fake.createQueue('jobs.fifo', { fifo: true, contentBasedDeduplication: true });

    const result = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: 'ok', MessageBody: 'kept', MessageGroupId: 'g' },
          { Id: 'no-group', MessageBody: 'refused' },
        ],
      }),
    );

    expect(result.Successful).toEqual([
      expect.objectContaining({
        Id: 'ok',
        MD5OfMessageBody: md5('kept'),
        SequenceNumber: expect.any(String),
      }),
    ]);
    expect(result.Failed).toEqual([
      expect.objectContaining({ Id: 'no-group', SenderFault: true, Code: 'MissingParameter' }),
    ]);
    expect(fake.messages(queueUrl).map((m) => m.body)).toEqual(['kept']);
  });
});

describe('fake SQS: receiving', () => {
  it('returns the requested system attributes of a received message', async () => {
    const queueUrl = fake.createQueue('jobs.fifo', { fifo: true });
    await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: 'x',
        MessageGroupId: 'T1',
        MessageDeduplicationId: 'd',
      }),
    );

    const { Messages } = await client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageSystemAttributeNames: ['All'] }),
    );

    expect(Messages?.[0]?.Attributes).toEqual({
      SenderId: expect.any(String),
      SentTimestamp: String(T0),
      ApproximateReceiveCount: '1',
      ApproximateFirstReceiveTimestamp: String(T0),
      SequenceNumber: expect.stringMatching(/^\d{20}$/),
      MessageDeduplicationId: 'd',
      MessageGroupId: 'T1',
    });
  });

  it('hides a received message for the visibility timeout and then delivers it again', async () => {
    const queueUrl = fake.createQueue('work');
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' }));
    const receive = () =>
      client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageSystemAttributeNames: ['All'] }));

    await receive();
    const duringTimeout = await receive();
    clock += 30_000;
    const afterTimeout = await receive();

    expect(duringTimeout.Messages).toBeUndefined();
    expect(afterTimeout.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
  });

  it('deletes a received message with its receipt handle', async () => {
    const queueUrl = fake.createQueue('work');
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' }));
    const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));

    await client.send(
      new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: Messages?.[0]?.ReceiptHandle }),
    );

    expect(fake.messages(queueUrl)).toEqual([]);
  });

  it('accepts but ignores a delete with the receipt handle of an earlier receive', async () => {
    const queueUrl = fake.createQueue('work');
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' }));
    const first = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
    fake.makeVisibleNow(queueUrl);
    await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));

    await client.send(
      new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: first.Messages?.[0]?.ReceiptHandle }),
    );

    expect(fake.messages(queueUrl).map((m) => m.receiveCount)).toEqual([2]);
  });

  it('moves a message to the dead-letter queue instead of receiving it beyond maxReceiveCount', async () => {
    const queueUrl = fake.createQueue('work', { maxReceiveCount: 1, deadLetterQueueName: 'work-dlq' });
    const dlqUrl = `${fake.endpoint}/000000000000/work-dlq`;
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'poison' }));
    await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
    fake.makeVisibleNow(queueUrl);

    const second = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));

    expect(second.Messages).toBeUndefined();
    expect(fake.messages(dlqUrl).map((m) => m.body)).toEqual(['poison']);
  });

  it('refuses a receipt handle it never issued with ReceiptHandleIsInvalid', async () => {
    const queueUrl = fake.createQueue('work');

    const error = await rejectionOf(
      client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: 'made-up' })),
    );

    expect(error).toMatchObject({ name: 'ReceiptHandleIsInvalid', $metadata: { httpStatusCode: 404 } });
  });

  it('holds back the rest of a FIFO group while an earlier message of it is in flight', async () => {
    const queueUrl = fake.createQueue('jobs.fifo', { fifo: true, contentBasedDeduplication: true });
    for (const [body, group] of [
      ['a1', 'A'],
      ['a2', 'A'],
      ['b1', 'B'],
    ] as const) {
      await client.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageGroupId: group }),
      );
    }
    const receiveBodies = async () =>
      (
        await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1 }))
      ).Messages?.map((m) => m.Body);

    const first = await receiveBodies();
    const second = await receiveBodies();
    const third = await receiveBodies();

    expect([first, second, third]).toEqual([['a1'], ['b1'], undefined]);
  });

  it('reports visible and in-flight counts through GetQueueAttributes', async () => {
    const queueUrl = fake.createQueue('work');
    for (const body of ['a', 'b', 'c']) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    }
    await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));

    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );

    expect(Attributes).toEqual({
      ApproximateNumberOfMessages: '2',
      ApproximateNumberOfMessagesNotVisible: '1',
    });
  });

  it('answers a long poll as soon as a message arrives during WaitTimeSeconds', async () => {
    const queueUrl = fake.createQueue('work');
    const started = Date.now();

    const polling = client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 5 }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'late' }));
    const { Messages } = await polling;

    expect(Messages?.map((m) => m.Body)).toEqual(['late']);
    expect(Date.now() - started).toBeLessThan(4000);
  });
});

describe('fake SQS: Lambda event source', () => {
  it('delivers the next visible message as the SQS event Lambda would build', async () => {
    const queueUrl = fake.createQueue('jobs.fifo', { fifo: true });
    const sent = await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: '{"job":1}',
        MessageGroupId: 'T1',
        MessageDeduplicationId: 'ev-1',
      }),
    );

    const event = fake.takeLambdaEvent(queueUrl);

    expect(event).toEqual({
      Records: [
        {
          messageId: sent.MessageId,
          receiptHandle: expect.any(String),
          body: '{"job":1}',
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: String(T0),
            SenderId: expect.any(String),
            ApproximateFirstReceiveTimestamp: String(T0),
            SequenceNumber: sent.SequenceNumber,
            MessageGroupId: 'T1',
            MessageDeduplicationId: 'ev-1',
          },
          messageAttributes: {},
          md5OfBody: md5('{"job":1}'),
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:jobs.fifo',
          awsRegion: 'us-east-1',
        },
      ],
    });
    expect(fake.messages(queueUrl)[0]?.receiveCount).toBe(1);
  });

  it('passes message attributes to the Lambda record in its camelCase shape', async () => {
    const queueUrl = fake.createQueue('work');
    const attributes = { traceId: { DataType: 'String', StringValue: 'abc' } };
    const sent = await client.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageAttributes: attributes }),
    );

    const record = fake.takeLambdaEvent(queueUrl).Records[0];

    expect(record?.messageAttributes).toEqual({
      traceId: { stringValue: 'abc', stringListValues: [], binaryListValues: [], dataType: 'String' },
    });
    expect(record?.md5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
  });

  it('throws when no message is deliverable, as Lambda would not invoke the function', () => {
    const queueUrl = fake.createQueue('empty');

    expect(() => fake.takeLambdaEvent(queueUrl)).toThrow(/no deliverable message in empty/);
  });

  it('deletes the records a batch did not report as failures', async () => {
    const queueUrl = fake.createQueue('work');
    for (const body of ['ok', 'fails']) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    }
    const event = fake.takeLambdaEvent(queueUrl, { batchSize: 2 });
    const failing = event.Records.find((record) => record.body === 'fails');

    fake.settleLambdaBatch(queueUrl, event, {
      batchItemFailures: [{ itemIdentifier: failing?.messageId ?? '' }],
    });

    expect(fake.messages(queueUrl).map((m) => m.body)).toEqual(['fails']);
  });

  it('deletes the whole batch when the function returned nothing', async () => {
    const queueUrl = fake.createQueue('work');
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' }));
    const event = fake.takeLambdaEvent(queueUrl);

    fake.settleLambdaBatch(queueUrl, event, undefined);

    expect(fake.messages(queueUrl)).toEqual([]);
  });

  it('keeps the whole batch when the function threw', async () => {
    const queueUrl = fake.createQueue('work');
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' }));
    const event = fake.takeLambdaEvent(queueUrl);

    fake.settleLambdaBatch(queueUrl, event, new Error('boom'));

    expect(fake.messages(queueUrl).map((m) => m.body)).toEqual(['x']);
  });

  it('fails the whole batch when batchItemFailures names a message outside it', async () => {
    const queueUrl = fake.createQueue('work');
    for (const body of ['a', 'b']) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    }
    const event = fake.takeLambdaEvent(queueUrl, { batchSize: 2 });

    fake.settleLambdaBatch(queueUrl, event, { batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] });

    expect(fake.messages(queueUrl).map((m) => m.body)).toEqual(['a', 'b']);
  });

  it('redelivers a failed record with an incremented ApproximateReceiveCount', async () => {
    const queueUrl = fake.createQueue('work');
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' }));
    const first = fake.takeLambdaEvent(queueUrl);
    const messageId = first.Records[0]?.messageId ?? '';
    fake.settleLambdaBatch(queueUrl, first, { batchItemFailures: [{ itemIdentifier: messageId }] });
    clock += 1000;

    const second = fake.takeLambdaEvent(queueUrl);

    expect(second.Records[0]).toMatchObject({ messageId, attributes: { ApproximateReceiveCount: '2' } });
    expect(second.Records[0]?.attributes.ApproximateFirstReceiveTimestamp).toBe(String(T0));
    expect(second.Records[0]?.receiptHandle).not.toBe(first.Records[0]?.receiptHandle);
  });

  it('keeps a failed record hidden for the visibility timeout the function set with ChangeMessageVisibility', async () => {
    const queueUrl = fake.createQueue('work');
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' }));
    const event = fake.takeLambdaEvent(queueUrl);
    const record = event.Records[0];
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: record?.receiptHandle,
        VisibilityTimeout: 120,
      }),
    );

    fake.settleLambdaBatch(queueUrl, event, {
      batchItemFailures: [{ itemIdentifier: record?.messageId ?? '' }],
    });

    expect(() => fake.takeLambdaEvent(queueUrl)).toThrow(/no deliverable message/);
    clock += 120_000;
    expect(fake.takeLambdaEvent(queueUrl).Records[0]?.attributes.ApproximateReceiveCount).toBe('2');
  });

  it('ends a visibility timeout at once through makeVisibleNow', async () => {
    const queueUrl = fake.createQueue('work');
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' }));
    fake.takeLambdaEvent(queueUrl);

    fake.makeVisibleNow(queueUrl);

    expect(fake.takeLambdaEvent(queueUrl).Records[0]?.attributes.ApproximateReceiveCount).toBe('2');
  });

  it('moves a record that fails at maxReceiveCount to the dead-letter queue', async () => {
    const queueUrl = fake.createQueue('jobs.fifo', {
      fifo: true,
      maxReceiveCount: 2,
      deadLetterQueueName: 'jobs-dlq.fifo',
    });
    const dlqUrl = `${fake.endpoint}/000000000000/jobs-dlq.fifo`;
    await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: 'poison',
        MessageGroupId: 'g',
        MessageDeduplicationId: 'p',
      }),
    );
    const failEveryRecord = () => {
      const event = fake.takeLambdaEvent(queueUrl);
      const failures = event.Records.map((record) => ({ itemIdentifier: record.messageId }));
      fake.settleLambdaBatch(queueUrl, event, { batchItemFailures: failures });
    };

    failEveryRecord();
    const afterFirstFailure = fake.messages(dlqUrl);
    failEveryRecord();

    expect(afterFirstFailure).toEqual([]);
    expect(fake.messages(queueUrl)).toEqual([]);
    expect(fake.messages(dlqUrl)).toEqual([
      expect.objectContaining({
        body: 'poison',
        receiveCount: 2,
        deadLetterSourceArn: 'arn:aws:sqs:us-east-1:000000000000:jobs.fifo',
      }),
    ]);
  });
});
