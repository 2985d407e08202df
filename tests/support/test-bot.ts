import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { type LocalBot, startLocalBot } from '../../src/handlers/start-local-bot.js';
import { type FakeAnthropic, startFakeAnthropic } from '../fakes/anthropic-messages.js';
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from '../fakes/slack-web-api.js';
import { eventEnvelope, slashCommandBody } from './slack-payload-builders.js';
import { postSigned } from './slack-signing.js';

export const SIGNING_SECRET = 'test-signing-secret';
export const BOT_TOKEN = 'xoxb-test-token';

/** The whole bot as `pnpm start` runs it, against loopback Slack and Anthropic fakes and dynalite on disk. */
export interface TestBot {
  readonly slack: FakeSlack;
  readonly anthropic: FakeAnthropic;
  readonly bot: LocalBot;
  /** `http://127.0.0.1:<port>/slack/events` */
  readonly url: string;
  /** Every JSON log line the bot wrote. */
  readonly logs: string[];
  /** Posts a signed Events API envelope around `event`. */
  sendEvent(
    event: Record<string, unknown>,
    options?: { eventId?: string; headers?: Record<string, string> },
  ): Promise<Response>;
  /** Posts a signed slash command. */
  sendCommand(text: string, options?: { command?: string; channel?: string }): Promise<Response>;
  /** Waits until every answer dispatched so far has been posted. */
  settle(): Promise<void>;
  /** Stops the bot and starts it again on the same data folder and fakes. */
  restart(): Promise<TestBot>;
  close(): Promise<void>;
}

/** Starts fakes, an on-disk dynalite under a temp folder and the bot; `slack` configures the Slack fake. */
export async function startTestBot(
  env: Record<string, string> = {},
  options: { slack?: FakeSlackOptions } = {},
): Promise<TestBot> {
  const slack = await startFakeSlack({ ...options.slack, botToken: BOT_TOKEN });
  const anthropic = await startFakeAnthropic();
  const dataDir = await mkdtemp(join(tmpdir(), 'architect-test-'));
  return launch(slack, anthropic, dataDir, env, true);
}

async function launch(
  slack: FakeSlack,
  anthropic: FakeAnthropic,
  dataDir: string,
  env: Record<string, string>,
  ownsFakes: boolean,
): Promise<TestBot> {
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    ANTHROPIC_API_KEY: 'sk-ant-test',
    ANTHROPIC_BASE_URL: anthropic.url,
    TABLE_NAME: 'architect-test',
    DATA_DIR: dataDir,
    PORT: '0',
    ...env,
  });
  const logs: string[] = [];
  const bot = await startLocalBot(config, { writeLog: (line) => logs.push(line) });
  const url = `http://127.0.0.1:${bot.port}/slack/events`;

  const testBot: TestBot = {
    slack,
    anthropic,
    bot,
    url,
    logs,
    sendEvent: (event, options = {}) =>
      postSigned(url, JSON.stringify(eventEnvelope(event, options.eventId)), 'application/json', {
        signingSecret: SIGNING_SECRET,
        ...(options.headers ? { headers: options.headers } : {}),
      }),
    sendCommand: (text, options = {}) =>
      postSigned(
        url,
        slashCommandBody(text, { responseUrl: slack.responseUrl, ...options }),
        'application/x-www-form-urlencoded',
        {
          signingSecret: SIGNING_SECRET,
        },
      ),
    settle: () => bot.dispatcher.drain(),
    async restart() {
      await bot.stop();
      return launch(slack, anthropic, dataDir, env, ownsFakes);
    },
    async close() {
      await bot.stop();
      if (ownsFakes) {
        await slack.close();
        await anthropic.close();
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return testBot;
}
