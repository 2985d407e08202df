import { type Logger, LogLevel, webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeSlack, type FakeSlackOptions, messageKey, startFakeSlack } from './slack-web-api.js';

const CHANNEL = 'C0001';
const DM = 'D0001';
const THREAD = '1699999999.000100';
const RECIPIENT = { recipient_user_id: 'U0001', recipient_team_id: 'T123' };

const started: FakeSlack[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((fake) => fake.close()));
});

async function fakeWith(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const fake = await startFakeSlack(options);
  started.push(fake);
  return fake;
}

function silent(): Logger {
  const noop = () => {};
  return {
    debug: noop,
    info: noop,
    warn: noop,
    error: noop,
    setLevel: noop,
    getLevel: () => LogLevel.ERROR,
    setName: noop,
  };
}

/** The real WebClient; `retries: 0` so a 429 surfaces as the client's rate-limit error. */
function clientFor(fake: FakeSlack, retries = 0): webApi.WebClient {
  return new webApi.WebClient('xoxb-test', {
    slackApiUrl: fake.url,
    retryConfig: { retries, factor: 1, minTimeout: 10, maxTimeout: 50 },
    rejectRateLimitedCalls: retries === 0,
    logger: silent(),
  });
}

async function slackError(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return (error as { data?: { error?: string } }).data?.error ?? (error as { code?: string }).code;
  }
}

