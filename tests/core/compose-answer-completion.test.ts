import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ClaudeModel, createAnthropicClient } from '../../src/adapters/anthropic/claude-model.js';
import { DynamoDBThreadStore } from '../../src/adapters/dynamodb/dynamodb-thread-store.js';
import { ensureThreadTable } from '../../src/adapters/dynamodb/thread-table.js';
import { type ComposeAnswerDependencies, composeAnswer } from '../../src/core/compose-answer.js';
import type { AnswerJob, ThreadRef } from '../../src/core/conversation.js';
import type { ArchitectModel, Log } from '../../src/core/ports.js';
import {
  type DynaliteFixture,
  freshTableName,
  startDynaliteFixture,
} from '../adapters/dynamodb/dynalite-fixture.js';
import { type FakeAnthropic, startFakeAnthropic } from '../fakes/anthropic-messages.js';
import { conversationOf } from '../support/model-requests.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/design-answers/${name}.md`, import.meta.url), 'utf8').trim();
}

const MISSING_SCALABILITY = fixture('missing-scalability');
const SCALABILITY =
  '## Scalability Analysis\n\n- Bottleneck: PostgreSQL writes; the Cart Service scales out horizontally.';
const SYSTEM_PROMPT = `You are Architect. ${'Design backends with care. '.repeat(40)}`;
const DESIGN_REQUEST = 'design a shopping cart service for our e-commerce platform';

let dynamo: DynaliteFixture;
let fake: FakeAnthropic;
beforeAll(async () => {
  dynamo = await startDynaliteFixture();
  // The prompt cache as the API keeps it, with a minimum small enough for these short prompts.
  fake = await startFakeAnthropic({ promptCache: { minCacheableTokens: 50 } });
});
afterAll(async () => {
  await fake.close();
  await dynamo.stop();
});

const ts = (n: number) => `1700000000.${String(100 + n).padStart(6, '0')}`;
let thread: ThreadRef;
let threadCount = 0;
let store: DynamoDBThreadStore;
let warnings: Array<{ message: string; fields: Record<string, unknown> }>;
let infos: Array<{ message: string; fields: Record<string, unknown> }>;

const log: Log = {
  debug: () => undefined,
  info: (message, fields = {}) => infos.push({ message, fields }),
  warn: (message, fields = {}) => warnings.push({ message, fields }),
  error: (message, fields = {}) => warnings.push({ message, fields }),
};

beforeEach(async () => {
  threadCount += 1;
  thread = {
    teamId: 'T1',
    channelId: 'C1',
    threadTs: `1700000${String(threadCount).padStart(3, '0')}.000100`,
  };
  const tableName = freshTableName();
  await ensureThreadTable(dynamo.client, tableName);
  store = new DynamoDBThreadStore({ client: dynamo.documentClient, tableName });
  await store.claimThread(thread, 'U1');
  warnings = [];
  infos = [];
  fake.clearCache();
  fake.defaultReply = { httpError: 500, message: 'nothing scripted for this call' };
});

function deps(overrides: Partial<ComposeAnswerDependencies> = {}): ComposeAnswerDependencies {
  const model = new ClaudeModel({
    client: createAnthropicClient({ apiKey: 'k', baseURL: fake.url, timeoutMs: 5_000, maxRetries: 0 }),
    model: 'claude-sonnet-5-5',
    maxTokens: 4_000,
    streamIdleTimeoutMs: 5_000,
    midStreamRetries: 0,
  });
  return { store, model, systemPrompt: SYSTEM_PROMPT, historyTokenBudget: 60_000, log, ...overrides };
}

function firstRequestJob(text = DESIGN_REQUEST): AnswerJob {
  return { thread, postTs: thread.threadTs, userId: 'U1', text };
}

/** The model calls made since `before`. */
function callsSince(before: number) {
  return fake.requests.slice(before).filter((request) => request.path === '/v1/messages');
}

