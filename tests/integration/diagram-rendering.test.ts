import { inflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNEL_ID, mentionEvent, nextTs } from '../support/slack-payload-builders.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

let t: TestBot | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const DIAGRAM = 'flowchart LR\n  Client --> Gateway --> Orders[(orders)]';
const ANSWER = `## Service architecture\n\n\`\`\`mermaid\n${DIAGRAM}\n\`\`\`\n\nThe gateway is the only public entry.`;

describe('mermaid diagrams in answers', () => {
  it('shows an image drawn by the Kroki server in DIAGRAM_RENDER_URL under the diagram source', async () => {
    t = await startTestBot({ DIAGRAM_RENDER_URL: 'http://kroki.internal:8000' });
    t.anthropic.enqueue({ text: ANSWER });
    const rootTs = nextTs();

    await t.sendEvent(mentionEvent('<@UBOT> draw the architecture', { ts: rootTs }));
    await t.slack.waitFor((call) => call.method === 'chat.update');
    await t.settle();

    expect(t.slack.calls.filter((call) => call.error)).toEqual([]);
    const blocks = t.slack
      .threadMessages(CHANNEL_ID, rootTs)
      .flatMap(
        (message) => (message.blocks ?? []) as Array<{ type: string; image_url?: string; alt_text?: string }>,
      );
    // The answer's own blocks, before its footer (context line, "Open as canvas", feedback).
    expect(blocks.map((block) => block.type).slice(0, -3)).toEqual([
      'header',
      'markdown',
      'image',
      'markdown',
    ]);
    const image = { image_url: blocks[2]?.image_url ?? '', alt_text: blocks[2]?.alt_text ?? '' };
    const prefix = 'http://kroki.internal:8000/mermaid/png/';
    expect(image.image_url.startsWith(prefix)).toBe(true);
    const encoded = image.image_url.slice(prefix.length).replaceAll('-', '+').replaceAll('_', '/');
    expect(inflateSync(Buffer.from(encoded, 'base64')).toString('utf8')).toBe(DIAGRAM);
    expect(image.alt_text).toContain('flowchart LR');
  });
});

describe('a diagram server Slack cannot reach', () => {
  it('still gets the answer posted, without the image and with the diagram source', async () => {
    // The fake Slack cannot download images from hosts under .invalid, and refuses the message as Slack does.
    t = await startTestBot({ DIAGRAM_RENDER_URL: 'http://kroki.invalid:8000' });
    t.anthropic.enqueue({ text: ANSWER });
    const rootTs = nextTs();

    await t.sendEvent(mentionEvent('<@UBOT> draw the architecture', { ts: rootTs }));
    await t.slack.waitFor(
      (call) => call.method === 'chat.update' && !call.error && JSON.stringify(call.args).includes('mermaid'),
    );
    await t.settle();

    const refused = t.slack.calls.filter((call) => call.error);
    expect(refused.map((call) => call.error)).toEqual(['invalid_blocks']);
    const blocks = t.slack
      .threadMessages(CHANNEL_ID, rootTs)
      .flatMap((message) => (message.blocks ?? []) as Array<{ type: string; text?: unknown }>);
    expect(blocks.map((block) => block.type)).toEqual([
      'header',
      'markdown',
      'markdown',
      'context',
      'actions',
      'context_actions',
    ]);
    expect(JSON.stringify(blocks)).toContain('Client --> Gateway --> Orders[(orders)]');
    expect(JSON.stringify(blocks)).toContain('The gateway is the only public entry.');
  });
});
