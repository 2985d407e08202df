import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalDynalite, startLocalDynalite } from '../../src/adapters/dynamodb/local-dynalite.js';
import { ensureThreadTable } from '../../src/adapters/dynamodb/thread-table.js';
import { type Config, loadConfig } from '../../src/config.js';
import type { IncomingRequest } from '../../src/core/conversation.js';
import { AnswerThread } from '../../src/handlers/answer-thread.js';
import { buildThreadStore } from '../../src/handlers/build-thread-store.js';
import { type FakeAnthropic, startFakeAnthropic } from '../fakes/anthropic-messages.js';
import { type FakeSlack, startFakeSlack } from '../fakes/slack-web-api.js';
import { nextTs } from '../support/slack-payload-builders.js';

let slack: FakeSlack;
let anthropic: FakeAnthropic;
let dynalite: LocalDynalite;
let dataDir: string;

beforeEach(async () => {
  [slack, anthropic, dynalite] = await Promise.all([
    startFakeSlack(),
    startFakeAnthropic(),
    startLocalDynalite(),
  ]);
  dataDir = await mkdtemp(join(tmpdir(), 'architect-answer-thread-'));
});

afterEach(async () => {
  await Promise.all([slack.close(), anthropic.close(), dynalite.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

function config() {
  return loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: 'test-signing-secret',
    SLACK_API_URL: slack.url,
    ANTHROPIC_API_KEY: 'sk-ant-test',
    ANTHROPIC_BASE_URL: anthropic.url,
    TABLE_NAME: 'answer-thread-test',
    DATA_DIR: dataDir,
    DYNAMODB_ENDPOINT: dynalite.endpoint,
  });
}

function mention(text: string): IncomingRequest {
  const ts = nextTs();
  return {
    teamId: 'T123',
    channelId: 'C0CHANNEL',
    userId: 'U0ALICE',
    text,
    kind: 'request',
    source: { type: 'post', postTs: ts, threadTs: ts },
  };
}

describe('AnswerThread', () => {
  it('answers a request on its own thread and hands its log lines to the main thread', async () => {
    const settings = config();
    const { dynamo } = buildThreadStore(settings, dynalite.endpoint);
    await ensureThreadTable(dynamo.client, settings.TABLE_NAME);
    dynamo.client.destroy();
    anthropic.enqueue({ text: '## API endpoints\n\nPOST /v1/carts' });
    const lines: string[] = [];
    const thread = await AnswerThread.start(settings, dynalite.endpoint, (line) => lines.push(line));
    const request = mention('design a cart service');

    await thread.answer(request);
    // The thread's lines (sent a batch at a time) are all in by the time it reports the request done.
    const linesWhenDone = [...lines];
    await thread.close();

    const answer = slack.calls.find(
      (call) => call.method === 'chat.update' && JSON.stringify(call.args).includes('POST /v1/carts'),
    );
    expect(answer?.args).toMatchObject({ channel: 'C0CHANNEL' });
    const posted = linesWhenDone
      .map((line) => JSON.parse(line))
      .find((line) => line.message === 'answer posted');
    expect(posted).toMatchObject({ level: 'info', channel: 'C0CHANNEL', post: request.source.postTs });
  });

  it('refuses work once closed, rather than leaving it hanging', async () => {
    const thread = await AnswerThread.start(config(), dynalite.endpoint, () => undefined);
    await thread.close();

    await expect(thread.answer(mention('design a queue'))).rejects.toThrow(/stopped/);
  });
});

describe('AnswerThread when its thread stops unexpectedly', () => {
  const crashingEntry = new URL('../support/crashing-answer-thread.mjs', import.meta.url);
  const settings = (crash: 'once' | 'always') => ({ DATA_DIR: dataDir, crash }) as unknown as Config;

  async function deliveries(): Promise<string[][]> {
    const text = await readFile(join(dataDir, 'deliveries'), 'utf8');
    return text
      .trim()
      .split('\n')
      .map((line) => line.split(' '));
  }

  it('starts a new thread and gives it the request again, under the same delivery id', async () => {
    const lines: string[] = [];
    const thread = await AnswerThread.start(settings('once'), undefined, (line) => lines.push(line), {
      entry: crashingEntry,
    });
    const request = mention('design a cart service');

    await thread.answer(request);
    await thread.close();

    const [first, second, ...more] = await deliveries();
    expect(more).toEqual([]);
    expect(first?.[0]).toBe(request.source.postTs);
    expect(second).toEqual(first);
    expect(lines.map((line) => JSON.parse(line).message)).toContain(
      'answer thread stopped; starting it again',
    );
  });

  it('gives up after repeated stops and has every request told so, this one and later ones', async () => {
    const lines: string[] = [];
    const abandoned: string[] = [];
    const thread = await AnswerThread.start(settings('always'), undefined, (line) => lines.push(line), {
      entry: crashingEntry,
      onAbandoned: async (request) => {
        abandoned.push(request.text);
      },
    });

    await thread.answer(mention('design a queue'));
    await thread.answer(mention('design a ledger'));

    expect(await deliveries()).toHaveLength(4);
    expect(lines.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'answers stopped', unfinished: 1 }),
    );
    expect(abandoned).toEqual(['design a queue', 'design a ledger']);
    await thread.close();
  });
});
