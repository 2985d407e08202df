import { describe, expect, it } from 'vitest';
import {
  decodeQueueJob,
  decodeRequest,
  deduplicationIdOf,
  encodeHomeTabRequest,
  encodeRequest,
  homeTabDeduplicationIdOf,
  homeTabGroupOf,
  MalformedRequestMessageError,
  messageGroupOf,
} from '../../../src/adapters/sqs/request-message.js';
import type { IncomingRequest } from '../../../src/core/conversation.js';
import type { HomeTabRequest } from '../../../src/core/feedback.js';

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

describe('Home tab jobs on the queue', () => {
  const homeTab: HomeTabRequest = { teamId: 'T1', userId: 'U1', openingId: '1700000000.000500' };

  it('round-trip through the message body, told apart from requests', () => {
    expect(decodeQueueJob(encodeHomeTabRequest(homeTab))).toEqual({ kind: 'home-tab', homeTab });
    expect(decodeQueueJob(encodeRequest(post))).toEqual({ kind: 'request', request: post });
  });

  it('are not requests', () => {
    expect(() => decodeRequest(encodeHomeTabRequest(homeTab))).toThrow(MalformedRequestMessageError);
  });

  it("group by user, apart from every thread's, and deduplicate by opening", () => {
    const again = { ...homeTab, openingId: '1700000000.000900' };
    expect(homeTabGroupOf(again)).toBe(homeTabGroupOf(homeTab));
    expect(homeTabGroupOf(homeTab)).not.toBe(messageGroupOf(post));
    expect(homeTabDeduplicationIdOf(again)).not.toBe(homeTabDeduplicationIdOf(homeTab));
    // SQS allows 128 characters in a FIFO message's group and deduplication ids.
    expect(homeTabDeduplicationIdOf(homeTab).length).toBeLessThanOrEqual(128);
  });

  it.each([
    ['without a user', JSON.stringify({ version: 1, homeTab: { teamId: 'T1', openingId: '1.1' } })],
    ['with an empty opening id', JSON.stringify({ version: 1, homeTab: { ...homeTab, openingId: '' } })],
    ['of a later version', JSON.stringify({ version: 2, homeTab })],
  ])('refuse one %s with MalformedRequestMessageError', (_name, body) => {
    expect(() => decodeQueueJob(body)).toThrow(MalformedRequestMessageError);
  });
});
