import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBThreadStore } from '../../../src/adapters/dynamodb/dynamodb-thread-store.js';
import { ensureThreadTable } from '../../../src/adapters/dynamodb/thread-table.js';
import type { ThreadRef } from '../../../src/core/conversation.js';
import type { AnswerFeedback } from '../../../src/core/feedback.js';
import { type DynaliteFixture, freshTableName, startDynaliteFixture } from './dynalite-fixture.js';

const thread: ThreadRef = { teamId: 'T0001', channelId: 'C0001', threadTs: '1700000000.000100' };
const POST = '1700000000.000100';
const DAY_MS = 86_400_000;

let fixture: DynaliteFixture;
beforeAll(async () => {
  fixture = await startDynaliteFixture();
});
afterAll(async () => {
  await fixture.stop();
});

async function newStore() {
  const tableName = freshTableName();
  await ensureThreadTable(fixture.client, tableName);
  const clock = { now: new Date('2026-11-01T12:00:00.000Z') };
  const store = new DynamoDBThreadStore({
    client: fixture.documentClient,
    tableName,
    historyTtlDays: 30,
    now: () => clock.now,
  });
  const advance = (ms: number) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };
  const feedbackItem = async (userId: string) =>
    (
      await fixture.documentClient.send(
        new GetCommand({
          TableName: tableName,
          Key: { pk: `THREAD#${thread.channelId}#${thread.threadTs}`, sk: `FEEDBACK#${POST}#${userId}` },
        }),
      )
    ).Item;
  return { store, advance, feedbackItem };
}

function feedback(overrides: Partial<AnswerFeedback> = {}): AnswerFeedback {
  return {
    thread,
    postTs: POST,
    userId: 'U0001',
    rating: 'positive',
    clickTs: '1700000100.000001',
    ...overrides,
  };
}

describe('DynamoDBThreadStore.recordFeedback', () => {
  it('keeps one rating per user and answer, the later click replacing the earlier', async () => {
    const { store, feedbackItem } = await newStore();

    expect(await store.recordFeedback(feedback({ rating: 'negative', clickTs: '1700000100.000001' }))).toBe(
      true,
    );
    expect(await store.recordFeedback(feedback({ rating: 'positive', clickTs: '1700000200.000001' }))).toBe(
      true,
    );

    expect(await feedbackItem('U0001')).toMatchObject({
      rating: 'positive',
      clickTs: '1700000200.000001',
      teamId: 'T0001',
      postTs: POST,
      userId: 'U0001',
    });
  });

  it('refuses details of an older click once a later click is stored', async () => {
    const { store, feedbackItem } = await newStore();
    await store.recordFeedback(feedback({ rating: 'positive', clickTs: '1700000200.000001' }));

    const stored = await store.recordFeedback(
      feedback({ rating: 'negative', clickTs: '1700000100.000001', reasons: ['too_long'], comment: 'late' }),
    );

    expect(stored).toBe(false);
    expect(await feedbackItem('U0001')).toMatchObject({ rating: 'positive' });
    expect(await feedbackItem('U0001')).not.toHaveProperty('comment');
  });

  it('adds the reasons and comment of the form to the click that opened it', async () => {
    const { store, feedbackItem } = await newStore();
    await store.recordFeedback(feedback({ rating: 'negative' }));

    const stored = await store.recordFeedback(
      feedback({ rating: 'negative', reasons: ['missing_section', 'inaccurate'], comment: 'No schema.' }),
    );

    expect(stored).toBe(true);
    expect(await feedbackItem('U0001')).toMatchObject({
      rating: 'negative',
      reasons: ['missing_section', 'inaccurate'],
      comment: 'No schema.',
    });
  });

  it("keeps different users' ratings of the same answer apart, each with the history's lifetime", async () => {
    const { store, feedbackItem } = await newStore();
    await store.recordFeedback(feedback({ userId: 'U0001', rating: 'positive' }));
    await store.recordFeedback(feedback({ userId: 'U0002', rating: 'negative' }));

    expect((await feedbackItem('U0001'))?.rating).toBe('positive');
    expect((await feedbackItem('U0002'))?.rating).toBe('negative');
    const expected = Math.floor(new Date('2026-11-01T12:00:00.000Z').getTime() / 1000) + 30 * 86_400;
    expect((await feedbackItem('U0001'))?.expiresAt).toBe(expected);
  });

  it('forgets the feedback, comments included, with the thread', async () => {
    const { store, feedbackItem } = await newStore();
    await store.claimThread(thread, 'U0001');
    await store.appendTurn(thread, { role: 'user', postTs: POST, text: 'design it', userId: 'U0001' });
    await store.recordFeedback(feedback({ rating: 'negative', comment: 'private words' }));
    await store.recordFeedback(feedback({ userId: 'U0002' }));

    expect(await store.forgetThread(thread)).toBe(1);

    expect(await feedbackItem('U0001')).toBeUndefined();
    expect(await feedbackItem('U0002')).toBeUndefined();
  });
});

describe("DynamoDBThreadStore: a user's design threads", () => {
  const threadAt = (threadTs: string, channelId = 'C0001'): ThreadRef => ({
    teamId: 'T0001',
    channelId,
    threadTs,
  });

  it('lists the threads a user started, newest first, with title and cost, up to the limit', async () => {
    const { store } = await newStore();
    for (let n = 1; n <= 12; n += 1) {
      const started = threadAt(`17000000${String(n).padStart(2, '0')}.000100`);
      await store.claimThread(started, 'U0001');
      await store.recordUserThread(started, 'U0001', {
        title: `design ${n}`,
        ...(n === 12 ? { permalink: 'https://acme.slack.com/archives/C0001/p1700000012000100' } : {}),
      });
    }
    await store.addThreadUsage(threadAt('1700000012.000100'), {
      answers: 2,
      inputTokens: 1,
      outputTokens: 1,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
      costMicroUsd: 420_000,
    });

    const listed = await store.recentUserThreads('T0001', 'U0001', 10);

    expect(listed.map((summary) => summary.title)).toEqual(
      [12, 11, 10, 9, 8, 7, 6, 5, 4, 3].map((n) => `design ${n}`),
    );
    expect(listed[0]).toEqual({
      thread: threadAt('1700000012.000100'),
      title: 'design 12',
      permalink: 'https://acme.slack.com/archives/C0001/p1700000012000100',
      answers: 2,
      costMicroUsd: 420_000,
    });
    expect(await store.recentUserThreads('T0001', 'U0002', 10)).toEqual([]);
  });

  it('keeps the first title when another request claims the thread again', async () => {
    const { store } = await newStore();
    await store.claimThread(thread, 'U0001');
    await store.recordUserThread(thread, 'U0001', { title: 'first request' });
    await store.claimThread(thread, 'U0002');
    await store.recordUserThread(thread, 'U0002', { title: 'second request' });

    expect((await store.recentUserThreads('T0001', 'U0002', 10))[0]?.title).toBe('first request');
  });

  it('leaves out threads that expired, and drops the title when the thread is forgotten', async () => {
    const { store, advance } = await newStore();
    const old = threadAt('1700000001.000100');
    await store.claimThread(old, 'U0001');
    await store.recordUserThread(old, 'U0001', { title: 'old design' });
    advance(20 * DAY_MS);
    await store.claimThread(thread, 'U0001');
    await store.recordUserThread(thread, 'U0001', { title: 'secret design' });
    await store.forgetThread(thread);
    advance(11 * DAY_MS);

    const listed = await store.recentUserThreads('T0001', 'U0001', 10);

    expect(listed).toEqual([{ thread, answers: 0, costMicroUsd: 0 }]);
  });
});