describe('composeAnswer completing a design that left sections out', () => {
  it('asks once for the missing section and stores the answer with it as one turn', async () => {
    fake.enqueue({ text: MISSING_SCALABILITY }, { text: SCALABILITY });
    const before = fake.requests.length;

    const answer = await composeAnswer(firstRequestJob(), deps());

    const calls = callsSince(before);
    expect(calls).toHaveLength(2);
    const second = conversationOf(calls[1]?.body);
    expect(second.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(second[0]?.content).toBe(DESIGN_REQUEST);
    expect(second[1]?.content).toBe(MISSING_SCALABILITY);
    expect(second[2]?.content).toContain('`## Scalability Analysis`');
    expect(second[2]?.content).not.toContain('## API Endpoints');
    expect(calls[1]?.body.system).toEqual(calls[0]?.body.system);

    expect(answer.markdown).toBe(`${MISSING_SCALABILITY}\n\n${SCALABILITY}`);
    expect(answer.supplement?.sections).toEqual(['Scalability Analysis']);
    const stored = (await store.listTurns(thread)).filter((turn) => turn.role === 'assistant');
    expect(stored.map((turn) => turn.text)).toEqual([answer.markdown]);
  });

  it('adds the second call to the usage, the cost and the thread totals, and reports it apart', async () => {
    const noCache = { cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    const firstUsage = { input_tokens: 1_000, output_tokens: 2_000, ...noCache };
    const secondUsage = { input_tokens: 3_000, output_tokens: 400, ...noCache };
    fake.enqueue({ text: MISSING_SCALABILITY, usage: firstUsage }, { text: SCALABILITY, usage: secondUsage });

    const answer = await composeAnswer(firstRequestJob(), deps());

    const { supplement } = answer;
    expect(supplement?.usage.inputTokens).toBe(3_000);
    expect(supplement?.usage.outputTokens).toBe(400);
    expect(answer.usage?.inputTokens).toBe(4_000);
    expect(answer.usage?.outputTokens).toBe(2_400);
    // Sonnet list price, $3 in and $15 out per million tokens.
    expect(supplement?.costUsd).toBeCloseTo(0.009 + 0.006, 9);
    expect(answer.costUsd).toBeCloseTo(0.003 + 0.03 + 0.009 + 0.006, 9);
    const totals = await store.threadUsage(thread);
    expect(totals).toMatchObject({
      answers: 1,
      inputTokens: 4_000,
      outputTokens: 2_400,
      costMicroUsd: 48_000,
    });
    expect(await store.workspaceTokensToday('T1')).toBe(6_400);
  });

  it('reads the system prompt and the request from the cache and puts no breakpoint on the draft', async () => {
    fake.enqueue({ text: MISSING_SCALABILITY }, { text: SCALABILITY });
    const before = fake.requests.length;

    const answer = await composeAnswer(firstRequestJob(), deps());

    const second = callsSince(before)[1]?.body.messages as Array<{ content: Array<Record<string, unknown>> }>;
    expect(second[0]?.content[0]?.cache_control).toBeDefined();
    expect(second[1]?.content.some((block) => 'cache_control' in block)).toBe(false);
    expect(answer.supplement?.usage.cacheReadInputTokens).toBeGreaterThan(0);
    expect(answer.supplement?.usage.cacheCreationInputTokens).toBe(0);
  });

  it('streams the supplement through onText after a blank line', async () => {
    fake.enqueue({ text: MISSING_SCALABILITY, chunkSize: 50 }, { text: SCALABILITY, chunkSize: 10 });
    const deltas: string[] = [];

    const answer = await composeAnswer(firstRequestJob(), deps(), undefined, {
      onText: (delta) => {
        deltas.push(delta);
      },
    });

    expect(deltas.join('')).toBe(answer.markdown);
    expect(deltas).toContain('\n\n');
  });

  it('keeps the first answer when the second call fails, with a warning that carries no text', async () => {
    fake.enqueue({ text: MISSING_SCALABILITY }, { httpError: 400, message: 'bad request' });

    const answer = await composeAnswer(firstRequestJob(), deps());

    expect(answer.markdown).toBe(MISSING_SCALABILITY);
    expect(answer.supplement).toBeNull();
    const stored = (await store.listTurns(thread)).find((turn) => turn.role === 'assistant');
    expect(stored?.text).toBe(MISSING_SCALABILITY);
    expect(warnings.map((warning) => warning.message)).toEqual(['missing sections not added']);
    expect(warnings[0]?.fields).toMatchObject({ post: thread.threadTs, sections: ['Scalability Analysis'] });
    expect(JSON.stringify(warnings[0]?.fields)).not.toContain('shopping cart');
  });

  it('marks the answer cut when the supplement hit the output limit', async () => {
    fake.enqueue({ text: MISSING_SCALABILITY }, { text: SCALABILITY, stopReason: 'max_tokens' });

    const answer = await composeAnswer(firstRequestJob(), deps());

    expect(answer.truncated).toBe(true);
    expect(answer.markdown.endsWith(SCALABILITY)).toBe(true);
  });
});

describe('composeAnswer asks no more', () => {
  async function callsFor(job: AnswerJob, extra: Partial<ComposeAnswerDependencies> = {}) {
    const before = fake.requests.length;
    const answer = await composeAnswer(job, deps(extra));
    return { answer, calls: callsSince(before).length };
  }

  it('for a complete design', async () => {
    fake.enqueue({ text: fixture('complete-canonical') });
    const { answer, calls } = await callsFor(firstRequestJob());
    expect(calls).toBe(1);
    expect(answer.supplement).toBeNull();
  });

  it('for a clarifying question back from the model', async () => {
    fake.enqueue({ text: fixture('clarifying-question') });
    expect((await callsFor(firstRequestJob('how should we architect our system?'))).calls).toBe(1);
  });

  it('for a follow-up whose answer has only some sections', async () => {
    await store.appendTurn(thread, { role: 'user', postTs: ts(0), text: DESIGN_REQUEST });
    await store.appendTurn(thread, { role: 'assistant', postTs: ts(0), text: fixture('complete-canonical') });
    fake.enqueue({ text: MISSING_SCALABILITY });

    const job = { thread, postTs: ts(1), userId: 'U1', text: 'now design it for multi-region' };
    expect((await callsFor(job)).calls).toBe(1);
  });

  it('for an answer cut at the output limit', async () => {
    fake.enqueue({ text: MISSING_SCALABILITY, stopReason: 'max_tokens' });
    const { answer, calls } = await callsFor(firstRequestJob());
    expect(calls).toBe(1);
    expect(answer.truncated).toBe(true);
  });

  it('for an answer already stored by an earlier attempt', async () => {
    fake.enqueue({ text: MISSING_SCALABILITY }, { text: SCALABILITY });
    const first = await composeAnswer(firstRequestJob(), deps());

    const { answer, calls } = await callsFor(firstRequestJob());

    expect(calls).toBe(0);
    expect(answer.markdown).toBe(first.markdown);
    expect(answer.supplement).toBeNull();
  });

  it('when the job was aborted by the time the first answer was in', async () => {
    fake.enqueue({ text: MISSING_SCALABILITY });
    const aborted = new AbortController();
    const { model } = deps();
    // The worker's deadline passes just as the first answer ends.
    const lateModel: ArchitectModel = {
      streamAnswer: async (request) => {
        const answer = await model.streamAnswer(request);
        aborted.abort();
        return answer;
      },
      countTokens: (messages) => model.countTokens(messages),
    };
    const before = fake.requests.length;

    const answer = await composeAnswer(firstRequestJob(), deps({ model: lateModel }), aborted.signal);

    expect(callsSince(before)).toHaveLength(1);
    expect(answer.markdown).toBe(MISSING_SCALABILITY);
    expect(warnings).toEqual([]);
  });

  it('when the second call would go over the history budget', async () => {
    fake.enqueue({ text: MISSING_SCALABILITY });
    // Room for the request, not for the request, the draft and the instruction.
    const { answer, calls } = await callsFor(firstRequestJob(), { historyTokenBudget: 200 });
    expect(calls).toBe(1);
    expect(answer.markdown).toBe(MISSING_SCALABILITY);
    expect(infos.map((line) => line.message)).toEqual(['missing sections not asked for']);
  });
});
