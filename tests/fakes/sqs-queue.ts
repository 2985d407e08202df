import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { BodyTooLargeError, readRequestBody, sleep, startLoopbackHttpServer } from './loopback-http.js';

/** Account id in every queue URL and ARN the fake hands out. */
export const FAKE_SQS_ACCOUNT_ID = '000000000000';
/** Region in every queue ARN and Lambda record. */
export const FAKE_SQS_REGION = 'us-east-1';

/** A message attribute as it travels on the AWS JSON wire (`BinaryValue` base64). */
export interface SqsMessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

/** Options of {@link FakeSqs.createQueue}. */
export interface FakeSqsQueueOptions {
  /** A FIFO queue; its name must end in `.fifo`. */
  fifo?: boolean;
  contentBasedDeduplication?: boolean;
  /** Default 30, as SQS. */
  visibilityTimeoutSeconds?: number;
  /** Redrive to `deadLetterQueueName` once a message failed this many receives. Needs `deadLetterQueueName`. */
  maxReceiveCount?: number;
  /** Created (same FIFO-ness) when it does not exist yet. */
  deadLetterQueueName?: string;
}

/** A snapshot of one message the fake holds. */
export interface FakeSqsMessage {
  messageId: string;
  body: string;
  messageAttributes: Record<string, SqsMessageAttribute>;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  sequenceNumber?: string;
  receiveCount: number;
  sentTimestamp: number;
  /** Fake-clock ms from which the message can be received; at or before now when it is visible. */
  visibleAt: number;
  /** ARN of the queue a dead-lettered message came from. */
  deadLetterSourceArn?: string;
}

/** One SQS API call as the fake received it. */
export interface RecordedSqsCall {
  /** The operation from `X-Amz-Target: AmazonSQS.<operation>`. */
  operation: string;
  input: Record<string, unknown>;
  /** The error type the fake answered with, e.g. `QueueDoesNotExist`. */
  error?: string;
}

/** What a Lambda function returned for a batch: its batch response, nothing (all succeeded), or the error it threw. */
export type LambdaBatchOutcome = SQSBatchResponse | undefined | Error;

/** A running fake SQS; see {@link startFakeSqs}. */
export interface FakeSqs {
  /** `http://127.0.0.1:<port>`, for `new SQSClient({ endpoint })` or `AWS_ENDPOINT_URL_SQS`. */
  readonly endpoint: string;
  readonly calls: readonly RecordedSqsCall[];
  /** Creates (or returns, when identical) a queue and returns its URL `<endpoint>/000000000000/<name>`. */
  createQueue(name: string, options?: FakeSqsQueueOptions): string;
  /** All messages in the queue in arrival order, visible or not. */
  messages(queueUrl: string): FakeSqsMessage[];
  /**
   * Receives the next deliverable messages (default 1, at most 10) the way Lambda's SQS event source does and
   * returns them as the `SQSEvent` it would invoke the function with; throws when nothing is deliverable.
   */
  takeLambdaEvent(queueUrl: string, options?: { batchSize?: number }): SQSEvent;
  /** Does what the event source does after the function returned; see the model at {@link startFakeSqs}. */
  settleLambdaBatch(queueUrl: string, event: SQSEvent, outcome: LambdaBatchOutcome): void;
  /** Ends every visibility timeout and delay in the queue now, instead of waiting for them. */
  makeVisibleNow(queueUrl: string): void;
  close(): Promise<void>;
}

/** Options of {@link startFakeSqs}. */
export interface FakeSqsOptions {
  /** The clock for sent timestamps, visibility and the deduplication window. Default `Date.now`. */
  now?: () => number;
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;
const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;
const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;
const MAX_WAIT_TIME_SECONDS = 20;
const MAX_DELAY_SECONDS = 900;
const MAX_BATCH_ENTRIES = 10;
const MAX_MESSAGE_ATTRIBUTES = 10;
const LONG_POLL_INTERVAL_MS = 10;
const SENDER_ID = 'AIDAFAKESQSSENDER0000';
const FIRST_SEQUENCE_NUMBER = 10_000_000_000_000_000_000n;
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const SYSTEM_ATTRIBUTE_NAMES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'DeadLetterQueueSourceArn',
] as const;

