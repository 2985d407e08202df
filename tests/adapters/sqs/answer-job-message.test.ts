import { describe, expect, it } from 'vitest';
import {
  decodeAnswerJob,
  deduplicationIdOf,
  encodeAnswerJob,
  MalformedJobMessageError,
  messageGroupOf,
} from '../../../src/adapters/sqs/answer-job-message.js';
import type { AnswerJob } from '../../../src/core/conversation.js';

const job: AnswerJob = {
  thread: { teamId: 'T1', channelId: 'C1', threadTs: '1700000000.000100' },
  postTs: '1700000000.000200',
  userId: 'U1',
  text: 'design a cart ☕',
  placeholderTs: '1700000000.000300',
};

describe('answer job messages', () => {
  it('round-trip a job through the queue body', () => {
    expect(decodeAnswerJob(encodeAnswerJob(job))).toEqual(job);
  });

  it('group jobs by thread and deduplicate them by post', () => {
    const followUp = { ...job, postTs: '1700000000.000900' };
    expect(messageGroupOf(followUp)).toBe(messageGroupOf(job));
    expect(deduplicationIdOf(followUp)).not.toBe(deduplicationIdOf(job));
    for (const id of [messageGroupOf(job), deduplicationIdOf(job)]) expect(id).toMatch(/^[\w.-]{1,128}$/);
  });

  it.each([
    ['not JSON', 'design a cart'],
    ['another version', JSON.stringify({ version: 2, job })],
    ['a bad ts', JSON.stringify({ version: 1, job: { ...job, postTs: '12' } })],
    ['empty text', JSON.stringify({ version: 1, job: { ...job, text: '' } })],
  ])('refuse %s with MalformedJobMessageError', (_name, body) => {
    expect(() => decodeAnswerJob(body)).toThrow(MalformedJobMessageError);
  });
});
