import { describe, expect, it } from 'vitest';
import { screenSlackRequest } from '../../src/slack/screen-slack-request.js';
import { slackSignature } from '../support/slack-signing.js';

const secret = 'screening-secret';
const now = 1_800_000_000;

function screen(
  body: string,
  contentType: string | undefined,
  options: { signature?: string; timestamp?: number } = {},
) {
  const timestamp = options.timestamp ?? now;
  return screenSlackRequest({
    rawBody: body,
    contentType,
    signature: options.signature ?? slackSignature(secret, timestamp, body),
    timestamp: String(timestamp),
    signingSecret: secret,
    nowMs: now * 1000,
  });
}

const mention = { type: 'app_mention', user: 'U1', text: 'hi', ts: '1.1', channel: 'C1' };
const envelope = (event: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'event_callback', team_id: 'T1', event, ...extra });

describe('screenSlackRequest', () => {
  it('lets through what Slack sends: events, url_verification, commands and interactions', () => {
    expect(screen(envelope(mention), 'application/json')).toEqual({ ok: true });
    expect(screen(JSON.stringify({ type: 'url_verification', challenge: 'c' }), 'application/json')).toEqual({
      ok: true,
    });
    expect(
      screen(
        'command=%2Farchitect&text=hi&user_id=U1&channel_id=C1',
        'application/x-www-form-urlencoded; charset=utf-8',
      ),
    ).toEqual({ ok: true });
    const payload = { type: 'block_actions', user: { id: 'U1' }, actions: [{ action_id: 'a' }] };
    expect(
      screen(`payload=${encodeURIComponent(JSON.stringify(payload))}`, 'application/x-www-form-urlencoded'),
    ).toEqual({ ok: true });
  });

  it('refuses an unsigned, wrongly signed or stale request with 401, url_verification and ssl_check included', () => {
    const verification = JSON.stringify({ type: 'url_verification', challenge: 'c' });
    expect(screen(verification, 'application/json', { signature: `v0=${'0'.repeat(64)}` })).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(screen('ssl_check=1', 'application/x-www-form-urlencoded', { signature: 'v0=bad' })).toMatchObject(
      { status: 401 },
    );
    const stale = now - 10 * 60;
    expect(screen(envelope(mention), 'application/json', { timestamp: stale })).toMatchObject({
      status: 401,
    });
  });

  it('refuses a media type Slack never sends with 415', () => {
    expect(screen(envelope(mention), 'text/plain')).toMatchObject({ status: 415 });
    expect(screen(envelope(mention), undefined)).toMatchObject({ status: 415 });
  });

  it.each([
    ['JSON null', 'null'],
    ['bad JSON', '{"type":'],
    ['an array', '[]'],
    ['a mention in an envelope of another type', JSON.stringify({ type: 'something_else', event: mention })],
    ['an event that is a string', envelope('x')],
    ['an event channel of null', envelope({ ...mention, channel: null })],
    ['an event item that is a number', envelope({ ...mention, item: 7 })],
    ['authorizations holding null', envelope(mention, { authorizations: [null] })],
  ])('refuses %s with 400', (_name, body) => {
    expect(screen(body, 'application/json')).toMatchObject({ ok: false, status: 400 });
  });

  it.each([
    ['payload=null', 'payload=null'],
    [
      'an interaction without a user',
      `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', actions: [] }))}`,
    ],
    [
      'actions of the wrong shape',
      `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: 'U1' }, actions: [{ action_id: 5 }] }))}`,
    ],
    ['a form with neither command nor payload', 'text=hello'],
  ])('refuses %s in a form body with 400', (_name, body) => {
    expect(screen(body, 'application/x-www-form-urlencoded')).toMatchObject({ ok: false, status: 400 });
  });
});