// Error types the SDK's SQS model knows, with the awsQuery code it matches them by (x-amzn-query-error).
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html
const SQS_ERRORS = {
  QueueDoesNotExist: { queryCode: 'AWS.SimpleQueueService.NonExistentQueue', status: 400 },
  QueueNameExists: { queryCode: 'QueueAlreadyExists', status: 400 },
  InvalidAddress: { queryCode: 'InvalidAddress', status: 404 },
  ReceiptHandleIsInvalid: { queryCode: 'ReceiptHandleIsInvalid', status: 404 },
  MessageNotInflight: { queryCode: 'AWS.SimpleQueueService.MessageNotInflight', status: 400 },
  InvalidAttributeName: { queryCode: 'InvalidAttributeName', status: 400 },
  EmptyBatchRequest: { queryCode: 'AWS.SimpleQueueService.EmptyBatchRequest', status: 400 },
  TooManyEntriesInBatchRequest: {
    queryCode: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
    status: 400,
  },
  BatchEntryIdsNotDistinct: { queryCode: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', status: 400 },
  UnsupportedOperation: { queryCode: 'AWS.SimpleQueueService.UnsupportedOperation', status: 400 },
  // Not in the SDK's model: it raises them as SQSServiceException with this `name`.
  MissingParameter: { queryCode: 'MissingParameter', status: 400 },
  InvalidParameterValue: { queryCode: 'InvalidParameterValue', status: 400 },
} as const;
type SqsErrorType = keyof typeof SQS_ERRORS;

/** An SQS error answer: HTTP status, `__type` and `x-amzn-query-error` come from {@link SQS_ERRORS}. */
class SqsApiError extends Error {
  constructor(
    readonly type: SqsErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'SqsApiError';
  }
}

interface StoredMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  messageAttributes: Record<string, SqsMessageAttribute>;
  md5OfMessageAttributes: string | undefined;
  messageGroupId: string | undefined;
  messageDeduplicationId: string | undefined;
  sequenceNumber: string | undefined;
  sentAt: number;
  firstReceivedAt: number | undefined;
  receiveCount: number;
  visibleAt: number;
  /** The handle of the latest receive; only it deletes or changes visibility. */
  receiptHandle: string | undefined;
  /** ChangeMessageVisibility ran since the latest receive. */
  visibilityChanged: boolean;
  deadLetterSourceArn: string | undefined;
}

interface Queue {
  name: string;
  url: string;
  arn: string;
  fifo: boolean;
  contentBasedDeduplication: boolean;
  visibilityTimeoutSeconds: number;
  redrive: { deadLetterQueueName: string; maxReceiveCount: number } | undefined;
  /** The attributes it was created with, to tell an identical CreateQueue from a conflicting one. */
  createdWith: Record<string, string>;
  createdAt: number;
  messages: StoredMessage[];
  deduplication: Map<string, { messageId: string; sequenceNumber: string | undefined; expiresAt: number }>;
  nextSequenceNumber: bigint;
}

interface SendEntry {
  MessageBody?: unknown;
  DelaySeconds?: unknown;
  MessageAttributes?: unknown;
  MessageDeduplicationId?: unknown;
  MessageGroupId?: unknown;
}

type Operation = (input: Record<string, unknown>, closing: AbortSignal) => Promise<Record<string, unknown>>;

/**
 * Starts a fake of Amazon SQS on 127.0.0.1 speaking AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.<Operation>`), the
 * protocol `@aws-sdk/client-sqs` 3.1169 uses, with its awsQuery-compatible error header.
 *
 * Model: a message is visible when its `visibleAt` (fake-clock ms) is not in the future. A receive (ReceiveMessage
 * or {@link FakeSqs.takeLambdaEvent}) counts the receive, issues a new receipt handle and hides the message for the
 * visibility timeout. On a FIFO queue only the oldest messages of a group are deliverable, and none while an
 * earlier one of the group is hidden. {@link FakeSqs.settleLambdaBatch} deletes the records the function did not
 * report as failures; a failed record moves to the dead-letter queue when its receive count has reached
 * `maxReceiveCount`, otherwise it is visible again at once (the queue's visibility timeout is treated as elapsed)
 * unless the function set a visibility with ChangeMessageVisibility during the delivery, which is kept. Receiving a
 * message whose receive count already reached `maxReceiveCount` moves it to the dead-letter queue as SQS does.
 */
