import { describe, expect, it } from 'vitest';
import {
  decodeRequest,
  deduplicationIdOf,
  encodeRequest,
  MalformedRequestMessageError,
  messageGroupOf,
} from '../../../src/adapters/sqs/request-message.js';
import type { IncomingRequest } from '../../../src/core/conversation.js';

const post: IncomingRequest = {
  teamId: 'T1',
  channelId: 'C1',
  userId: 'U1',
  text: 'design a cart ☕',
  kind: 'request',
  source: { type: 'post', postTs: '1700000000.000200', threadTs: '1700000000.000100' },
};
const retry: IncomingRequest = {
  ...post,
  kind: 'follow-up',
  text: '',
  source: {
    type: 'retry',
    postTs: '1700000000.000200',
    threadTs: '1700000000.000100',
    noticeTs: '1700000000.000300',
    clickId: '1700000009.123456',
  },
};

const exportClick: IncomingRequest = {
  ...post,
  kind: 'follow-up',
  text: '',
  source: {
    type: 'export',
    postTs: '1700000000.000300',
    threadTs: '1700000000.000100',
    clickId: '1700000010.654321',
  },
};

describe('request messages on the queue', () => {
  it.each([
    ['a post', post],
    ['a Retry click', retry],
    ['an "Open as canvas" click', exportClick],
  ])('round-trip %s through the message body', (_name, request) => {
    expect(decodeRequest(encodeRequest(request))).toEqual(request);
  });

  it('group requests by thread and deduplicate them by post', () => {
    const followUp: IncomingRequest = {
      ...post,
      source: { ...post.source, postTs: '1700000000.000900' } as never,
    };
    expect(messageGroupOf(followUp)).toBe(messageGroupOf(post));
    expect(deduplicationIdOf(followUp)).not.toBe(deduplicationIdOf(post));
  });

  it("put a Retry click in its thread's group with a deduplication id of its own, within SQS limits", () => {
    expect(messageGroupOf(retry)).toBe(messageGroupOf(post));
    expect(deduplicationIdOf(retry)).not.toBe(deduplicationIdOf(post));
    for (const id of [
      messageGroupOf(post),
      deduplicationIdOf(post),
      messageGroupOf(retry),
      deduplicationIdOf(retry),
    ]) {
      expect(id).toMatch(/^[\w.-]{1,128}$/);
    }
  });

  it('put an "Open as canvas" click in its thread\'s group, deduplicated by the click, within SQS limits', () => {
    const secondClick: IncomingRequest = {
      ...exportClick,
      source: { ...exportClick.source, clickId: '1700000011.000001' } as never,
    };
    expect(messageGroupOf(exportClick)).toBe(messageGroupOf(post));
    expect(deduplicationIdOf(exportClick)).toBe(deduplicationIdOf({ ...exportClick }));
    expect(deduplicationIdOf(secondClick)).not.toBe(deduplicationIdOf(exportClick));
    expect(deduplicationIdOf(exportClick)).not.toBe(deduplicationIdOf(post));
    expect(deduplicationIdOf(exportClick)).toMatch(/^[\w.-]{1,128}$/);
  });

  it.each([
    ['not JSON', 'design a cart'],
    ['another version', JSON.stringify({ version: 2, request: post })],
    [
      'a bad ts',
      JSON.stringify({ version: 1, request: { ...post, source: { ...post.source, postTs: '12' } } }),
    ],
    ['an unknown source', JSON.stringify({ version: 1, request: { ...post, source: { type: 'email' } } })],
    [
      'a slash command source (no longer queued: commands are posts in their root thread)',
      JSON.stringify({
        version: 1,
        request: {
          ...post,
          source: { type: 'command', commandId: '1', command: '/a', responseUrl: 'https://x' },
        },
      }),
    ],
    [
      'a Retry click without its notice',
      JSON.stringify({
        version: 1,
        request: {
          ...retry,
          source: { type: 'retry', postTs: '1700000000.000200', threadTs: '1700000000.000100', clickId: '1' },
        },
      }),
    ],
  ])('refuse %s with MalformedRequestMessageError', (_name, body) => {
    expect(() => decodeRequest(body)).toThrow(MalformedRequestMessageError);
  });
});
