import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBThreadStore } from '../../../src/adapters/dynamodb/dynamodb-thread-store.js';
import { ensureThreadTable } from '../../../src/adapters/dynamodb/thread-table.js';
import type { ThreadRef, Turn } from '../../../src/core/conversation.js';
import { CorruptRecordError, StoreError } from '../../../src/core/errors.js';
import { type DynaliteFixture, freshTableName, startDynaliteFixture } from './dynalite-fixture.js';

const thread: ThreadRef = { teamId: 'T0001', channelId: 'C0001', threadTs: '1700000000.000100' };
const DAY_MS = 86_400_000;

let fixture: DynaliteFixture;

beforeAll(async () => {
  fixture = await startDynaliteFixture();
});

afterAll(async () => {
  await fixture.stop();
});

/** A store on a table of its own, with a clock the test moves. */
async function newStore(options: { historyTtlDays?: number; claimTtlSeconds?: number } = {}) {
  const tableName = freshTableName();
  await ensureThreadTable(fixture.client, tableName);
  const clock = { now: new Date('2026-11-01T12:00:00.000Z') };
  const store = new DynamoDBThreadStore({
    client: fixture.documentClient,
    tableName,
    ...options,
    now: () => clock.now,
  });
  const advance = (ms: number) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };
  return { store, tableName, advance };
}

function userTurn(postTs: string, text: string): Turn {
  return { role: 'user', postTs, text, userId: 'U0001' };
}

function answerTurn(postTs: string, text: string): Turn {
  return { role: 'assistant', postTs, text };
}

describe('DynamoDBThreadStore.claimRequest', () => {
  const post = 'POST#C0001#1700000000.000200';

  it('gives a request to its first delivery and refuses another delivery of it', async () => {
    const { store } = await newStore();

    const first = await store.claimRequest(post, 'delivery-1');
    const second = await store.claimRequest(post, 'delivery-2');

    expect(first).toEqual({});
    expect(second).toBeNull();
  });

  it('gives it again to the same delivery, with what that delivery already posted', async () => {
    const { store } = await newStore();
    await store.claimRequest(post, 'delivery-1');
    await store.recordRequestProgress(post, { placeholderTs: '1700000001.000002' });
    await store.recordRequestProgress(post, { settled: true });

    const again = await store.claimRequest(post, 'delivery-1');

    expect(again).toEqual({ placeholderTs: '1700000001.000002', settled: true });
  });

  it('keeps the messages a live answer was streamed into, the latest list winning', async () => {
    const { store } = await newStore();
    await store.claimRequest(post, 'delivery-1');
    await store.recordRequestProgress(post, { placeholderTs: '1700000001.000002' });
    await store.recordRequestProgress(post, { streamedTs: ['1700000001.000003'] });
    await store.recordRequestProgress(post, { streamedTs: ['1700000001.000003', '1700000001.000004'] });

    const again = await store.claimRequest(post, 'delivery-1');

    expect(again).toEqual({
      placeholderTs: '1700000001.000002',
      streamedTs: ['1700000001.000003', '1700000001.000004'],
    });
  });

  it('lets a later delivery take a claim over after 15 minutes without an attempt (a dead-letter redrive)', async () => {
    const { store, advance } = await newStore();
    await store.claimRequest(post, 'delivery-1');
    await store.recordRequestProgress(post, { placeholderTs: '1700000001.000002' });

    advance(10 * 60 * 1000);
    expect(await store.claimRequest(post, 'redriven')).toBeNull();
    advance(6 * 60 * 1000);
    expect(await store.claimRequest(post, 'redriven')).toEqual({ placeholderTs: '1700000001.000002' });
    // The old delivery has lost it now.
    expect(await store.claimRequest(post, 'delivery-1')).toBeNull();
  });

  it('lets exactly one of several concurrent deliveries of the same request win', async () => {
    const { store } = await newStore();

    const results = await Promise.all(
      Array.from({ length: 8 }, (_, index) => store.claimRequest(post, `delivery-${index}`)),
    );

    expect(results.filter((claim) => claim !== null)).toHaveLength(1);
  });

  it('lets another delivery claim the request once the claim has expired', async () => {
    const { store, advance } = await newStore({ claimTtlSeconds: 60 });
    await store.claimRequest(post, 'delivery-1');

    advance(61_000);

    expect(await store.claimRequest(post, 'delivery-2')).not.toBeNull();
  });

  it('keeps requests with different keys apart', async () => {
    const { store } = await newStore();
    await store.claimRequest(post, 'delivery-1');

    expect(await store.claimRequest('POST#C0002#1700000000.000200', 'delivery-2')).toEqual({});
    expect(await store.claimRequest('RETRY#C0001#1700000000.000200#1700000009.000001', 'delivery-3')).toEqual(
      {},
    );
  });
});

