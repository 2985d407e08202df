import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conversationOf } from '../support/model-requests.js';
import { CHANNEL_ID, mentionEvent, messageEvent, nextTs } from '../support/slack-payload-builders.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.close();
});

/** A realistic ~40,000-character design: five sections, JSON, a mermaid diagram and a long SQL block. */
function longDesign(): string {
  const endpoints = Array.from(
    { length: 60 },
    (_, i) =>
      `- \`GET /v1/carts/{cartId}/items/${i}\` returns item ${i} with its price, quantity and availability.`,
  );
  const json = JSON.stringify(
    {
      cartId: 'c_123',
      items: Array.from({ length: 40 }, (_, i) => ({ sku: `SKU-${i}`, qty: i % 5, priceCents: 1000 + i })),
    },
    null,
    2,
  );
  const sql = Array.from(
    { length: 400 },
    (_, i) =>
      `CREATE INDEX idx_cart_items_${i} ON cart_items_${i} (cart_id, added_at DESC); -- serves query ${i}`,
  );
  const scaling = Array.from(
    { length: 80 },
    (_, i) =>
      `Bottleneck ${i}: the hot partition for flash sale ${i} needs write sharding and a cache in front.`,
  );
  return [
    'A cart service for the e-commerce platform, assuming 5k requests a second at peak.',
    '## API Endpoints',
    ...endpoints,
    '```json',
    json,
    '```',
    '## Service Architecture',
    '```mermaid',
    'flowchart LR',
    '  Client --> Gateway --> CartService',
    '  CartService -.-> Events[(Kafka)]',
    '```',
    '## Database Schema',
    '```sql',
    ...sql,
    '```',
    '## Technology Recommendations',
    '| Need | Choice | Trade-off |',
    '|---|---|---|',
    '| Store | PostgreSQL | Strong consistency; manual sharding |',
    '| Cache | Redis | Fast; another thing to run |',
    '## Scalability Analysis',
    ...scaling,
  ].join('\n');
}

describe('long answers', () => {
  it('splits a 40,000-character answer over several messages within Slack limits, losing and repeating nothing', async () => {
    const design = longDesign();
    expect(design.length).toBeGreaterThan(40_000);
    t.anthropic.enqueue({ text: design, chunkSize: 2_000 });
    const rootTs = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT> design a shopping cart service', { ts: rootTs }));
    await t.slack.waitFor((call) => call.method === 'chat.update', { timeoutMs: 10_000 });
    await t.settle();

    // The fake refuses anything over Slack's limits, so every call must have succeeded.
    const refused = t.slack.calls.filter((call) => call.error);
    expect(refused).toEqual([]);
    const replies = t.slack.threadMessages(CHANNEL_ID, rootTs);
    expect(replies.length).toBeGreaterThan(3);

    const shown = replies
      .flatMap(
        (message) =>
          (message.blocks ?? []) as Array<{
            type: string;
            text?: string | { text: string };
            rows?: Array<Array<{ text?: string }>>;
          }>,
      )
      .map((block) => {
        if (block.rows)
          return block.rows.map((row) => row.map((cell) => cell.text ?? '').join(' | ')).join('\n');
        return typeof block.text === 'string' ? block.text : (block.text?.text ?? '');
      })
      .join('\n');
    const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;
    for (const line of design.split('\n')) {
      // Table rows become table block cells; fences and headings are re-emitted per part.
      if (line.startsWith('|') || line.startsWith('```') || line.startsWith('## ') || line.trim() === '')
        continue;
      expect(count(shown, line), `how often this line is shown: ${line.slice(0, 80)}`).toBe(
        count(design, line),
      );
    }
    for (const cell of ['PostgreSQL', 'Strong consistency; manual sharding', 'Redis'])
      expect(shown).toContain(cell);
    const blockTypes = replies.flatMap((message) =>
      ((message.blocks ?? []) as Array<{ type: string }>).map((block) => block.type),
    );
    expect(blockTypes.filter((type) => type === 'table')).toHaveLength(1);
    // Without DIAGRAM_RENDER_URL the diagram gets an editor link, never an image.
    expect(blockTypes).not.toContain('image');
    expect(JSON.stringify(replies)).toContain('https://mermaid.live/edit#pako:');
    for (const message of replies) expect(message.text.trim()).not.toBe('');
  });
});

describe('answers cut at the output limit', () => {
  it('say so and invite the user to ask for the rest', async () => {
    t.anthropic.enqueue({ text: '## API Endpoints\n\nThe design goes on and on', stopReason: 'max_tokens' });
    const rootTs = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT> design everything', { ts: rootTs }));
    await t.slack.waitFor((call) => call.method === 'chat.update');
    await t.settle();
    const replies = t.slack.threadMessages(CHANNEL_ID, rootTs);
    const shown = JSON.stringify(replies);
    expect(shown).toContain('The design goes on and on');
    expect(shown).toContain('reached my length limit');
    expect(shown).toContain('continue');
    // In the foot, a context line of its own, not in the text: a re-run then splits the text at the same places.
    const blocks = (replies.at(-1)?.blocks ?? []) as Array<{ type: string }>;
    const noteBlocks = blocks.filter((block) => JSON.stringify(block).includes('reached my length limit'));
    expect(noteBlocks.map((block) => block.type)).toEqual(['context']);
  });
});

describe('history in DynamoDB', () => {
  it('survives a restart: a follow-up after the bot restarts is answered with the earlier turns', async () => {
    const rootTs = nextTs();
    t.anthropic.enqueue({ text: 'FIRST DESIGN BEFORE RESTART' });
    await t.sendEvent(mentionEvent('<@UBOT> design an audit log service', { ts: rootTs }));
    await t.slack.waitFor((call) => call.method === 'chat.update');
    await t.settle();

    t = await t.restart();
    await t.sendEvent(messageEvent('how long do we keep the logs?', { threadTs: rootTs }));
    await t.anthropic.waitFor(() => t.anthropic.requests.length === 2, { timeoutMs: 5_000 });
    await t.slack.waitFor(
      (call) => call.method === 'chat.update' && JSON.stringify(call.args).includes('keep the logs'),
    );
    await t.settle();

    const messages = conversationOf(t.anthropic.requests[1]?.body);
    expect(messages).toEqual([
      { role: 'user', content: 'design an audit log service' },
      { role: 'assistant', content: 'FIRST DESIGN BEFORE RESTART' },
      { role: 'user', content: 'how long do we keep the logs?' },
    ]);
  });
});