export async function startFakeSqs(options: FakeSqsOptions = {}): Promise<FakeSqs> {
  const now = options.now ?? Date.now;
  const calls: RecordedSqsCall[] = [];
  const queues = new Map<string, Queue>();
  const receiptHandles = new Map<string, { queueName: string; messageId: string }>();
  let endpoint = '';

  const queueByUrl = (queueUrl: unknown): Queue => {
    if (typeof queueUrl !== 'string' || queueUrl === '') {
      throw new SqsApiError('MissingParameter', 'The request must contain the parameter QueueUrl.');
    }
    let path: string;
    try {
      path = new URL(queueUrl).pathname;
    } catch {
      throw new SqsApiError('InvalidAddress', `The address ${queueUrl} is not valid for this endpoint.`);
    }
    const [, account, name, ...rest] = path.split('/');
    const queue = account === FAKE_SQS_ACCOUNT_ID && rest.length === 0 ? queues.get(name ?? '') : undefined;
    if (!queue) throw new SqsApiError('QueueDoesNotExist', 'The specified queue does not exist.');
    return queue;
  };

  const createQueue = (name: string, attributes: Record<string, string>): Queue => {
    const existing = queues.get(name);
    if (existing) {
      const conflict = Object.keys(attributes).find((key) => attributes[key] !== existing.createdWith[key]);
      if (conflict !== undefined) {
        throw new SqsApiError(
          'QueueNameExists',
          `A queue already exists with the same name and a different value for attribute ${conflict}`,
        );
      }
      return existing;
    }
    const fifo = attributes.FifoQueue === 'true';
    const baseName = fifo ? name.replace(/\.fifo$/, '') : name;
    if (
      (fifo && !name.endsWith('.fifo')) ||
      (!fifo && name.endsWith('.fifo')) ||
      !QUEUE_NAME.test(baseName)
    ) {
      throw new SqsApiError(
        'InvalidParameterValue',
        'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length. ' +
          'A FIFO queue name must end with the .fifo suffix and needs the FifoQueue attribute.',
      );
    }
    const visibilityTimeoutSeconds = integerAttribute(
      attributes,
      'VisibilityTimeout',
      0,
      MAX_VISIBILITY_TIMEOUT_SECONDS,
      DEFAULT_VISIBILITY_TIMEOUT_SECONDS,
    );
    const queue: Queue = {
      name,
      url: `${endpoint}/${FAKE_SQS_ACCOUNT_ID}/${name}`,
      arn: queueArn(name),
      fifo,
      contentBasedDeduplication: attributes.ContentBasedDeduplication === 'true',
      visibilityTimeoutSeconds,
      redrive:
        attributes.RedrivePolicy === undefined ? undefined : parseRedrivePolicy(attributes.RedrivePolicy),
      createdWith: { ...attributes },
      createdAt: now(),
      messages: [],
      deduplication: new Map(),
      nextSequenceNumber: FIRST_SEQUENCE_NUMBER,
    };
    if (queue.contentBasedDeduplication && !fifo) {
      throw new SqsApiError('InvalidAttributeName', 'Unknown Attribute ContentBasedDeduplication.');
    }
    if (queue.redrive) {
      const deadLetterQueue = queues.get(queue.redrive.deadLetterQueueName);
      if (!deadLetterQueue || deadLetterQueue.fifo !== fifo) {
        throw new SqsApiError(
          'InvalidParameterValue',
          `Value ${attributes.RedrivePolicy} for parameter RedrivePolicy is invalid. Reason: Dead letter target ` +
            (deadLetterQueue ? 'must be the same type of queue.' : 'does not exist.'),
        );
      }
    }
    queues.set(name, queue);
    return queue;
  };

  const enqueue = (queue: Queue, entry: SendEntry) => {
    const body = requiredString(entry, 'MessageBody');
    const delaySeconds = optionalInteger(entry, 'DelaySeconds', 0, MAX_DELAY_SECONDS) ?? 0;
    const messageAttributes = parseMessageAttributes(entry.MessageAttributes);
    const messageGroupId = optionalString(entry, 'MessageGroupId');
    let messageDeduplicationId = optionalString(entry, 'MessageDeduplicationId');
    const md5OfMessageBody = md5Hex(body);
    const md5OfMessageAttributes = md5OfAttributes(messageAttributes);
    if (queue.fifo) {
      if (delaySeconds > 0) throw notForThisQueueType('DelaySeconds', delaySeconds);
      if (messageGroupId === undefined) {
        throw new SqsApiError('MissingParameter', 'The request must contain the parameter MessageGroupId.');
      }
      if (messageDeduplicationId === undefined) {
        if (!queue.contentBasedDeduplication) {
          throw new SqsApiError(
            'InvalidParameterValue',
            'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
          );
        }
        messageDeduplicationId = createHash('sha256').update(body, 'utf8').digest('hex');
      }
    } else if (messageDeduplicationId !== undefined) {
      throw notForThisQueueType('MessageDeduplicationId', messageDeduplicationId);
    }
    const sentAt = now();
    const results = { MD5OfMessageBody: md5OfMessageBody, MD5OfMessageAttributes: md5OfMessageAttributes };
    if (messageDeduplicationId !== undefined) {
      const seen = queue.deduplication.get(messageDeduplicationId);
      // A duplicate inside the 5-minute window is accepted but not enqueued again:
      // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/using-messagededuplicationid-property.html
      if (seen && seen.expiresAt > sentAt) {
        return { ...results, MessageId: seen.messageId, SequenceNumber: seen.sequenceNumber };
      }
    }
    const message: StoredMessage = {
      messageId: randomUUID(),
      body,
      md5OfBody: md5OfMessageBody,
      messageAttributes,
      md5OfMessageAttributes,
      messageGroupId,
      messageDeduplicationId,
      sequenceNumber: queue.fifo ? String(queue.nextSequenceNumber) : undefined,
      sentAt,
      firstReceivedAt: undefined,
      receiveCount: 0,
      visibleAt: sentAt + delaySeconds * 1000,
      receiptHandle: undefined,
      visibilityChanged: false,
      deadLetterSourceArn: undefined,
    };
    if (queue.fifo) queue.nextSequenceNumber += 1n;
    if (messageDeduplicationId !== undefined) {
      queue.deduplication.set(messageDeduplicationId, {
        messageId: message.messageId,
        sequenceNumber: message.sequenceNumber,
        expiresAt: sentAt + DEDUPLICATION_WINDOW_MS,
      });
    }
    queue.messages.push(message);
    return { ...results, MessageId: message.messageId, SequenceNumber: message.sequenceNumber };
  };

  const moveToDeadLetterQueue = (queue: Queue, message: StoredMessage, at: number): void => {
    const deadLetterQueue = queue.redrive && queues.get(queue.redrive.deadLetterQueueName);
    if (!deadLetterQueue) return;
    queue.messages = queue.messages.filter((held) => held !== message);
    deadLetterQueue.messages.push({
      ...message,
      visibleAt: at,
      receiptHandle: undefined,
      visibilityChanged: false,
      deadLetterSourceArn: queue.arn,
    });
  };

  /** Receives up to `max` deliverable messages: counts the receive, issues a handle, hides them. */
  const receive = (queue: Queue, max: number, visibilityTimeoutSeconds: number): StoredMessage[] => {
    const at = now();
    const blockedGroups = new Set<string>();
    const received: StoredMessage[] = [];
    for (const message of [...queue.messages]) {
      if (received.length >= max) break;
      const group = queue.fifo ? message.messageGroupId : undefined;
      if (group !== undefined && blockedGroups.has(group)) continue;
      if (message.visibleAt > at) {
        if (group !== undefined) blockedGroups.add(group);
        continue;
      }
      if (queue.redrive && message.receiveCount >= queue.redrive.maxReceiveCount) {
        moveToDeadLetterQueue(queue, message, at);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= at;
      message.visibleAt = at + visibilityTimeoutSeconds * 1000;
      message.receiptHandle = newReceiptHandle();
      message.visibilityChanged = false;
      receiptHandles.set(message.receiptHandle, { queueName: queue.name, messageId: message.messageId });
      received.push(message);
    }
    return received;
  };

  /** The message a receipt handle was issued for, if it is still held; throws for a handle never issued. */
  const messageForHandle = (queue: Queue, receiptHandle: string): StoredMessage | undefined => {
    const issued = receiptHandles.get(receiptHandle);
    if (!issued || issued.queueName !== queue.name) {
      throw new SqsApiError(
        'ReceiptHandleIsInvalid',
        `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`,
      );
    }
    return queue.messages.find((message) => message.messageId === issued.messageId);
  };

  const operations: Record<string, Operation> = {
    CreateQueue: async (input) => {
      const name = requiredString(input, 'QueueName');
      return { QueueUrl: createQueue(name, stringMap(input, 'Attributes')).url };
    },
    GetQueueUrl: async (input) => {
      const queue = queues.get(requiredString(input, 'QueueName'));
      if (!queue) throw new SqsApiError('QueueDoesNotExist', 'The specified queue does not exist.');
      return { QueueUrl: queue.url };
    },
    SendMessage: async (input) => {
      const sent = enqueue(queueByUrl(input.QueueUrl), input);
      return withoutUndefined(sent);
    },
    SendMessageBatch: async (input) => {
      const queue = queueByUrl(input.QueueUrl);
      const entries = batchEntries(input.Entries);
      const Successful: Record<string, unknown>[] = [];
      const Failed: Record<string, unknown>[] = [];
      for (const entry of entries) {
        try {
          Successful.push(withoutUndefined({ Id: entry.Id, ...enqueue(queue, entry) }));
        } catch (error) {
          if (!(error instanceof SqsApiError)) throw error;
          Failed.push({
            Id: entry.Id,
            SenderFault: true,
            Code: SQS_ERRORS[error.type].queryCode,
            Message: error.message,
          });
        }
      }
      return { Successful, Failed };
    },
    ReceiveMessage: async (input, closing) => {
      const queue = queueByUrl(input.QueueUrl);
      const max = optionalInteger(input, 'MaxNumberOfMessages', 1, MAX_BATCH_ENTRIES) ?? 1;
      const visibilityTimeoutSeconds =
        optionalInteger(input, 'VisibilityTimeout', 0, MAX_VISIBILITY_TIMEOUT_SECONDS) ??
        queue.visibilityTimeoutSeconds;
      const waitSeconds = optionalInteger(input, 'WaitTimeSeconds', 0, MAX_WAIT_TIME_SECONDS) ?? 0;
      const systemNames = new Set([
        ...stringList(input, 'AttributeNames'),
        ...stringList(input, 'MessageSystemAttributeNames'),
      ]);
      const attributeNames = stringList(input, 'MessageAttributeNames');
      // Long polling waits in real time, whatever clock the fake was given.
      const deadline = Date.now() + waitSeconds * 1000;
      let received = receive(queue, max, visibilityTimeoutSeconds);
      while (received.length === 0 && Date.now() < deadline && !closing.aborted) {
        await sleep(Math.min(LONG_POLL_INTERVAL_MS, deadline - Date.now()), closing);
        received = receive(queue, max, visibilityTimeoutSeconds);
      }
      // SQS answers an empty receive with `{}`, so the SDK's `Messages` is undefined rather than [].
      if (received.length === 0) return {};
      return {
        Messages: received.map((message) => {
          const system = systemAttributes(message);
          const selected = selectSystemAttributes(system, systemNames);
          const attributes = selectMessageAttributes(message.messageAttributes, attributeNames);
          return withoutUndefined({
            MessageId: message.messageId,
            ReceiptHandle: message.receiptHandle,
            MD5OfBody: message.md5OfBody,
            Body: message.body,
            Attributes: Object.keys(selected).length > 0 ? selected : undefined,
            MD5OfMessageAttributes:
              Object.keys(attributes).length > 0 ? md5OfAttributes(attributes) : undefined,
            MessageAttributes: Object.keys(attributes).length > 0 ? attributes : undefined,
          });
        }),
      };
    },
    DeleteMessage: async (input) => {
      const queue = queueByUrl(input.QueueUrl);
      const receiptHandle = requiredString(input, 'ReceiptHandle');
      const message = messageForHandle(queue, receiptHandle);
      // A handle from an earlier receive succeeds without deleting: SQS needs the most recent one.
      // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html
      if (message && message.receiptHandle === receiptHandle) {
        queue.messages = queue.messages.filter((held) => held !== message);
      }
      return {};
    },
    ChangeMessageVisibility: async (input) => {
      const queue = queueByUrl(input.QueueUrl);
      const receiptHandle = requiredString(input, 'ReceiptHandle');
      const timeout = optionalInteger(input, 'VisibilityTimeout', 0, MAX_VISIBILITY_TIMEOUT_SECONDS);
      if (timeout === undefined) {
        throw new SqsApiError(
          'MissingParameter',
          'The request must contain the parameter VisibilityTimeout.',
        );
      }
      const message = messageForHandle(queue, receiptHandle);
      const at = now();
      if (!message || message.receiptHandle !== receiptHandle || message.visibleAt <= at) {
        throw new SqsApiError(
          'MessageNotInflight',
          'Message does not exist or is not available for visibility timeout change.',
        );
      }
      message.visibleAt = at + timeout * 1000;
      message.visibilityChanged = true;
      return {};
    },
    GetQueueAttributes: async (input) => {
      const queue = queueByUrl(input.QueueUrl);
      const all = queueAttributes(queue, now());
      const names = stringList(input, 'AttributeNames');
      if (names.includes('All')) return { Attributes: all };
      const Attributes: Record<string, string> = {};
      for (const name of names) {
        const value = all[name];
        if (value === undefined) throw new SqsApiError('InvalidAttributeName', `Unknown Attribute ${name}.`);
        Attributes[name] = value;
      }
      return names.length > 0 ? { Attributes } : {};
    },
  };

  const server = await startLoopbackHttpServer(async (req, res, closing) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method !== 'POST' || path !== '/') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found');
      return;
    }
    const queryMode = req.headers['x-amzn-query-mode'] === 'true';
    const target = req.headers['x-amz-target'];
    const operationName =
      typeof target === 'string' && target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : '';
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();

    let input: Record<string, unknown>;
    try {
      const text = await readRequestBody(req, MAX_BODY_BYTES);
      const parsed: unknown = text === '' ? {} : JSON.parse(text);
      if (!isRecord(parsed)) throw new Error('body is not a JSON object');
      input = parsed;
    } catch (error) {
      const message = error instanceof BodyTooLargeError ? error.message : 'Request body is not valid JSON.';
      calls.push({ operation: operationName, input: {}, error: 'SerializationException' });
      sendJson(res, 400, { __type: 'com.amazon.coral.service#SerializationException', message });
      return;
    }
    const call: RecordedSqsCall = { operation: operationName, input };
    calls.push(call);

    const operation = operations[operationName];
    try {
      if (contentType !== 'application/x-amz-json-1.0') {
        throw new SqsApiError(
          'UnsupportedOperation',
          `fake SQS speaks only AWS JSON 1.0 (application/x-amz-json-1.0), got ${contentType || 'no content type'}`,
        );
      }
      if (!operation) {
        throw new SqsApiError(
          'UnsupportedOperation',
          `fake SQS does not implement ${operationName || `X-Amz-Target ${String(target)}`}`,
        );
      }
      sendJson(res, 200, await operation(input, closing));
    } catch (error) {
      if (!(error instanceof SqsApiError)) throw error;
      call.error = error.type;
      const { queryCode, status } = SQS_ERRORS[error.type];
      // With `x-amzn-query-mode: true` SQS also names the awsQuery error code; the SDK prefers it to `__type`.
      const headers: Record<string, string> = queryMode
        ? { 'x-amzn-query-error': `${queryCode};${status < 500 ? 'Sender' : 'Receiver'}` }
        : {};
      sendJson(res, status, { __type: `com.amazonaws.sqs#${error.type}`, message: error.message }, headers);
    }
  });
  endpoint = `http://127.0.0.1:${server.port}`;

  const visibleCount = (queue: Queue): number => queue.messages.filter((m) => m.visibleAt <= now()).length;

  return {
    endpoint,
    calls,
    createQueue(name, queueOptions = {}) {
      const { fifo = false, maxReceiveCount, deadLetterQueueName } = queueOptions;
      if ((maxReceiveCount === undefined) !== (deadLetterQueueName === undefined)) {
        throw new Error('createQueue: maxReceiveCount and deadLetterQueueName go together');
      }
      const shared: Record<string, string> = fifo ? { FifoQueue: 'true' } : {};
      if (queueOptions.contentBasedDeduplication) shared.ContentBasedDeduplication = 'true';
      const attributes: Record<string, string> = { ...shared };
      if (queueOptions.visibilityTimeoutSeconds !== undefined) {
        attributes.VisibilityTimeout = String(queueOptions.visibilityTimeoutSeconds);
      }
      if (deadLetterQueueName !== undefined && maxReceiveCount !== undefined) {
        if (!queues.has(deadLetterQueueName)) createQueue(deadLetterQueueName, shared);
        attributes.RedrivePolicy = JSON.stringify({
          deadLetterTargetArn: queueArn(deadLetterQueueName),
          maxReceiveCount,
        });
      }
      return createQueue(name, attributes).url;
    },
    messages: (queueUrl) => queueByUrl(queueUrl).messages.map(snapshot),
    takeLambdaEvent(queueUrl, takeOptions = {}) {
      const queue = queueByUrl(queueUrl);
      const batchSize = takeOptions.batchSize ?? 1;
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_ENTRIES) {
        throw new Error(`takeLambdaEvent: batchSize must be 1 to ${MAX_BATCH_ENTRIES}, got ${batchSize}`);
      }
      const received = receive(queue, batchSize, queue.visibilityTimeoutSeconds);
      if (received.length === 0) {
        throw new Error(
          `takeLambdaEvent: no deliverable message in ${queue.name} ` +
            `(${queue.messages.length} held, ${visibleCount(queue)} visible)`,
        );
      }
      return { Records: received.map((message) => lambdaRecord(queue, message)) };
    },
    settleLambdaBatch(queueUrl, event, outcome) {
      const queue = queueByUrl(queueUrl);
      const at = now();
      const failed = failedMessageIds(event, outcome);
      for (const record of event.Records) {
        const message = queue.messages.find((held) => held.messageId === record.messageId);
        // Gone (the function deleted it) or received again since: the event source's delete would be a no-op.
        if (!message || message.receiptHandle !== record.receiptHandle) continue;
        if (!failed.has(record.messageId)) {
          queue.messages = queue.messages.filter((held) => held !== message);
        } else if (queue.redrive && message.receiveCount >= queue.redrive.maxReceiveCount) {
          moveToDeadLetterQueue(queue, message, at);
        } else if (!message.visibilityChanged) {
          message.visibleAt = Math.min(message.visibleAt, at);
        }
      }
    },
    makeVisibleNow(queueUrl) {
      const at = now();
      for (const message of queueByUrl(queueUrl).messages)
        message.visibleAt = Math.min(message.visibleAt, at);
    },
    close: () => server.close(),
  };
}