describe('DynamoDBThreadStore.claimThread and isThreadKnown', () => {
  it('knows a thread once it has been claimed', async () => {
    const { store } = await newStore();

    await store.claimThread(thread, 'U0001');

    expect(await store.isThreadKnown(thread.channelId, thread.threadTs)).toBe(true);
  });

  it('does not know a thread that was never claimed', async () => {
    const { store } = await newStore();

    expect(await store.isThreadKnown(thread.channelId, thread.threadTs)).toBe(false);
  });

  it('does not know a thread whose record has expired', async () => {
    const { store, advance } = await newStore({ historyTtlDays: 30 });
    await store.claimThread(thread, 'U0001');

    advance(30 * DAY_MS);

    expect(await store.isThreadKnown(thread.channelId, thread.threadTs)).toBe(false);
  });

  it('keeps a thread known while it is claimed again before it expires', async () => {
    const { store, advance } = await newStore({ historyTtlDays: 30 });
    await store.claimThread(thread, 'U0001');
    advance(20 * DAY_MS);
    await store.claimThread(thread, 'U0002');

    advance(20 * DAY_MS);

    expect(await store.isThreadKnown(thread.channelId, thread.threadTs)).toBe(true);
  });

  it('keeps the first startedBy and createdAt when a thread is claimed twice', async () => {
    const { store, tableName, advance } = await newStore();
    await store.claimThread(thread, 'U0001');
    advance(60_000);

    await store.claimThread(thread, 'U0002');

    const { Item } = await fixture.client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { pk: { S: `THREAD#${thread.channelId}#${thread.threadTs}` }, sk: { S: 'META' } },
      }),
    );
    expect(Item?.startedBy).toEqual({ S: 'U0001' });
    expect(Item?.createdAt).toEqual({ S: '2026-11-01T12:00:00.000Z' });
  });

  it('keeps a thread with recent turns known after its first claim would have expired', async () => {
    const { store, advance } = await newStore({ historyTtlDays: 30 });
    await store.claimThread(thread, 'U0001');
    advance(20 * DAY_MS);
    await store.appendTurn(thread, userTurn('1700000000.000600', 'still here'));

    advance(20 * DAY_MS);

    expect(await store.isThreadKnown(thread.channelId, thread.threadTs)).toBe(true);
  });
});

