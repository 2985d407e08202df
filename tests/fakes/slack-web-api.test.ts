import { type Logger, LogLevel, webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, type FakeSlackOptions, messageKey, startFakeSlack } from './slack-web-api.js';

const BOT_TOKEN = 'xoxb-test-token';
const CHANNEL = 'C0001';
const SLACK_TS = /^\d{10}\.\d{6}$/;

let fake: FakeSlack;

beforeEach(async () => {
  fake = await startFakeSlack();
});

afterEach(async () => {
  await fake.close();
});

/** Collects what the WebClient logs instead of printing it (it logs Slack's `[ERROR]` metadata on refusals). */
function quietLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (...msg: unknown[]) => {
    lines.push(msg.map(String).join(' '));
  };
  return {
    lines,
    debug: push,
    info: push,
    warn: push,
    error: push,
    setLevel: () => {},
    getLevel: () => LogLevel.DEBUG,
    setName: () => {},
  };
}

/** The real WebClient, pointed at the fake, with retries short enough for tests. */
function clientFor(target: FakeSlack, token: string | null = BOT_TOKEN): webApi.WebClient {
  return new webApi.WebClient(token ?? undefined, {
    slackApiUrl: target.url,
    retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 50 },
    logger: quietLogger(),
  });
}

async function withFake<T>(options: FakeSlackOptions, run: (other: FakeSlack) => Promise<T>): Promise<T> {
  const other = await startFakeSlack(options);
  try {
    return await run(other);
  } finally {
    await other.close();
  }
}

const header = (text: string) => ({ type: 'header', text: { type: 'plain_text', text } });
const markdown = (text: string) => ({ type: 'markdown', text });
const table = (rows: number, cells: number) => ({
  type: 'table',
  rows: Array.from({ length: rows }, () =>
    Array.from({ length: cells }, () => ({ type: 'raw_text', text: 'c' })),
  ),
});
const image = (imageUrl: string, altText = 'A diagram') => ({
  type: 'image',
  image_url: imageUrl,
  alt_text: altText,
});

