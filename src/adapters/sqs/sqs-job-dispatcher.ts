import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { AnswerJob } from '../../core/conversation.js';
import { HandOffError } from '../../core/errors.js';
import type { JobDispatcher } from '../../core/ports.js';
import { deduplicationIdOf, encodeAnswerJob, messageGroupOf } from './answer-job-message.js';

/**
 * Hands jobs to the worker through an SQS FIFO queue: grouped by thread (answers in order),
 * deduplicated by Slack post (a post is queued once even when Slack delivers it twice).
 */
export class SqsJobDispatcher implements JobDispatcher {
  readonly #client: SQSClient;
  readonly #queueUrl: string;

  constructor(options: { client: SQSClient; queueUrl: string }) {
    this.#client = options.client;
    this.#queueUrl = options.queueUrl;
  }

  async dispatch(job: AnswerJob): Promise<void> {
    try {
      await this.#client.send(
        new SendMessageCommand({
          QueueUrl: this.#queueUrl,
          MessageBody: encodeAnswerJob(job),
          MessageGroupId: messageGroupOf(job),
          MessageDeduplicationId: deduplicationIdOf(job),
        }),
      );
    } catch (error) {
      throw new HandOffError('SQS SendMessage failed for an answer job', { cause: error });
    }
  }
}