describe('DynamoDBThreadStore.appendTurn and listTurns', () => {
  it('lists turns in conversation order whatever order they were written in', async () => {
    const { store } = await newStore();
    await store.appendTurn(thread, answerTurn('1700000100.000001', 'second answer'));
    await store.appendTurn(thread, userTurn('1700000000.000001', 'first question'));
    await store.appendTurn(thread, userTurn('1700000100.000001', 'second question'));
    await store.appendTurn(thread, answerTurn('1700000000.000001', 'first answer'));

    const turns = await store.listTurns(thread);

    expect(turns).toEqual([
      userTurn('1700000000.000001', 'first question'),
      answerTurn('1700000000.000001', 'first answer'),
      userTurn('1700000100.000001', 'second question'),
      answerTurn('1700000100.000001', 'second answer'),
    ]);
  });

  it('keeps the truncated flag of an answer', async () => {
    const { store } = await newStore();
    await store.appendTurn(thread, {
      role: 'assistant',
      postTs: '1700000000.000200',
      text: 'cut',
      truncated: true,
    });
    await store.appendTurn(thread, { role: 'assistant', postTs: '1700000000.000300', text: 'whole' });

    const turns = await store.listTurns(thread);
    expect(turns.map((turn) => turn.truncated)).toEqual([true, undefined]);
  });

  it('keeps one copy of a turn written twice', async () => {
    const { store } = await newStore();
    const turn = userTurn('1700000000.000700', 'hello');

    await store.appendTurn(thread, turn);
    await store.appendTurn(thread, turn);

    expect(await store.listTurns(thread)).toEqual([turn]);
  });

  it('lists no turns of another thread in the same channel', async () => {
    const { store } = await newStore();
    await store.appendTurn(
      { ...thread, threadTs: '1700000999.000001' },
      userTurn('1700001000.000001', 'other'),
    );

    expect(await store.listTurns(thread)).toEqual([]);
  });

  it('leaves out turns that have expired', async () => {
    const { store, advance } = await newStore({ historyTtlDays: 30 });
    await store.appendTurn(thread, userTurn('1700000000.000800', 'old'));
    advance(20 * DAY_MS);
    await store.appendTurn(thread, userTurn('1700000000.000900', 'recent'));

    advance(15 * DAY_MS);
    const turns = await store.listTurns(thread);

    expect(turns).toEqual([userTurn('1700000000.000900', 'recent')]);
  });

  it('reads a history larger than one 1 MB query page completely and in order', async () => {
    const { store } = await newStore();
    const turns = Array.from({ length: 30 }, (_, index) =>
      userTurn(`1700000000.${String(index).padStart(6, '0')}`, `${index}:`.padEnd(40_000, 'x')),
    );
    for (const turn of [...turns].reverse()) {
      await store.appendTurn(thread, turn);
    }

    const listed = await store.listTurns(thread);

    expect(listed.map((turn) => turn.postTs)).toEqual(turns.map((turn) => turn.postTs));
    expect(listed).toEqual(turns);
  });

  it('rejects a malformed turn item with a CorruptRecordError that names its key', async () => {
    const { store, tableName } = await newStore();
    await fixture.client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: `THREAD#${thread.channelId}#${thread.threadTs}` },
          sk: { S: 'TURN#1700000000.001000#1' },
          role: { S: 'robot' },
          postTs: { S: '1700000000.001000' },
          text: { S: 'secret text' },
          createdAt: { S: '2026-11-01T12:00:00.000Z' },
          expiresAt: { N: '4102444800' },
        },
      }),
    );

    const error = await store.listTurns(thread).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(CorruptRecordError);
    expect((error as Error).message).toContain('TURN#1700000000.001000#1');
    expect((error as Error).message).not.toContain('secret text');
  });
});

describe('DynamoDBThreadStore.recordPostedPart', () => {
  const answer: Turn = { role: 'assistant', postTs: '1700000000.000200', text: 'the answer' };

  it('lists the posted parts of an answer in order', async () => {
    const { store } = await newStore();
    await store.appendTurn(thread, answer);

    await store.recordPostedPart(thread, answer.postTs, 0, '1700000001.000001');
    await store.recordPostedPart(thread, answer.postTs, 1, '1700000001.000002');

    const [turn] = await store.listTurns(thread);
    expect(turn?.postedTs).toEqual(['1700000001.000001', '1700000001.000002']);
  });

  it('ignores a part recorded twice or out of turn, so the list never holds duplicates', async () => {
    const { store } = await newStore();
    await store.appendTurn(thread, answer);
    await store.recordPostedPart(thread, answer.postTs, 0, '1700000001.000001');

    await store.recordPostedPart(thread, answer.postTs, 0, '1700000001.000001');
    await store.recordPostedPart(thread, answer.postTs, 2, '1700000001.000003');

    const [turn] = await store.listTurns(thread);
    expect(turn?.postedTs).toEqual(['1700000001.000001']);
  });

  it('records nothing for an answer that was never stored', async () => {
    const { store } = await newStore();
    await store.recordPostedPart(thread, answer.postTs, 0, '1700000001.000001');
    expect(await store.listTurns(thread)).toEqual([]);
  });
});

