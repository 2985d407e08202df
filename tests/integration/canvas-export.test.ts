import { afterEach, describe, expect, it } from 'vitest';
import type { FakeSlackMessage } from '../fakes/slack-web-api.js';
import {
  buttonClickBody,
  CHANNEL_ID,
  mentionEvent,
  messageEvent,
  nextTs,
  TEAM_ID,
} from '../support/slack-payload-builders.js';
import { postSigned } from '../support/slack-signing.js';
import { SIGNING_SECRET, startTestBot, type TestBot } from '../support/test-bot.js';

const CANVAS_ACTION = 'architect_open_canvas';

let t: TestBot;
afterEach(async () => {
  await t.close();
});

/** A thread with a design and one follow-up, answered; resolves the root ts. */
async function designThread(): Promise<string> {
  t.anthropic.enqueue(
    { text: '## API Endpoints\n\n`POST /v1/carts` creates a cart.' },
    { text: '## Database Schema\n\nReplicate `carts` in each region.' },
  );
  const rootTs = nextTs();
  await t.sendEvent(mentionEvent('<@UBOT> design a shopping cart service\nfor 1M users', { ts: rootTs }));
  await t.slack.waitFor(
    (call) => call.method === 'chat.update' && JSON.stringify(call.args).includes('/v1/carts'),
  );
  await t.settle();
  await t.sendEvent(messageEvent('what if we need multi-region?', { threadTs: rootTs }));
  await t.slack.waitFor(
    (call) => call.method === 'chat.update' && JSON.stringify(call.args).includes('Replicate'),
  );
  await t.settle();
  return rootTs;
}

/** The bot's message in the thread that carries the "Open as canvas" button, newest first. */
function messageWithButton(rootTs: string): FakeSlackMessage {
  const found = t.slack
    .threadMessages(CHANNEL_ID, rootTs)
    .filter((message) => JSON.stringify(message.blocks ?? []).includes(CANVAS_ACTION))
    .at(-1);
  if (!found) throw new Error('no message with the canvas button');
  return found;
}

async function click(message: FakeSlackMessage, clickTs: string): Promise<Response> {
  return postSigned(
    t.url,
    buttonClickBody(message, CANVAS_ACTION, clickTs),
    'application/x-www-form-urlencoded',
    {
      signingSecret: SIGNING_SECRET,
    },
  );
}

describe('"Open as canvas"', () => {
  it('puts the button under each answer and exports the complete design to a canvas linked in the thread', async () => {
    t = await startTestBot();
    const rootTs = await designThread();
    expect(
      t.slack
        .threadMessages(CHANNEL_ID, rootTs)
        .filter((m) => JSON.stringify(m.blocks).includes(CANVAS_ACTION)),
    ).toHaveLength(2);

    const response = await click(messageWithButton(rootTs), '1700003000.000001');
    expect(response.status).toBe(200);
    await t.settle();

    const [canvas] = [...t.slack.canvases.values()];
    expect(canvas?.title).toBe('design a shopping cart service');
    const markdown = canvas?.markdown ?? '';
    for (const part of [
      'POST /v1/carts',
      '> what if we need multi-region?',
      'Replicate `carts` in each region.',
    ]) {
      expect(markdown).toContain(part);
    }
    expect(markdown.indexOf('/v1/carts')).toBeLessThan(markdown.indexOf('Replicate'));

    const link = t.slack.threadMessages(CHANNEL_ID, rootTs).at(-1);
    expect(link?.text).toBe(
      `:page_facing_up: Design canvas: <https://fake-workspace.slack.com/docs/${TEAM_ID}/${canvas?.id}|design a shopping cart service>`,
    );
    expect(canvas?.access).toEqual([{ level: 'read', channelIds: [CHANNEL_ID] }]);
    expect(t.logs.some((line) => line.includes('design exported'))).toBe(true);
    expect(t.logs.some((line) => line.includes('shopping cart') && line.includes('"level":"info"'))).toBe(
      false,
    );
  });

  it('uploads the design as a Markdown file into the thread when canvases are not available', async () => {
    t = await startTestBot(
      {},
      { slack: { canvasesUnavailable: 'free_teams_cannot_create_non_tabbed_canvases' } },
    );
    const rootTs = await designThread();

    await click(messageWithButton(rootTs), '1700003000.000002');
    await t.settle();

    expect(t.slack.canvases.size).toBe(0);
    const [file] = [...t.slack.files.values()];
    expect(file?.filename).toBe('design-a-shopping-cart-service.md');
    expect(file?.bytes?.toString('utf8')).toContain('Replicate `carts` in each region.');
    expect(file?.completed).toMatchObject({ channelId: CHANNEL_ID, threadTs: rootTs });
    const shared = t.slack.threadMessages(CHANNEL_ID, rootTs).at(-1);
    expect(shared?.files).toEqual([{ id: file?.id, title: 'design a shopping cart service' }]);
    expect(shared?.text).toContain("Canvases aren't available");
  });

  it('creates one canvas for a double click, and tells the second click where the first one is', async () => {
    t = await startTestBot();
    const rootTs = await designThread();
    const message = messageWithButton(rootTs);

    await Promise.all([click(message, '1700003000.000003'), click(message, '1700003000.000004')]);
    await t.settle();

    expect(t.slack.canvases.size).toBe(1);
    expect(
      t.slack.threadMessages(CHANNEL_ID, rootTs).filter((m) => m.text.includes('Design canvas')),
    ).toHaveLength(1);
    const note = t.slack.callsTo('chat.postEphemeral').at(-1);
    expect(String(note?.args.text)).toContain('already exported');
    expect(note?.args.thread_ts).toBe(rootTs);
  });

  it('tells the clicker privately when the thread has nothing to export (forgotten)', async () => {
    t = await startTestBot();
    const rootTs = await designThread();
    const message = messageWithButton(rootTs);
    await t.sendEvent(mentionEvent('<@UBOT> forget', { threadTs: rootTs }));
    await t.settle();

    await click(message, '1700003000.000005');
    await t.settle();

    expect(t.slack.canvases.size).toBe(0);
    const note = await t.slack.waitFor((call) => call.method === 'chat.postEphemeral');
    expect(String(note.args.text)).toContain('no design in this thread');
    expect(t.slack.callsTo('canvases.create')).toHaveLength(0);
  });

  it('ends in a friendly message in the thread when Slack refuses the canvas', async () => {
    t = await startTestBot();
    const rootTs = await designThread();
    t.slack.failNext('canvases.create', { error: 'canvas_creation_failed' });

    await click(messageWithButton(rootTs), '1700003000.000006');
    await t.settle();

    const last = t.slack.threadMessages(CHANNEL_ID, rootTs).at(-1);
    expect(last?.text).toContain("couldn't export this design");
    expect(last?.text).not.toContain('canvas_creation_failed');
    expect(t.logs.some((line) => line.includes('design export failed'))).toBe(true);

    // The user clicks again and it works: the failure left nothing behind that blocks a new try.
    await click(messageWithButton(rootTs), '1700003000.000007');
    await t.settle();
    expect(t.slack.canvases.size).toBe(1);
  });
});