/** The ARN of a queue of the fake account and region. */
function queueArn(name: string): string {
  return `arn:aws:sqs:${FAKE_SQS_REGION}:${FAKE_SQS_ACCOUNT_ID}:${name}`;
}

function snapshot(message: StoredMessage): FakeSqsMessage {
  return withoutUndefined({
    messageId: message.messageId,
    body: message.body,
    messageAttributes: structuredClone(message.messageAttributes),
    messageGroupId: message.messageGroupId,
    messageDeduplicationId: message.messageDeduplicationId,
    sequenceNumber: message.sequenceNumber,
    receiveCount: message.receiveCount,
    sentTimestamp: message.sentAt,
    visibleAt: message.visibleAt,
    deadLetterSourceArn: message.deadLetterSourceArn,
  });
}

function systemAttributes(message: StoredMessage): Record<string, string> {
  return withoutUndefined({
    SenderId: SENDER_ID,
    SentTimestamp: String(message.sentAt),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
    SequenceNumber: message.sequenceNumber,
    MessageDeduplicationId: message.messageDeduplicationId,
    MessageGroupId: message.messageGroupId,
    DeadLetterQueueSourceArn: message.deadLetterSourceArn,
  });
}

function selectSystemAttributes(all: Record<string, string>, names: Set<string>): Record<string, string> {
  const wanted = names.has('All')
    ? SYSTEM_ATTRIBUTE_NAMES
    : SYSTEM_ATTRIBUTE_NAMES.filter((n) => names.has(n));
  return Object.fromEntries(wanted.flatMap((name) => (all[name] === undefined ? [] : [[name, all[name]]])));
}

