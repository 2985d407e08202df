import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDBThreadStore } from '../../../src/adapters/dynamodb/dynamodb-thread-store.js';
import { startLocalDynalite } from '../../../src/adapters/dynamodb/local-dynalite.js';
import { ensureThreadTable } from '../../../src/adapters/dynamodb/thread-table.js';
import type { ThreadRef, Turn } from '../../../src/core/conversation.js';
import { StoreError } from '../../../src/core/errors.js';
import { startDynaliteFixture } from './dynalite-fixture.js';

const thread: ThreadRef = { teamId: 'T0001', channelId: 'C0001', threadTs: '1700000000.000100' };
const turn: Turn = { role: 'user', postTs: '1700000000.000100', text: 'remember me', userId: 'U0001' };

let tempDir: string;

beforeEach(async () => {
  tempDir = await mkdtemp(path.join(tmpdir(), 'architect-dynalite-'));
});

afterEach(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

describe.each([
  { where: 'in this thread', thread: false },
  { where: 'on a worker thread', thread: true },
])('startLocalDynalite $where', ({ thread: onThread }) => {
  it('listens on a loopback http endpoint', async () => {
    const fixture = await startDynaliteFixture(undefined, { thread: onThread });
    try {
      expect(fixture.dynalite.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await fixture.stop();
    }
  });

  it('keeps thread history across a restart on the same data folder', async () => {
    const dataDir = path.join(tempDir, 'nested', 'data');
    const first = await startDynaliteFixture(dataDir, { thread: onThread });
    await ensureThreadTable(first.client, 'threads');
    await new DynamoDBThreadStore({ client: first.documentClient, tableName: 'threads' }).appendTurn(
      thread,
      turn,
    );
    await first.stop();

    const second = await startDynaliteFixture(dataDir, { thread: onThread });
    try {
      const turns = await new DynamoDBThreadStore({
        client: second.documentClient,
        tableName: 'threads',
      }).listTurns(thread);

      expect(turns).toEqual([turn]);
    } finally {
      await second.stop();
    }
  });

  it('refuses a data folder that a running dynalite holds', async () => {
    const running = await startLocalDynalite({ dataDir: tempDir, thread: onThread });
    try {
      await expect(startLocalDynalite({ dataDir: tempDir, thread: onThread })).rejects.toBeInstanceOf(
        StoreError,
      );
    } finally {
      await running.close();
    }
  });

  it('lets the folder be opened again once closed', async () => {
    const first = await startLocalDynalite({ dataDir: tempDir, thread: onThread });
    await first.close();

    const second = await startLocalDynalite({ dataDir: tempDir, thread: onThread });
    await expect(second.close()).resolves.toBeUndefined();
  });

  it('can be closed twice', async () => {
    const dynalite = await startLocalDynalite({ dataDir: tempDir, thread: onThread });
    await dynalite.close();

    await expect(dynalite.close()).resolves.toBeUndefined();
  });
});
