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
const command: IncomingRequest = {
  ...post,
  source: {
    type: 'command',
    commandId: '13345224609.738474920.8088930838d88f008e0',
    command: '/architect',
    responseUrl: 'https://hooks.slack.com/commands/T1/1/abc',
  },
};

describe('request messages on the queue', () => {
  it.each([
    ['a post', post],
    ['a slash command', command],
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

  it('give a slash command a group and a deduplication id of its own, within SQS limits', () => {
    expect(messageGroupOf(command)).not.toBe(messageGroupOf(post));
    for (const id of [
      messageGroupOf(post),
      deduplicationIdOf(post),
      messageGroupOf(command),
      deduplicationIdOf(command),
    ]) {
      expect(id).toMatch(/^[\w.-]{1,128}$/);
    }
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
      'a command without its response URL',
      JSON.stringify({
        version: 1,
        request: { ...command, source: { type: 'command', commandId: '1', command: '/a' } },
      }),
    ],
  ])('refuse %s with MalformedRequestMessageError', (_name, body) => {
    expect(() => decodeRequest(body)).toThrow(MalformedRequestMessageError);
  });
});
