import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { IncomingRequest } from '../../core/conversation.js';
import { HandOffError } from '../../core/errors.js';
import type { HomeTabRequest } from '../../core/feedback.js';
import type { JobDispatcher } from '../../core/ports.js';
import {
  deduplicationIdOf,
  encodeHomeTabRequest,
  encodeRequest,
  homeTabDeduplicationIdOf,
  homeTabGroupOf,
  messageGroupOf,
} from './request-message.js';

/**
 * Hands requests to the worker through an SQS FIFO queue: grouped by thread (answers in order),
 * deduplicated by Slack post (a post is queued once even when Slack delivers it twice within the
 * queue's five-minute window; the worker's claim covers later deliveries).
 */
export class SqsJobDispatcher implements JobDispatcher {
  readonly #client: SQSClient;
  readonly #queueUrl: string;
  readonly #homeTabQueueUrl: string;

  /** `homeTabQueueUrl`: where Home tabs go (default: `queueUrl`), so they need not wait behind answers. */
  constructor(options: { client: SQSClient; queueUrl: string; homeTabQueueUrl?: string | undefined }) {
    this.#client = options.client;
    this.#queueUrl = options.queueUrl;
    this.#homeTabQueueUrl = options.homeTabQueueUrl ?? options.queueUrl;
  }

  async dispatch(request: IncomingRequest): Promise<void> {
    await this.#send(
      this.#queueUrl,
      encodeRequest(request),
      messageGroupOf(request),
      deduplicationIdOf(request),
      'a request',
    );
  }

  /** Hands a Home tab to the worker, which reads the user's threads and publishes it. */
  async handOffHomeTab(homeTab: HomeTabRequest): Promise<void> {
    await this.#send(
      this.#homeTabQueueUrl,
      encodeHomeTabRequest(homeTab),
      homeTabGroupOf(homeTab),
      homeTabDeduplicationIdOf(homeTab),
      'a Home tab',
    );
  }

  async #send(
    queueUrl: string,
    body: string,
    groupId: string,
    deduplicationId: string,
    what: string,
  ): Promise<void> {
    try {
      await this.#client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: body,
          MessageGroupId: groupId,
          MessageDeduplicationId: deduplicationId,
        }),
      );
    } catch (error) {
      throw new HandOffError(`SQS SendMessage failed for ${what}`, { cause: error });
    }
  }
}
