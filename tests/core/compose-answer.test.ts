import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClaudeModel, createAnthropicClient } from '../../src/adapters/anthropic/claude-model.js';
import { DynamoDBThreadStore } from '../../src/adapters/dynamodb/dynamodb-thread-store.js';
import { ensureThreadTable } from '../../src/adapters/dynamodb/thread-table.js';
import { composeAnswer } from '../../src/core/compose-answer.js';
import type { AnswerJob, ThreadRef } from '../../src/core/conversation.js';
import {
  type DynaliteFixture,
  freshTableName,
  startDynaliteFixture,
} from '../adapters/dynamodb/dynalite-fixture.js';
import { type FakeAnthropic, startFakeAnthropic } from '../fakes/anthropic-messages.js';
import { conversationOf } from '../support/model-requests.js';

let dynamo: DynaliteFixture;
let fake: FakeAnthropic;
beforeAll(async () => {
  dynamo = await startDynaliteFixture();
  // A model whose tokenizer counts twice what four characters a token estimates (dense code).
  fake = await startFakeAnthropic({ countTokensScale: 2 });
});
afterAll(async () => {
  await fake.close();
  await dynamo.stop();
});

const thread: ThreadRef = { teamId: 'T1', channelId: 'C1', threadTs: '1700000000.000100' };
const ts = (n: number) => `1700000000.${String(100 + n).padStart(6, '0')}`;

async function storeWithThread(turns: number): Promise<DynamoDBThreadStore> {
  const tableName = freshTableName();
  await ensureThreadTable(dynamo.client, tableName);
  const store = new DynamoDBThreadStore({ client: dynamo.documentClient, tableName });
  await store.claimThread(thread, 'U1');
  for (let n = 0; n < turns; n += 1) {
    await store.appendTurn(thread, {
      role: 'user',
      postTs: ts(n),
      text: n === 0 ? 'FIRST REQUEST' : `question ${n}`,
    });
    await store.appendTurn(thread, {
      role: 'assistant',
      postTs: ts(n),
      text: `answer ${n} ${'x'.repeat(390)}`,
    });
  }
  return store;
}

function modelFor(): ClaudeModel {
  return new ClaudeModel({
    client: createAnthropicClient({ apiKey: 'k', baseURL: fake.url, timeoutMs: 5_000, maxRetries: 0 }),
    model: 'claude-sonnet-5-5',
    maxTokens: 1_000,
    streamIdleTimeoutMs: 5_000,
  });
}

describe('composeAnswer history budget', () => {
  it("cuts history by the model's own token count when the estimate undercounts it", async () => {
    // 10 turns of about 100 estimated tokens each: about 1,000 by estimate, 2,000 by the model's count.
    const store = await storeWithThread(10);
    const job: AnswerJob = { thread, postTs: ts(10), userId: 'U1', text: 'NEWEST QUESTION' };

    await composeAnswer(job, { store, model: modelFor(), systemPrompt: 'S', historyTokenBudget: 1_100 });

    const countRequests = fake.requests.filter((request) => request.path === '/v1/messages/count_tokens');
    expect(countRequests.length).toBeGreaterThan(0);
    const sent = conversationOf(
      fake.requests.filter((request) => request.path === '/v1/messages').at(-1)?.body,
    );
    const sentChars = sent.reduce((sum, message) => sum + message.content.length, 0);
    // What was sent fits the budget by the model's count (twice the four-characters estimate).
    expect(Math.ceil(sentChars / 4) * 2).toBeLessThanOrEqual(1_100);
    expect(sent[0]?.content.startsWith('FIRST REQUEST')).toBe(true);
    expect(sent.at(-1)?.content).toBe('NEWEST QUESTION');
  });

  it('does not ask the model to count a short thread', async () => {
    const store = await storeWithThread(1);
    const before = fake.requests.length;
    await composeAnswer(
      { thread, postTs: ts(1), userId: 'U1', text: 'a follow-up' },
      { store, model: modelFor(), systemPrompt: 'S', historyTokenBudget: 60_000 },
    );
    expect(fake.requests.slice(before).map((request) => request.path)).toEqual(['/v1/messages']);
  });
});
