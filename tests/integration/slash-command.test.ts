import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lastUserText } from '../fakes/anthropic-messages.js';
import { CHANNEL_ID, USER_ID } from '../support/slack-payload-builders.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.close();
});

describe('/architect', () => {
  it('acks at once, posts a visible root message and answers in its thread', async () => {
    t.anthropic.enqueue({
      text: '## API Endpoints\n\n`POST /v1/carts` creates a cart.\n\n## Database Schema\n\n```sql\nCREATE TABLE carts (id uuid PRIMARY KEY);\n```',
    });

    const response = await t.sendCommand('design a shopping cart service for our e-commerce platform');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');

    const root = await t.slack.waitFor(
      (call) => call.method === 'chat.postMessage' && call.args.thread_ts === undefined,
    );
    expect(root.args.channel).toBe(CHANNEL_ID);
    expect(String(root.args.text)).toContain(`<@${USER_ID}>`);
    expect(String(root.args.text)).toContain('design a shopping cart service');

    await t.slack.waitFor((call) => call.method === 'chat.update');
    await t.settle();
    const rootTs = findRootTs(t);
    const replies = t.slack.threadMessages(CHANNEL_ID, rootTs).filter((message) => message.ts !== rootTs);
    expect(replies).toHaveLength(1);
    const blocks = JSON.stringify(replies[0]?.blocks);
    expect(blocks).toContain('"type":"header"');
    expect(blocks).toContain('API Endpoints');
    expect(blocks).toContain('CREATE TABLE carts');
    expect(lastUserText(t.anthropic.requests[0]?.body ?? {})).toBe(
      'design a shopping cart service for our e-commerce platform',
    );
  });

  it('echoes the request in the root message escaped, so typed markup cannot ping the channel', async () => {
    // Slack sends what the user typed with &, < and > escaped.
    await t.sendCommand('&lt;!channel&gt; design a cart');
    const root = await t.slack.waitFor(
      (call) => call.method === 'chat.postMessage' && call.args.thread_ts === undefined,
    );
    expect(String(root.args.text)).toContain('&lt;!channel&gt; design a cart');
    expect(String(root.args.text)).not.toContain('<!channel>');
    await t.slack.waitFor((call) => call.method === 'chat.update');
    await t.settle();
    // The model sees what the user typed.
    expect(lastUserText(t.anthropic.requests[0]?.body ?? {})).toBe('<!channel> design a cart');
  });

  it('shows usage only to the user for /architect alone or /architect help, without calling the model', async () => {
    for (const text of ['', 'help']) {
      const response = await t.sendCommand(text);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { response_type: string; text: string };
      expect(body.response_type).toBe('ephemeral');
      expect(body.text).toContain('/architect design a shopping cart service');
    }
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(t.anthropic.requests).toHaveLength(0);
  });

  it('replaces its placeholder with the answer instead of posting a copy', async () => {
    t.anthropic.enqueue({ text: 'A short answer.' });
    await t.sendCommand('design a url shortener');
    await t.slack.waitFor((call) => call.method === 'chat.update');
    await t.settle();

    const rootTs = findRootTs(t);
    const replies = t.slack.threadMessages(CHANNEL_ID, rootTs).filter((message) => message.ts !== rootTs);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0]?.blocks)).toContain('A short answer.');
    expect(JSON.stringify(t.slack.messages)).not.toContain('Working on your design');
  });

  it('tells the user privately when it cannot post in the channel', async () => {
    t.slack.failNext('chat.postMessage', { error: 'not_in_channel' });
    const respond = t.slack
      .waitFor((call) => call.method === 'response_url', { timeoutMs: 5_000 })
      .catch(() => undefined);
    await t.sendCommand('design a cart', { channel: 'C0NOTMEMBER' });
    const call = await respond;
    expect(call?.args.response_type).toBe('ephemeral');
    expect(String(call?.args.text)).toContain('/invite @Architect');
    expect(t.anthropic.requests).toHaveLength(0);
  });
});

function findRootTs(bot: TestBot): string {
  const root = bot.slack
    .callsTo('chat.postMessage')
    .find((call) => call.args.thread_ts === undefined && !call.error);
  const ts = [...bot.slack.messages.values()].find((message) => message.text === root?.args.text)?.ts;
  if (!ts) throw new Error('no root message was posted');
  return ts;
}
