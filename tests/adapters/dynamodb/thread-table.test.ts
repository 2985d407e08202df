import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureThreadTable, threadTableDefinition } from '../../../src/adapters/dynamodb/thread-table.js';
import { StoreError } from '../../../src/core/errors.js';
import { type DynaliteFixture, freshTableName, startDynaliteFixture } from './dynalite-fixture.js';

let fixture: DynaliteFixture;

beforeAll(async () => {
  fixture = await startDynaliteFixture();
});

afterAll(async () => {
  await fixture.stop();
});

describe('ensureThreadTable', () => {
  it('creates an ACTIVE table with the key schema of threadTableDefinition', async () => {
    const tableName = freshTableName();

    await ensureThreadTable(fixture.client, tableName);

    const { Table } = await fixture.client.send(new DescribeTableCommand({ TableName: tableName }));
    const definition = threadTableDefinition(tableName);
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual(definition.KeySchema);
    expect(Table?.AttributeDefinitions).toEqual(definition.AttributeDefinitions);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('asks DynamoDB to enable TTL on the table it creates, and tolerates an emulator without TTL', async () => {
    const tableName = freshTableName();
    const commands: string[] = [];
    fixture.client.middlewareStack.add(
      (next, context) => (args) => {
        commands.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'recordCommandNames' },
    );
    try {
      await ensureThreadTable(fixture.client, tableName);
      await ensureThreadTable(fixture.client, tableName);
    } finally {
      fixture.client.middlewareStack.remove('recordCommandNames');
    }
    // Once, for the table this code created; not again when the table already exists.
    expect(commands.filter((name) => name === 'UpdateTimeToLiveCommand')).toHaveLength(1);
  });

  it('succeeds when the table already exists', async () => {
    const tableName = freshTableName();
    await ensureThreadTable(fixture.client, tableName);

    await expect(ensureThreadTable(fixture.client, tableName)).resolves.toBeUndefined();
  });

  it('succeeds when two callers create the same table at once', async () => {
    const tableName = freshTableName();

    const results = await Promise.allSettled([
      ensureThreadTable(fixture.client, tableName),
      ensureThreadTable(fixture.client, tableName),
    ]);

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
  });

  it('refuses an existing table with another key schema', async () => {
    const tableName = freshTableName();
    await fixture.client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );

    await expect(ensureThreadTable(fixture.client, tableName)).rejects.toBeInstanceOf(StoreError);
  });
});