describe('DynamoDBThreadStore thread usage', () => {
  const answerUsage = {
    answers: 1,
    inputTokens: 1200,
    outputTokens: 300,
    cacheReadInputTokens: 5000,
    cacheCreationInputTokens: 800,
    costMicroUsd: 17_000,
  };

  it('adds up every answer of a thread, concurrent ones included', async () => {
    const { store } = await newStore();
    await store.claimThread(thread, 'U0001');

    await Promise.all([store.addThreadUsage(thread, answerUsage), store.addThreadUsage(thread, answerUsage)]);
    await store.addThreadUsage(thread, answerUsage);

    expect(await store.threadUsage(thread)).toEqual({
      answers: 3,
      inputTokens: 3600,
      outputTokens: 900,
      cacheReadInputTokens: 15_000,
      cacheCreationInputTokens: 2400,
      costMicroUsd: 51_000,
    });
  });

  it('counts nothing for a thread it does not know, and creates no record for it', async () => {
    const { store } = await newStore();
    await store.addThreadUsage(thread, answerUsage);
    expect(await store.threadUsage(thread)).toBeNull();
    expect(await store.isThreadKnown(thread.channelId, thread.threadTs)).toBe(false);
  });
});

describe('DynamoDBThreadStore limits and forgetting', () => {
  it("counts a user's requests per clock hour, refuses past the limit, and starts afresh the next hour", async () => {
    const { store, advance } = await newStore();
    const decisions = await Promise.all(
      Array.from({ length: 5 }, () => store.countUserRequest('T1', 'U1', 3)),
    );
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(3);
    expect(decisions[0]?.resetsAt.toISOString()).toBe('2026-11-01T13:00:00.000Z');
    expect((await store.countUserRequest('T1', 'U2', 3)).allowed).toBe(true);

    advance(60 * 60 * 1000);
    expect((await store.countUserRequest('T1', 'U1', 3)).allowed).toBe(true);
  });

  it("adds up a workspace's tokens for the UTC day, and starts from zero the next day", async () => {
    const { store, advance } = await newStore();
    await Promise.all([store.addWorkspaceTokens('T1', 1200), store.addWorkspaceTokens('T1', 800)]);
    expect(await store.workspaceTokensToday('T1')).toBe(2000);
    expect(await store.workspaceTokensToday('T2')).toBe(0);

    advance(DAY_MS);
    expect(await store.workspaceTokensToday('T1')).toBe(0);
  });

  it("forgets every turn of a thread, keeps the thread the bot's, and leaves other threads alone", async () => {
    const { store } = await newStore();
    const other: ThreadRef = { ...thread, threadTs: '1700000000.009999' };
    await store.claimThread(thread, 'U0001');
    for (let n = 0; n < 30; n += 1) {
      await store.appendTurn(thread, userTurn(`1700000001.${String(n).padStart(6, '0')}`, `q${n}`));
    }
    await store.appendTurn(other, userTurn('1700000002.000001', 'keep me'));

    expect(await store.forgetThread(thread)).toBe(30);

    expect(await store.listTurns(thread)).toEqual([]);
    expect(await store.isThreadKnown(thread.channelId, thread.threadTs)).toBe(true);
    expect(await store.listTurns(other)).toHaveLength(1);
  });
});

describe('DynamoDBThreadStore errors', () => {
  it('wraps a missing table in a StoreError that keeps the SDK error as cause', async () => {
    const store = new DynamoDBThreadStore({ client: fixture.documentClient, tableName: freshTableName() });

    const error = await store
      .claimRequest('POST#C0001#1700000000.001100', 'd')
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toContain('claimRequest');
    expect(((error as Error).cause as Error).name).toBe('ResourceNotFoundException');
  });
});