describe('fake Slack Web API: identity and messages', () => {
  it('answers auth.test with the configured bot identity', async () => {
    await withFake({ botUserId: 'U999', botId: 'B999', teamId: 'T999' }, async (other) => {
      const result = await clientFor(other).auth.test();

      expect(result).toMatchObject({ ok: true, user_id: 'U999', bot_id: 'B999', team_id: 'T999' });
      expect(result.url).toMatch(/^https:\/\/.+\.slack\.com\/$/);
    });
  });

  it('gives each posted message a fresh, increasing ts in Slack format', async () => {
    const client = clientFor(fake);

    const first = await client.chat.postMessage({ channel: CHANNEL, text: 'one' });
    const second = await client.chat.postMessage({ channel: CHANNEL, text: 'two' });

    expect(first.ts).toMatch(SLACK_TS);
    expect(second.ts).toMatch(SLACK_TS);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(first).toMatchObject({
      ok: true,
      channel: CHANNEL,
      message: { text: 'one', ts: first.ts, bot_id: 'BBOT' },
    });
  });

  it('records the call with its token and the blocks parsed back from the form field', async () => {
    const blocks = [header('Design'), markdown('**Use a queue.**')];

    await clientFor(fake).chat.postMessage({ channel: CHANNEL, text: 'Design', blocks });

    const [call] = fake.callsTo('chat.postMessage');
    expect(call).toMatchObject({
      token: BOT_TOKEN,
      status: 200,
      args: { channel: CHANNEL, text: 'Design', blocks },
    });
    expect(call?.error).toBeUndefined();
  });

  it('accepts a JSON body with the token in the Authorization header', async () => {
    const response = await fetch(`${fake.url}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: CHANNEL, text: 'json', blocks: [markdown('hi')] }),
    });

    expect(await response.json()).toMatchObject({ ok: true, channel: CHANNEL });
    expect(fake.callsTo('chat.postMessage')[0]?.args).toEqual({
      channel: CHANNEL,
      text: 'json',
      blocks: [markdown('hi')],
    });
  });

  it('shows the final state of a thread, root first and updates applied, in ts order', async () => {
    const client = clientFor(fake);
    const root = await client.chat.postMessage({ channel: CHANNEL, text: 'root' });
    const reply = await client.chat.postMessage({ channel: CHANNEL, thread_ts: root.ts, text: 'Thinking…' });
    await client.chat.postMessage({ channel: CHANNEL, thread_ts: root.ts, text: 'second reply' });

    await client.chat.update({
      channel: CHANNEL,
      ts: reply.ts as string,
      text: 'Answer',
      blocks: [markdown('# Answer')],
    });

    const thread = fake.threadMessages(CHANNEL, root.ts as string);
    expect(thread.map((m) => m.text)).toEqual(['root', 'Answer', 'second reply']);
    expect(thread[1]).toMatchObject({
      blocks: [markdown('# Answer')],
      thread_ts: root.ts,
      edited: { user: 'UBOT' },
    });
  });

  it('keeps the previous blocks when chat.update sends only text', async () => {
    const client = clientFor(fake);
    const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'v1', blocks: [markdown('v1')] });

    await client.chat.update({ channel: CHANNEL, ts: posted.ts as string, text: 'v2' });

    expect(fake.messages.get(messageKey(CHANNEL, posted.ts as string))).toMatchObject({
      text: 'v2',
      blocks: [markdown('v1')],
    });
  });

  it('refuses chat.update of a ts it never posted with message_not_found', async () => {
    const update = clientFor(fake).chat.update({ channel: CHANNEL, ts: '1700000099.000100', text: 'x' });

    await expect(update).rejects.toMatchObject({
      code: webApi.ErrorCode.PlatformError,
      data: { ok: false, error: 'message_not_found' },
    });
  });

  it('removes a deleted message from the thread', async () => {
    const client = clientFor(fake);
    const root = await client.chat.postMessage({ channel: CHANNEL, text: 'root' });
    const reply = await client.chat.postMessage({ channel: CHANNEL, thread_ts: root.ts, text: 'oops' });

    await client.chat.delete({ channel: CHANNEL, ts: reply.ts as string });

    expect(fake.threadMessages(CHANNEL, root.ts as string).map((m) => m.text)).toEqual(['root']);
  });

  it('answers chat.postEphemeral with a message_ts', async () => {
    const result = await clientFor(fake).chat.postEphemeral({
      channel: CHANNEL,
      user: 'U0001',
      text: 'only you',
    });

    expect(result.message_ts).toMatch(SLACK_TS);
  });

  it('records reactions and refuses the same reaction twice with already_reacted', async () => {
    const client = clientFor(fake);
    await client.reactions.add({ channel: CHANNEL, timestamp: '1699999999.000100', name: 'eyes' });

    const again = client.reactions.add({ channel: CHANNEL, timestamp: '1699999999.000100', name: 'eyes' });

    await expect(again).rejects.toMatchObject({ data: { error: 'already_reacted' } });
    expect(fake.reactionsOn(CHANNEL, '1699999999.000100')).toEqual(['eyes']);
  });

  it('keeps the last assistant thread status', async () => {
    const client = clientFor(fake);

    await client.assistant.threads.setStatus({
      channel_id: CHANNEL,
      thread_ts: '1699999999.000100',
      status: 'is thinking…',
    });

    expect(fake.threadStatus(CHANNEL, '1699999999.000100')).toBe('is thinking…');
  });

  it('answers users.info with a plausible user', async () => {
    const result = await clientFor(fake).users.info({ user: 'U0001' });

    expect(result.user).toMatchObject({
      id: 'U0001',
      team_id: 'T123',
      is_bot: false,
      tz: expect.any(String),
    });
    expect(result.user?.profile?.display_name).toEqual(expect.any(String));
  });

  it('answers apps.connections.open with a loopback URL for an app-level token', async () => {
    const result = await clientFor(fake, 'xapp-1-test').apps.connections.open();

    expect(result.url).toBe('ws://127.0.0.1:1/');
    expect(fake.callsTo('apps.connections.open')[0]?.token).toBe('xapp-1-test');
  });

  it('answers an unknown method with unknown_method', async () => {
    const call = clientFor(fake).apiCall('chat.nonsense', { channel: CHANNEL });

    await expect(call).rejects.toMatchObject({ data: { error: 'unknown_method' } });
  });
});

describe('fake Slack Web API: refusals Slack makes', () => {
  it.each([
    [
      'more than 50 blocks',
      { text: 'x', blocks: Array.from({ length: 51 }, () => markdown('x')) },
      'invalid_blocks',
    ],
    ['a header over 150 characters', { text: 'x', blocks: [header('h'.repeat(151))] }, 'invalid_blocks'],
    ['an empty header', { text: 'x', blocks: [header('')] }, 'invalid_blocks'],
    [
      'markdown blocks over 12,000 characters together',
      { text: 'x', blocks: [markdown('a'.repeat(6001)), markdown('b'.repeat(6000))] },
      'msg_blocks_too_long',
    ],
    ['two table blocks', { text: 'x', blocks: [table(2, 2), table(2, 2)] }, 'invalid_blocks'],
    ['a table of 101 rows', { text: 'x', blocks: [table(101, 2)] }, 'invalid_blocks'],
    ['a table row of 21 cells', { text: 'x', blocks: [table(2, 21)] }, 'invalid_blocks'],
    [
      'an empty raw_text table cell',
      { text: 'x', blocks: [{ type: 'table', rows: [[{ type: 'raw_text', text: '' }]] }] },
      'invalid_blocks',
    ],
    [
      'an image_url over 3,000 characters',
      { text: 'x', blocks: [image(`https://kroki.io/${'a'.repeat(2_984)}`)] },
      'invalid_blocks',
    ],
    [
      'an image without alt_text',
      { text: 'x', blocks: [image('https://kroki.io/x.png', '')] },
      'invalid_blocks',
    ],
    ['neither text nor blocks', {}, 'no_text'],
    ['text over 40,000 characters', { text: 't'.repeat(40_001) }, 'msg_too_long'],
  ])('refuses a message with %s', async (_case, payload, error) => {
    const post = clientFor(fake).apiCall('chat.postMessage', { channel: CHANNEL, ...payload });

    await expect(post).rejects.toMatchObject({
      code: webApi.ErrorCode.PlatformError,
      data: { ok: false, error },
    });
  });

  it('accepts a message right at the limits: 50 blocks, a 150-character header, 12,000 markdown characters', async () => {
    const filler = Array.from({ length: 48 }, () => markdown('.'));
    const blocks = [header('h'.repeat(150)), markdown('m'.repeat(12_000 - filler.length)), ...filler];

    const posted = await clientFor(fake).chat.postMessage({ channel: CHANNEL, text: 'fallback', blocks });

    expect(posted.ok).toBe(true);
    expect(blocks).toHaveLength(50);
  });

  it('accepts one table of 100 rows of 20 cells and an image with a 3,000-character URL', async () => {
    const imageUrl = `https://kroki.io/${'a'.repeat(3_000 - 'https://kroki.io/'.length)}`;

    const posted = await clientFor(fake).chat.postMessage({
      channel: CHANNEL,
      text: 'fallback',
      blocks: [table(100, 20), image(imageUrl)] as never,
    });

    expect(posted.ok).toBe(true);
    expect(imageUrl).toHaveLength(3_000);
  });

  it('refuses an image Slack cannot download with invalid_blocks pointing at its image_url', async () => {
    const post = clientFor(fake).apiCall('chat.postMessage', {
      channel: CHANNEL,
      text: 'x',
      blocks: [
        markdown('a'),
        image('http://kroki.invalid:8000/mermaid/png/eNpLyUwvSizIUHBXqPZIzcnJ17ULzy_KSanlAgB1EAjQ'),
      ],
    });

    await expect(post).rejects.toMatchObject({
      data: {
        error: 'invalid_blocks',
        errors: ['downloading image failed [json-pointer:/blocks/1/image_url]'],
      },
    });
  });

  it('lets a test decide which image hosts Slack can reach', async () => {
    await withFake({ isImageReachable: (url) => url.hostname === 'kroki.io' }, async (other) => {
      const client = clientFor(other);
      const post = (imageUrl: string) =>
        client.apiCall('chat.postMessage', { channel: CHANNEL, text: 'x', blocks: [image(imageUrl)] });

      await expect(post('https://kroki.io/mermaid/png/x')).resolves.toMatchObject({ ok: true });
      await expect(post('https://mermaid.ink/img/x')).rejects.toMatchObject({
        data: { error: 'invalid_blocks' },
      });
    });
  });

  it('points at the second table block when a message has two', async () => {
    const post = clientFor(fake).apiCall('chat.postMessage', {
      channel: CHANNEL,
      text: 'x',
      blocks: [markdown('a'), table(2, 2), table(2, 2)],
    });

    await expect(post).rejects.toMatchObject({
      data: {
        error: 'invalid_blocks',
        errors: ['only one table block is allowed per message [json-pointer:/blocks/2]'],
      },
    });
  });

  it('explains an invalid block the way Slack does, with a JSON pointer', async () => {
    const post = clientFor(fake).chat.postMessage({
      channel: CHANNEL,
      text: 'x',
      blocks: [header('h'.repeat(151))],
    });

    await expect(post).rejects.toMatchObject({
      data: {
        error: 'invalid_blocks',
        errors: ['must be less than 151 characters [json-pointer:/blocks/0/text/text]'],
        response_metadata: {
          messages: ['[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]'],
        },
      },
    });
  });

  it('refuses a message without a channel with channel_not_found', async () => {
    const post = clientFor(fake).apiCall('chat.postMessage', { text: 'nowhere' });

    await expect(post).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
  });

  it('refuses a channel outside the configured ones with channel_not_found', async () => {
    await withFake({ channels: ['C0001'] }, async (other) => {
      const post = clientFor(other).chat.postMessage({ channel: 'C0002', text: 'x' });

      await expect(post).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    });
  });

  it('refuses a token that is not a bot token with invalid_auth', async () => {
    const post = clientFor(fake, 'not-a-token').chat.postMessage({ channel: CHANNEL, text: 'x' });

    await expect(post).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
  });

  it('refuses a bot token other than the configured one with invalid_auth', async () => {
    await withFake({ botToken: 'xoxb-the-right-one' }, async (other) => {
      const post = clientFor(other, 'xoxb-another-one').chat.postMessage({ channel: CHANNEL, text: 'x' });

      await expect(post).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    });
  });

  it('refuses a call without any token with not_authed, as Slack does', async () => {
    const post = clientFor(fake, null).chat.postMessage({ channel: CHANNEL, text: 'x' });

    await expect(post).rejects.toMatchObject({ data: { error: 'not_authed' } });
  });

  it('records refused calls with their error', async () => {
    await clientFor(fake)
      .chat.postMessage({ channel: CHANNEL, text: '' })
      .catch(() => undefined);

    expect(fake.callsTo('chat.postMessage')).toEqual([
      expect.objectContaining({ status: 200, error: 'no_text' }),
    ]);
  });
});

