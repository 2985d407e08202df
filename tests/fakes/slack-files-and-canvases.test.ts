import { type Logger, LogLevel, webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from './slack-web-api.js';

const BOT_TOKEN = 'xoxb-test-token';
const CHANNEL = 'C0001';
const THREAD = '1700000000.000100';

let fake: FakeSlack;
beforeEach(async () => {
  fake = await startFakeSlack();
});
afterEach(async () => {
  await fake.close();
});

function quietLogger(): Logger {
  const ignore = () => undefined;
  return {
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: ignore,
    setLevel: ignore,
    getLevel: () => LogLevel.ERROR,
    setName: ignore,
  };
}

/** The real WebClient against the fake, no retries, so refusals come back at once. */
function clientFor(target: FakeSlack): webApi.WebClient {
  return new webApi.WebClient(BOT_TOKEN, {
    slackApiUrl: target.url,
    retryConfig: { retries: 0 },
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

function errorOf(error: unknown): unknown {
  return (error as { data?: { error?: unknown } }).data?.error;
}

describe('fake Slack Web API: canvases', () => {
  it('creates a canvas from form-posted document_content and records its title and markdown', async () => {
    const created = await clientFor(fake).canvases.create({
      title: 'Cart service',
      document_content: { type: 'markdown', markdown: '# Design\n\nText' },
    });
    expect(created.ok).toBe(true);
    const canvas = fake.canvases.get(created.canvas_id ?? '');
    expect(canvas).toMatchObject({ title: 'Cart service', markdown: '# Design\n\nText' });
  });

  it('refuses document_content that is not markdown', async () => {
    const refused = await clientFor(fake)
      .apiCall('canvases.create', { document_content: { type: 'html', html: '<p>x</p>' } })
      .catch(errorOf);
    expect(refused).toBe('invalid_arguments');
    expect(fake.canvases.size).toBe(0);
  });

  it('answers the configured error when canvases are not available', async () => {
    await withFake({ canvasesUnavailable: 'free_teams_cannot_create_non_tabbed_canvases' }, async (other) => {
      const refused = await clientFor(other)
        .canvases.create({ title: 'x', document_content: { type: 'markdown', markdown: 'x' } })
        .catch(errorOf);
      expect(refused).toBe('free_teams_cannot_create_non_tabbed_canvases');
    });
  });

  it('sets access for channels or users, never both, and refuses DMs and unknown canvases', async () => {
    const client = clientFor(fake);
    const { canvas_id: id = '' } = await client.canvases.create({ title: 't' });
    await client.canvases.access.set({ canvas_id: id, access_level: 'read', channel_ids: [CHANNEL] });
    await client.canvases.access.set({ canvas_id: id, access_level: 'write', user_ids: ['U1'] });
    expect(fake.canvases.get(id)?.access).toEqual([
      { level: 'read', channelIds: [CHANNEL] },
      { level: 'write', userIds: ['U1'] },
    ]);

    const both = await client.canvases.access
      .set({ canvas_id: id, access_level: 'read', channel_ids: [CHANNEL], user_ids: ['U1'] })
      .catch(errorOf);
    const dm = await client.canvases.access
      .set({ canvas_id: id, access_level: 'read', channel_ids: ['D0DM'] })
      .catch(errorOf);
    const unknown = await client.canvases.access
      .set({ canvas_id: 'F0NOPE', access_level: 'read', channel_ids: [CHANNEL] })
      .catch(errorOf);
    expect([both, dm, unknown]).toEqual(['invalid_parameters', 'channel_not_found', 'canvas_not_found']);
  });
});

describe('fake Slack Web API: external file uploads', () => {
  it('takes the SDK filesUploadV2 flow end to end and shares the file in the thread', async () => {
    const content = '# Design\n\ncafé ☕\n';
    const result = await clientFor(fake).filesUploadV2({
      channel_id: CHANNEL,
      thread_ts: THREAD,
      content,
      filename: 'design.md',
      title: 'Design',
      initial_comment: 'Here it is',
    });

    const fileId = result.files[0]?.files?.[0]?.id ?? '';
    const file = fake.files.get(fileId);
    expect(file?.length).toBe(Buffer.byteLength(content));
    expect(file?.bytes?.toString('utf8')).toBe(content);
    expect(file?.completed).toEqual({
      title: 'Design',
      channelId: CHANNEL,
      threadTs: THREAD,
      initialComment: 'Here it is',
    });
    const [shared] = fake.threadMessages(CHANNEL, THREAD);
    expect(shared?.files).toEqual([{ id: fileId, title: 'Design' }]);
    expect(fake.callsTo('file_upload')[0]?.status).toBe(200);
  });

  it('accepts raw bytes at the upload URL and refuses a body whose size differs from the length announced', async () => {
    const { upload_url: url = '', file_id: id = '' } = await clientFor(fake).files.getUploadURLExternal({
      filename: 'a.md',
      length: 5,
    });
    const short = await fetch(url, { method: 'POST', body: 'abc' });
    expect(short.status).toBe(400);
    expect(fake.files.get(id)?.bytes).toBeUndefined();

    const exact = await fetch(url, { method: 'POST', body: 'abcde' });
    expect(exact.status).toBe(200);
    expect(await exact.text()).toBe('OK - 5');
  });

  it('refuses to complete a file whose bytes never arrived, and a zero length', async () => {
    const client = clientFor(fake);
    const { file_id: id = '' } = await client.files.getUploadURLExternal({ filename: 'a.md', length: 3 });
    const incomplete = await client.files
      .completeUploadExternal({ files: [{ id }], channel_id: CHANNEL })
      .catch(errorOf);
    const empty = await client.files.getUploadURLExternal({ filename: 'a.md', length: 0 }).catch(errorOf);
    expect([incomplete, empty]).toEqual(['file_not_found', 'missing_argument']);
    expect(fake.threadMessages(CHANNEL, THREAD)).toEqual([]);
  });
});
