import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDynamoDBClients } from '../../src/adapters/dynamodb/create-dynamodb-clients.js';
import { DynamoDBThreadStore } from '../../src/adapters/dynamodb/dynamodb-thread-store.js';
import { decodeRequest } from '../../src/adapters/sqs/request-message.js';
import { type ArchitectModel, noTelemetry } from '../../src/core/ports.js';
import { answerRequest } from '../../src/slack/answer-request.js';
import { renderAnswer } from '../../src/slack/render/render-answer.js';
import type { KnownBlock } from '../../src/slack/render/slack-message-payload.js';
import { CUT_SHORT_NOTE } from '../../src/slack/user-messages.js';
import {
  LAMBDA_BOT_TOKEN,
  type LambdaDriver,
  type LambdaWorld,
  lambdaContext,
  startLambdaDriver,
} from '../support/lambda-harness.js';
import { conversationOf } from '../support/model-requests.js';
import { CHANNEL_ID, mentionEvent, messageEvent, TEAM_ID } from '../support/slack-payload-builders.js';

let world: LambdaWorld;
let lambda: LambdaDriver;
beforeAll(async () => {
  ({ world, lambda } = await startLambdaDriver({ LOG_LEVEL: 'error', LIVE_ANSWER: 'stream' }));
});
afterAll(async () => {
  await world.close();
});
beforeEach(() => {
  world.anthropic.defaultReply = { text: 'Default answer.' };
});

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function lines(count: number, label: string): string {
  return Array.from({ length: count }, (_, i) => `- ${label} point ${i}: keep the write path short.`).join(
    '\n',
  );
}

describe('worker near its timeout', () => {
  it('stops the stream, shows what it has with a note that it was cut, and keeps it as the answer', async () => {
    const answer = `## API Endpoints\n${lines(120, 'api')}`;
    // About 12 s of text at this pace; the worker has 5 s (35 s left less its 30 s finishing margin).
    world.anthropic.enqueue({ text: answer, chunkSize: 40, delayMsBetweenChunks: 100 });
    const event = mentionEvent('<@UBOT> design a slow service');
    await lambda.sendEvent(event);

    const { response } = await lambda.runWorker(35_000);

    expect(response.batchItemFailures).toEqual([]);
    const replies = world.slack.threadMessages(CHANNEL_ID, event.ts);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((reply) => !reply.streaming)).toBe(true);
    const shown = JSON.stringify(replies);
    expect(shown).toContain('api point 0:');
    expect(shown).not.toContain('api point 119:');
    expect(shown).toContain('ran out of time');
    expect(CUT_SHORT_NOTE).toContain('ran out of time');

    // What was shown counts against the workspace's budget and the thread's totals (output, estimated).
    const dynamo = createDynamoDBClients({ endpoint: world.env.DYNAMODB_ENDPOINT });
    const store = new DynamoDBThreadStore({
      client: dynamo.documentClient,
      tableName: world.env.TABLE_NAME ?? '',
    });
    const thread = { teamId: TEAM_ID, channelId: CHANNEL_ID, threadTs: event.ts };
    const usage = await store.threadUsage(thread);
    expect(usage?.outputTokens).toBeGreaterThan(0);
    expect(await store.workspaceTokensToday(TEAM_ID)).toBeGreaterThanOrEqual(usage?.outputTokens ?? 1);
    dynamo.client.destroy();

    // A follow-up sees the cut answer as the assistant's turn.
    world.anthropic.enqueue({ text: 'Here is the rest.' });
    await lambda.sendEvent(messageEvent('continue', { threadTs: event.ts }));
    await lambda.runWorker();
    const conversation = conversationOf(world.anthropic.requests.at(-1)?.body);
    expect(conversation[1]?.role).toBe('assistant');
    expect(conversation[1]?.content).toMatch(/^## API Endpoints\n- api point 0:/);
    expect(conversation[1]?.content).not.toContain('api point 119:');
  }, 20_000);
});

describe('worker crash mid-stream', () => {
  it('a redelivery finishes the messages the crashed attempt streamed instead of leaving them', async () => {
    const event = mentionEvent('<@UBOT> design a crash-proof service');
    await lambda.sendEvent(event);
    const delivery = world.sqs.takeLambdaEvent(world.queueUrl);
    const [record] = delivery.Records;
    if (!record) throw new Error('no queued job');

    // The first attempt runs the real answering code; its model writes some text and then the process
    // "dies": the call never returns, nothing after it runs, and the stream is left open in Slack.
    const dynamo = createDynamoDBClients({ endpoint: world.env.DYNAMODB_ENDPOINT });
    const store = new DynamoDBThreadStore({
      client: dynamo.documentClient,
      tableName: world.env.TABLE_NAME ?? '',
    });
    const frozen: ArchitectModel = {
      streamAnswer(request) {
        request.onText?.('## API Endpoints\nHalf of the first attempt');
        return new Promise(() => {});
      },
      countTokens: async () => 0,
    };
    void answerRequest(decodeRequest(record.body), record.messageId, {
      client: new webApi.WebClient(LAMBDA_BOT_TOKEN, { slackApiUrl: world.slack.url }),
      store,
      model: frozen,
      systemPrompt: 'You are an architect.',
      historyTokenBudget: 10_000,
      log: quiet,
      telemetry: noTelemetry,
      liveAnswer: 'stream',
    });
    const inThread = (call: { args: Record<string, unknown> }) => call.args.thread_ts === event.ts;
    const started = await world.slack.waitFor(
      (call) => call.method === 'chat.startStream' && call.status === 200 && inThread(call),
    );
    await world.slack.waitFor((call) => call.method === 'chat.delete' && call.at >= started.at);
    // The placeholder is deleted only after the streamed message's ts is recorded on the claim.
    const [streamed] = world.slack.threadMessages(CHANNEL_ID, event.ts);
    expect(streamed?.streaming).toBe(true);

    // The queue delivers the same message again (the crashed worker never deleted it).
    const answer = `## API Endpoints\n${lines(10, 'api')}`;
    world.anthropic.enqueue({ text: answer });
    const again = await lambda.worker(delivery, lambdaContext('architect-test-worker', 600_000));
    world.sqs.settleLambdaBatch(world.queueUrl, delivery, again);

    expect(again.batchItemFailures).toEqual([]);
    const replies = world.slack.threadMessages(CHANNEL_ID, event.ts);
    expect(replies.map((reply) => reply.ts)).toEqual([streamed?.ts]);
    // The answer's foot (context line with the time taken, "Open as canvas", feedback) as posted.
    const footerBlocks = (replies.at(-1)?.blocks ?? []).slice(-3) as KnownBlock[];
    expect(replies.map((reply) => reply.blocks)).toEqual(
      renderAnswer(answer, { footerBlocks }).map((message) => message.blocks),
    );
    expect(replies.every((reply) => !reply.streaming)).toBe(true);
    expect(world.slack.callsTo('chat.startStream').filter(inThread)).toHaveLength(1);
    expect(JSON.stringify(replies)).not.toContain('Half of the first attempt');
    dynamo.client.destroy();
  });
});