function selectMessageAttributes(
  all: Record<string, SqsMessageAttribute>,
  names: string[],
): Record<string, SqsMessageAttribute> {
  // `All` or `.*` selects every attribute, `prefix.*` those starting with `prefix.`, anything else by name.
  const selected = Object.entries(all).filter(([name]) =>
    names.some((wanted) =>
      wanted === 'All' || wanted === '.*'
        ? true
        : wanted.endsWith('.*')
          ? name.startsWith(wanted.slice(0, -1))
          : name === wanted,
    ),
  );
  return Object.fromEntries(selected);
}

function lambdaRecord(queue: Queue, message: StoredMessage): SQSRecord {
  const system = systemAttributes(message);
  const messageAttributes: SQSMessageAttributes = {};
  // Lambda renames the fields to camelCase and always sends the (unused) list fields as empty arrays.
  for (const [name, value] of Object.entries(message.messageAttributes)) {
    messageAttributes[name] = withoutUndefined({
      stringValue: value.StringValue,
      binaryValue: value.BinaryValue,
      stringListValues: [],
      binaryListValues: [],
      dataType: value.DataType,
    });
  }
  return withoutUndefined({
    messageId: message.messageId,
    receiptHandle: message.receiptHandle ?? '',
    body: message.body,
    attributes: {
      ApproximateReceiveCount: system.ApproximateReceiveCount ?? '0',
      SentTimestamp: system.SentTimestamp ?? '0',
      SenderId: SENDER_ID,
      ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp ?? '0',
      ...withoutUndefined({
        SequenceNumber: message.sequenceNumber,
        MessageGroupId: message.messageGroupId,
        MessageDeduplicationId: message.messageDeduplicationId,
        DeadLetterQueueSourceArn: message.deadLetterSourceArn,
      }),
    },
    messageAttributes,
    md5OfBody: message.md5OfBody,
    md5OfMessageAttributes: message.md5OfMessageAttributes,
    eventSource: 'aws:sqs',
    eventSourceARN: queue.arn,
    awsRegion: FAKE_SQS_REGION,
  });
}