describe('fake Slack Web API: streaming a message', () => {
  it('streams text into a thread reply: start, append, stop', async () => {
    const fake = await fakeWith();
    const client = clientFor(fake);

    const start = await client.chat.startStream({
      channel: CHANNEL,
      thread_ts: THREAD,
      markdown_text: '## API',
      ...RECIPIENT,
    });
    const ts = start.ts ?? '';
    await client.chat.appendStream({ channel: CHANNEL, ts, markdown_text: '\n- GET /carts' });
    const midway = fake.messages.get(messageKey(CHANNEL, ts));
    expect(midway?.streaming).toBe(true);
    await client.chat.stopStream({ channel: CHANNEL, ts, markdown_text: '\n- POST /carts' });

    const message = fake.messages.get(messageKey(CHANNEL, ts));
    expect(message?.thread_ts).toBe(THREAD);
    expect(message?.text).toBe('## API\n- GET /carts\n- POST /carts');
    expect(message?.streaming).toBe(false);
  });

  it('refuses a stream without thread_ts', async () => {
    const fake = await fakeWith();
    const error = await slackError(
      clientFor(fake).apiCall('chat.startStream', { channel: CHANNEL, markdown_text: 'x', ...RECIPIENT }),
    );
    expect(error).toBe('invalid_arguments');
  });

  it('refuses a channel stream without its recipient user or team', async () => {
    const fake = await fakeWith();
    const client = clientFor(fake);
    const base = { channel: CHANNEL, thread_ts: THREAD, markdown_text: 'x' };

    expect(await slackError(client.chat.startStream({ ...base, recipient_team_id: 'T123' }))).toBe(
      'missing_recipient_user_id',
    );
    expect(await slackError(client.chat.startStream({ ...base, recipient_user_id: 'U0001' }))).toBe(
      'missing_recipient_team_id',
    );
  });

  it('streams in a DM without recipient ids', async () => {
    const fake = await fakeWith();
    const start = await clientFor(fake).chat.startStream({
      channel: DM,
      thread_ts: THREAD,
      markdown_text: 'x',
    });
    expect(start.ok).toBe(true);
  });

  it('refuses every stream when streaming is switched off, with the configured error', async () => {
    const fake = await fakeWith({ refuseStreaming: 'feature_not_enabled' });
    const error = await slackError(
      clientFor(fake).chat.startStream({
        channel: CHANNEL,
        thread_ts: THREAD,
        markdown_text: 'x',
        ...RECIPIENT,
      }),
    );
    expect(error).toBe('feature_not_enabled');
    expect(fake.threadMessages(CHANNEL, THREAD)).toEqual([]);
  });

  it('ends an idle stream: later appends and stops get message_not_in_streaming_state', async () => {
    const fake = await fakeWith({ streamIdleMs: 100 });
    const client = clientFor(fake);
    const { ts = '' } = await client.chat.startStream({
      channel: CHANNEL,
      thread_ts: THREAD,
      markdown_text: 'first words',
      ...RECIPIENT,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(await slackError(client.chat.appendStream({ channel: CHANNEL, ts, markdown_text: 'more' }))).toBe(
      'message_not_in_streaming_state',
    );
    expect(await slackError(client.chat.stopStream({ channel: CHANNEL, ts }))).toBe(
      'message_not_in_streaming_state',
    );
    // The text streamed before the expiry stays, and the message can now be edited.
    await client.chat.update({ channel: CHANNEL, ts, text: 'edited' });
    expect(fake.messages.get(messageKey(CHANNEL, ts))?.text).toBe('edited');
  });

  it('refuses appends past the stream size limit with msg_too_long and keeps the text so far', async () => {
    const fake = await fakeWith({ maxStreamChars: 100 });
    const client = clientFor(fake);
    const { ts = '' } = await client.chat.startStream({
      channel: CHANNEL,
      thread_ts: THREAD,
      markdown_text: 'a'.repeat(90),
      ...RECIPIENT,
    });

    const error = await slackError(
      client.chat.appendStream({ channel: CHANNEL, ts, markdown_text: 'b'.repeat(11) }),
    );

    expect(error).toBe('msg_too_long');
    expect(fake.messages.get(messageKey(CHANNEL, ts))?.text).toBe('a'.repeat(90));
  });

  it('refuses chat.update of a message that is still streaming, and allows it once stopped', async () => {
    const fake = await fakeWith();
    const client = clientFor(fake);
    const { ts = '' } = await client.chat.startStream({
      channel: CHANNEL,
      thread_ts: THREAD,
      markdown_text: 'draft',
      ...RECIPIENT,
    });

    expect(await slackError(client.chat.update({ channel: CHANNEL, ts, text: 'final' }))).toBe(
      'streaming_state_conflict',
    );
    await client.chat.stopStream({ channel: CHANNEL, ts });
    await client.chat.update({ channel: CHANNEL, ts, text: 'final' });
    expect(fake.messages.get(messageKey(CHANNEL, ts))?.text).toBe('final');
  });

  it('answers appends to a message it never started with message_not_found', async () => {
    const fake = await fakeWith();
    const error = await slackError(
      clientFor(fake).chat.appendStream({ channel: CHANNEL, ts: '1700000000.999999', markdown_text: 'x' }),
    );
    expect(error).toBe('message_not_found');
  });
});

describe('fake Slack Web API: rate limits', () => {
  it('answers 429 with Retry-After to writes over the per-message limit, and records them', async () => {
    const fake = await fakeWith({ messageWriteLimit: { writes: 2, perMs: 1_000, retryAfterSeconds: 3 } });
    const client = clientFor(fake);
    const { ts = '' } = await client.chat.startStream({
      channel: CHANNEL,
      thread_ts: THREAD,
      markdown_text: 'a',
      ...RECIPIENT,
    });
    await client.chat.appendStream({ channel: CHANNEL, ts, markdown_text: 'b' });
    await client.chat.appendStream({ channel: CHANNEL, ts, markdown_text: 'c' });

    const error = await slackError(client.chat.appendStream({ channel: CHANNEL, ts, markdown_text: 'd' }));

    expect(error).toBe('slack_webapi_rate_limited_error');
    const appends = fake.callsTo('chat.appendStream');
    expect(appends.map((call) => call.status)).toEqual([200, 200, 429]);
    expect(fake.messages.get(messageKey(CHANNEL, ts))?.text).toBe('abc');
  });

  it('counts the per-message limit per message: another message still takes writes', async () => {
    const fake = await fakeWith({ messageWriteLimit: { writes: 1, perMs: 1_000, retryAfterSeconds: 1 } });
    const client = clientFor(fake);
    const first = await client.chat.postMessage({ channel: CHANNEL, text: 'one' });
    const second = await client.chat.postMessage({ channel: CHANNEL, text: 'two' });
    await client.chat.update({ channel: CHANNEL, ts: first.ts ?? '', text: 'one, edited' });

    await client.chat.update({ channel: CHANNEL, ts: second.ts ?? '', text: 'two, edited' });
    const error = await slackError(
      client.chat.update({ channel: CHANNEL, ts: first.ts ?? '', text: 'again' }),
    );

    expect(error).toBe('slack_webapi_rate_limited_error');
  });

  it('lets writes through again once the window has passed', async () => {
    const fake = await fakeWith({ messageWriteLimit: { writes: 1, perMs: 150, retryAfterSeconds: 1 } });
    const client = clientFor(fake);
    const { ts = '' } = await client.chat.postMessage({ channel: CHANNEL, text: 'one' });
    await client.chat.update({ channel: CHANNEL, ts, text: 'a' });
    await new Promise((resolve) => setTimeout(resolve, 200));

    const result = await client.chat.update({ channel: CHANNEL, ts, text: 'b' });

    expect(result.ok).toBe(true);
  });

  it('limits a method per workspace, as Slack tiers do', async () => {
    const fake = await fakeWith({
      methodRateLimits: { 'chat.postMessage': { writes: 2, perMs: 60_000, retryAfterSeconds: 30 } },
    });
    const client = clientFor(fake);
    await client.chat.postMessage({ channel: CHANNEL, text: '1' });
    await client.chat.postMessage({ channel: 'C0002', text: '2' });

    const error = await slackError(client.chat.postMessage({ channel: CHANNEL, text: '3' }));

    expect(error).toBe('slack_webapi_rate_limited_error');
  });
});

describe('fake Slack Web API: assistant thread status', () => {
  it('clears the status when set to an empty string', async () => {
    const fake = await fakeWith();
    const client = clientFor(fake);
    await client.assistant.threads.setStatus({
      channel_id: CHANNEL,
      thread_ts: THREAD,
      status: 'is designing…',
    });
    expect(fake.threadStatus(CHANNEL, THREAD)).toBe('is designing…');

    await client.assistant.threads.setStatus({ channel_id: CHANNEL, thread_ts: THREAD, status: '' });

    expect(fake.threadStatus(CHANNEL, THREAD)).toBeUndefined();
  });

  it('clears the status when the app replies in the thread', async () => {
    const fake = await fakeWith();
    const client = clientFor(fake);
    await client.assistant.threads.setStatus({
      channel_id: CHANNEL,
      thread_ts: THREAD,
      status: 'is designing…',
    });

    await client.chat.postMessage({ channel: CHANNEL, thread_ts: THREAD, text: 'the answer' });

    expect(fake.threadStatus(CHANNEL, THREAD)).toBeUndefined();
  });

  it('refuses more than 10 loading messages', async () => {
    const fake = await fakeWith();
    const error = await slackError(
      clientFor(fake).assistant.threads.setStatus({
        channel_id: CHANNEL,
        thread_ts: THREAD,
        status: 'is designing…',
        loading_messages: Array.from({ length: 11 }, (_, i) => `step ${i}`),
      }),
    );
    expect(error).toBe('invalid_arguments');
  });
});