describe('fake Slack Web API: programmed faults', () => {
  it('answers 429 with Retry-After, which the real client waits out before retrying', async () => {
    fake.failNext('chat.postMessage', { rateLimited: 1 });
    const started = Date.now();

    const result = await clientFor(fake).chat.postMessage({ channel: CHANNEL, text: 'after the wait' });

    const attempts = fake.callsTo('chat.postMessage');
    expect(result.ok).toBe(true);
    expect(attempts.map((a) => a.status)).toEqual([429, 200]);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('answers a 503 that the real client retries', async () => {
    fake.failNext('chat.update', { status: 503 });
    const client = clientFor(fake);
    const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'v1' });

    await client.chat.update({ channel: CHANNEL, ts: posted.ts as string, text: 'v2' });

    expect(fake.callsTo('chat.update').map((c) => c.status)).toEqual([503, 200]);
  });

  it('gives up after the client retries are spent on repeated 500s with an HTTP error', async () => {
    fake.failNext('chat.postMessage', { status: 500 }, { times: 3 });

    const post = clientFor(fake).chat.postMessage({ channel: CHANNEL, text: 'x' });

    await expect(post).rejects.toMatchObject({ code: webApi.ErrorCode.HTTPError, statusCode: 500 });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(3);
  });

  it('answers a programmed Slack error once, then behaves normally', async () => {
    fake.failNext('chat.postMessage', { error: 'is_archived' });
    const client = clientFor(fake);

    const first = client.chat.postMessage({ channel: CHANNEL, text: 'x' });
    await expect(first).rejects.toMatchObject({ data: { error: 'is_archived' } });
    const second = await client.chat.postMessage({ channel: CHANNEL, text: 'x' });

    expect(second.ok).toBe(true);
  });

  it('delays every answer by the configured latency', async () => {
    fake.setLatency(150);
    const started = Date.now();

    await clientFor(fake).auth.test();

    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('fake Slack Web API: waiting for calls', () => {
  it('resolves waitFor with the first call that matches', async () => {
    const client = clientFor(fake);
    const waiting = fake.waitFor((c) => c.method === 'chat.update', { timeoutMs: 2000 });
    const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'v1' });
    await client.chat.update({ channel: CHANNEL, ts: posted.ts as string, text: 'v2' });

    const call = await waiting;

    expect(call.args).toMatchObject({ ts: posted.ts, text: 'v2' });
  });

  it('rejects waitFor on timeout with the methods seen so far', async () => {
    await clientFor(fake).auth.test();
    await clientFor(fake)
      .chat.postMessage({ channel: CHANNEL, text: '' })
      .catch(() => undefined);

    const waiting = fake.waitFor((c) => c.method === 'chat.update', { timeoutMs: 50 });

    await expect(waiting).rejects.toThrow(/Timed out after 50 ms.*auth\.test, chat\.postMessage \(no_text\)/);
  });
});

const modal = (overrides: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  callback_id: 'form',
  title: { type: 'plain_text' as const, text: 'What was wrong?' },
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Tell us' } }],
  ...overrides,
});

describe('fake Slack Web API: views', () => {
  it('opens a modal with a fresh trigger id and records it', async () => {
    const triggerId = fake.newTriggerId();

    const result = await clientFor(fake).views.open({ trigger_id: triggerId, view: modal() });

    expect(result.ok).toBe(true);
    expect(result.view?.id).toMatch(/^V\d+$/);
    expect(fake.openedViews).toHaveLength(1);
    expect(fake.openedViews[0]).toMatchObject({ triggerId, view: { callback_id: 'form', type: 'modal' } });
  });

  it('refuses a trigger id used twice, one it never issued, and none at all', async () => {
    const client = clientFor(fake);
    const triggerId = fake.newTriggerId();
    await client.views.open({ trigger_id: triggerId, view: modal() });

    await expect(client.views.open({ trigger_id: triggerId, view: modal() })).rejects.toMatchObject({
      data: { error: 'exchanged_trigger_id' },
    });
    await expect(client.views.open({ trigger_id: '1.2.made-up', view: modal() })).rejects.toMatchObject({
      data: { error: 'invalid_trigger_id' },
    });
    await expect(client.apiCall('views.open', { view: JSON.stringify(modal()) })).rejects.toMatchObject({
      data: { error: 'invalid_arguments' },
    });
    expect(fake.openedViews).toHaveLength(1);
  });

  it('refuses a trigger id older than its lifetime with expired_trigger_id', async () => {
    await withFake({ triggerTtlMs: 20 }, async (other) => {
      const triggerId = other.newTriggerId();
      await new Promise((resolve) => setTimeout(resolve, 40));

      await expect(
        clientFor(other).views.open({ trigger_id: triggerId, view: modal() }),
      ).rejects.toMatchObject({
        data: { error: 'expired_trigger_id' },
      });
    });
  });

  it.each([
    ['a title over 24 characters', modal({ title: { type: 'plain_text', text: 'x'.repeat(25) } })],
    ['a view that is not a modal', modal({ type: 'home' })],
    ['a modal without blocks', modal({ blocks: undefined })],
    ['a callback id over 255 characters', modal({ callback_id: 'c'.repeat(256) })],
  ])('refuses to open %s with invalid_arguments', async (_name, view) => {
    const post = clientFor(fake).views.open({ trigger_id: fake.newTriggerId(), view: view as never });

    await expect(post).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });
    expect(fake.openedViews).toHaveLength(0);
  });

  it("publishes a user's Home tab and keeps the latest one", async () => {
    const client = clientFor(fake);
    const home = (text: string) => ({
      type: 'home' as const,
      blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }],
    });

    await client.views.publish({ user_id: 'U0001', view: home('first') });
    const result = await client.views.publish({ user_id: 'U0001', view: home('second') });

    expect(result.ok).toBe(true);
    expect(JSON.stringify(fake.homeViewOf('U0001'))).toContain('second');
    expect(fake.homeViewOf('U0002')).toBeUndefined();
  });

  it('refuses a Home tab without a user, of another type, or over 100 blocks', async () => {
    const client = clientFor(fake);
    const section = { type: 'section', text: { type: 'mrkdwn', text: 'x' } };

    await expect(
      client.apiCall('views.publish', { view: JSON.stringify({ type: 'home', blocks: [section] }) }),
    ).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });
    await expect(client.views.publish({ user_id: 'U1', view: modal() as never })).rejects.toMatchObject({
      data: { error: 'invalid_arguments' },
    });
    await expect(
      client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: Array(101).fill(section) } }),
    ).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });
    expect(fake.homeViewOf('U1')).toBeUndefined();
  });

  it('answers chat.getPermalink with a link to the message', async () => {
    const result = await clientFor(fake).chat.getPermalink({
      channel: CHANNEL,
      message_ts: '1700000000.000100',
    });

    expect(result.permalink).toBe(`https://fake-workspace.slack.com/archives/${CHANNEL}/p1700000000000100`);
  });
});

describe('fake Slack Web API: feedback buttons', () => {
  const feedbackBlock = (label: string, value = 'v') => ({
    type: 'context_actions',
    elements: [
      {
        type: 'feedback_buttons',
        action_id: 'feedback',
        positive_button: { text: { type: 'plain_text', text: label }, value },
        negative_button: { text: { type: 'plain_text', text: 'No' }, value },
      },
    ],
  });

  it('accepts a context_actions block of feedback buttons', async () => {
    const result = await clientFor(fake).chat.postMessage({
      channel: CHANNEL,
      text: 'x',
      blocks: [feedbackBlock('Yes') as never],
    });
    expect(result.ok).toBe(true);
  });

  it.each([
    ['a label over 75 characters', feedbackBlock('y'.repeat(76))],
    ['a value over 2,000 characters', feedbackBlock('Yes', 'v'.repeat(2001))],
    ['no elements', { type: 'context_actions', elements: [] }],
  ])('refuses %s with invalid_blocks', async (_name, block) => {
    const post = clientFor(fake).chat.postMessage({ channel: CHANNEL, text: 'x', blocks: [block as never] });
    await expect(post).rejects.toMatchObject({ data: { error: 'invalid_blocks' } });
  });
});