function failedMessageIds(event: SQSEvent, outcome: LambdaBatchOutcome): Set<string> {
  const ids = event.Records.map((record) => record.messageId);
  if (outcome instanceof Error) return new Set(ids);
  const failures = outcome?.batchItemFailures ?? [];
  // An empty, null or unknown itemIdentifier fails the whole batch:
  // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting
  if (failures.some((failure) => !ids.includes(failure.itemIdentifier))) return new Set(ids);
  return new Set(failures.map((failure) => failure.itemIdentifier));
}

function queueAttributes(queue: Queue, at: number): Record<string, string> {
  const visible = queue.messages.filter((m) => m.visibleAt <= at).length;
  const inFlight = queue.messages.filter((m) => m.visibleAt > at && m.receiveCount > 0).length;
  const delayed = queue.messages.filter((m) => m.visibleAt > at && m.receiveCount === 0).length;
  const createdSeconds = String(Math.floor(queue.createdAt / 1000));
  return withoutUndefined({
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(visible),
    ApproximateNumberOfMessagesNotVisible: String(inFlight),
    ApproximateNumberOfMessagesDelayed: String(delayed),
    CreatedTimestamp: createdSeconds,
    LastModifiedTimestamp: createdSeconds,
    VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
    MaximumMessageSize: '1048576',
    MessageRetentionPeriod: '345600',
    DelaySeconds: '0',
    ReceiveMessageWaitTimeSeconds: '0',
    SqsManagedSseEnabled: 'true',
    FifoQueue: queue.fifo ? 'true' : undefined,
    ContentBasedDeduplication: queue.fifo ? String(queue.contentBasedDeduplication) : undefined,
    DeduplicationScope: queue.fifo ? 'queue' : undefined,
    FifoThroughputLimit: queue.fifo ? 'perQueue' : undefined,
    RedrivePolicy: queue.createdWith.RedrivePolicy,
  });
}

