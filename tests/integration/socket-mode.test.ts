import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startLocalBot } from '../../src/handlers/start-local-bot.js';
import { type FakeSlack, startFakeSlack } from '../fakes/slack-web-api.js';

let slack: FakeSlack | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await slack?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('Socket Mode', () => {
  it('opens its connection through SLACK_API_URL with the app-level token when SLACK_APP_TOKEN is set', async () => {
    slack = await startFakeSlack();
    dataDir = await mkdtemp(join(tmpdir(), 'architect-socket-'));
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: 'unused-in-socket-mode',
      SLACK_APP_TOKEN: 'xapp-1-test-token',
      SLACK_API_URL: slack.url,
      ANTHROPIC_API_KEY: 'sk-ant-test',
      DATA_DIR: dataDir,
    });
    // Refuse the connection so start-up ends: a real WebSocket peer is out of scope here.
    slack.failNext('apps.connections.open', { error: 'invalid_auth' }, { times: 5 });

    const started = startLocalBot(config, { writeLog: () => undefined });

    await expect(started).rejects.toThrow(/invalid_auth/);
    const opens = slack.callsTo('apps.connections.open');
    expect(opens.length).toBeGreaterThanOrEqual(1);
    expect(opens[0]?.token).toBe('xapp-1-test-token');
  });
});
