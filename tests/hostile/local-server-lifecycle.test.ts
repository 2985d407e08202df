import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAnthropic, startFakeAnthropic } from '../fakes/anthropic-messages.js';
import { type FakeSlack, startFakeSlack } from '../fakes/slack-web-api.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../support/test-bot.js';
import { startLocalServerProcess } from './local-server-process.js';

let slack: FakeSlack;
let anthropic: FakeAnthropic;

beforeAll(async () => {
  [slack, anthropic] = await Promise.all([startFakeSlack({ botToken: BOT_TOKEN }), startFakeAnthropic()]);
});

afterAll(async () => {
  await Promise.all([slack.close(), anthropic.close()]);
});

describe('pnpm start, as its own process', () => {
  it('answers 404 to requests Bolt has no route for, keeps serving, and logs its stop last', async () => {
    const server = await startLocalServerProcess({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: anthropic.url,
    });
    const base = new URL('/', server.url).href;
    const statuses: number[] = [];
    try {
      for (const method of ['GET', 'HEAD', 'PUT']) {
        const response = await fetch(base, { method });
        await response.arrayBuffer();
        statuses.push(response.status);
      }
      const health = await fetch(new URL('/health', server.url));
      statuses.push(health.status);
    } finally {
      await server.stop();
    }
    const lines = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { message?: string });

    expect(statuses).toEqual([404, 404, 404, 200]);
    expect(server.exited()).toBe('exit code 0');
    expect(lines.at(-1)?.message).toBe('stopping');
    expect(lines.map((line) => line.message)).toContain('Architect is running');
  });
});