function parseRedrivePolicy(raw: string): { deadLetterQueueName: string; maxReceiveCount: number } {
  const invalid = (reason: string) =>
    new SqsApiError(
      'InvalidParameterValue',
      `Value ${raw} for parameter RedrivePolicy is invalid. Reason: ${reason}`,
    );
  let policy: unknown;
  try {
    policy = JSON.parse(raw);
  } catch {
    throw invalid('Redrive policy is not a valid JSON map.');
  }
  if (!isRecord(policy) || typeof policy.deadLetterTargetArn !== 'string') {
    throw invalid('Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
  }
  const maxReceiveCount = Number(policy.maxReceiveCount);
  if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
    throw invalid('Invalid value for maxReceiveCount: must be an integer from 1 to 1000.');
  }
  const deadLetterQueueName = policy.deadLetterTargetArn.split(':').at(-1) ?? '';
  return { deadLetterQueueName, maxReceiveCount };
}

function parseMessageAttributes(raw: unknown): Record<string, SqsMessageAttribute> {
  if (raw === undefined) return {};
  if (!isRecord(raw)) throw new SqsApiError('InvalidParameterValue', 'MessageAttributes must be a map.');
  const entries = Object.entries(raw);
  if (entries.length > MAX_MESSAGE_ATTRIBUTES) {
    throw new SqsApiError(
      'InvalidParameterValue',
      `Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`,
    );
  }
  const attributes: Record<string, SqsMessageAttribute> = {};
  for (const [name, value] of entries) {
    const dataType = isRecord(value) ? value.DataType : undefined;
    if (typeof dataType !== 'string' || !/^(String|Number|Binary)(\..+)?$/.test(dataType)) {
      throw new SqsApiError(
        'InvalidParameterValue',
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type ` +
          'prefixes is Binary, Number, and String.',
      );
    }
    const record = value as Record<string, unknown>;
    const binary = dataType.startsWith('Binary');
    const field = binary ? 'BinaryValue' : 'StringValue';
    const content = record[field];
    if (typeof content !== 'string' || (!binary && content === '')) {
      throw new SqsApiError(
        'InvalidParameterValue',
        `The message attribute '${name}' with type '${dataType}' must use field '${binary ? 'Binary' : 'String'}'.`,
      );
    }
    attributes[name] = { DataType: dataType, [field]: content } as SqsMessageAttribute;
  }
  return attributes;
}

/**
 * MD5 of message attributes as SQS computes it: per attribute in name order, length-prefixed (4-byte big-endian)
 * name, data type, a transport byte (1 string/number, 2 binary) and the value.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation
 */
export function md5OfAttributes(attributes: Record<string, SqsMessageAttribute>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  const lengthPrefixed = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length);
    hash.update(bytes);
  };
  for (const name of names) {
    const attribute = attributes[name] as SqsMessageAttribute;
    lengthPrefixed(Buffer.from(name, 'utf8'));
    lengthPrefixed(Buffer.from(attribute.DataType, 'utf8'));
    const binary = attribute.BinaryValue !== undefined;
    hash.update(Buffer.from([binary ? 2 : 1]));
    lengthPrefixed(
      binary
        ? Buffer.from(attribute.BinaryValue ?? '', 'base64')
        : Buffer.from(attribute.StringValue ?? '', 'utf8'),
    );
  }
  return hash.digest('hex');
}

function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function newReceiptHandle(): string {
  return `AQEB${randomBytes(96).toString('base64')}`;
}

function batchEntries(raw: unknown): Array<SendEntry & { Id: string }> {
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new SqsApiError('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry.');
  }
  if (raw.length > MAX_BATCH_ENTRIES) {
    throw new SqsApiError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${raw.length}.`,
    );
  }
  const entries = raw.map((entry) => {
    if (!isRecord(entry)) throw new SqsApiError('InvalidParameterValue', 'A batch entry must be a map.');
    return { ...entry, Id: requiredString(entry, 'Id') };
  });
  if (new Set(entries.map((entry) => entry.Id)).size !== entries.length) {
    throw new SqsApiError(
      'BatchEntryIdsNotDistinct',
      'Two or more batch entries in the request have the same Id.',
    );
  }
  return entries;
}

function notForThisQueueType(parameter: string, value: unknown): SqsApiError {
  return new SqsApiError(
    'InvalidParameterValue',
    `Value ${String(value)} for parameter ${parameter} is invalid. Reason: The request includes a parameter ` +
      'that is not valid for this queue type.',
  );
}

function requiredString(input: object, name: string): string {
  const value = (input as Record<string, unknown>)[name];
  if (value === undefined || value === null || value === '') {
    throw new SqsApiError('MissingParameter', `The request must contain the parameter ${name}.`);
  }
  if (typeof value !== 'string') {
    throw new SqsApiError('InvalidParameterValue', `Value for parameter ${name} must be a string.`);
  }
  return value;
}

function optionalString(input: object, name: string): string | undefined {
  const value = (input as Record<string, unknown>)[name];
  return value === undefined || value === null ? undefined : requiredString(input, name);
}

function optionalInteger(input: object, name: string, min: number, max: number): number | undefined {
  const value = (input as Record<string, unknown>)[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SqsApiError(
      'InvalidParameterValue',
      `Value ${String(value)} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}, if provided.`,
    );
  }
  return value;
}

function integerAttribute(
  attributes: Record<string, string>,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const raw = attributes[name];
  if (raw === undefined) return fallback;
  return optionalInteger({ [name]: Number(raw) }, name, min, max) ?? fallback;
}

function stringList(input: Record<string, unknown>, name: string): string[] {
  const value = input[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new SqsApiError('InvalidParameterValue', `Value for parameter ${name} must be a list of strings.`);
  }
  return value;
}

function stringMap(input: Record<string, unknown>, name: string): Record<string, string> {
  const value = input[name];
  if (value === undefined || value === null) return {};
  if (!isRecord(value) || !Object.values(value).every((item) => typeof item === 'string')) {
    throw new SqsApiError('InvalidParameterValue', `Value for parameter ${name} must be a map of strings.`);
  }
  return value as Record<string, string>;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(JSON.stringify(body));
}

/** `T` with its possibly-undefined properties made optional, as {@link withoutUndefined} returns it. */
type WithoutUndefined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** Drops the properties whose value is undefined, so the JSON the fake sends omits them. */
function withoutUndefined<T extends object>(value: T): WithoutUndefined<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, item]) => item !== undefined),
  ) as WithoutUndefined<T>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
