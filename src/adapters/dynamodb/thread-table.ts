import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { StoreError } from '../../core/errors.js';
import { isDynamoDBError } from './dynamodb-error.js';

/** Partition key attribute of the thread table (a string). */
export const PARTITION_KEY = 'pk';
/** Sort key attribute of the thread table (a string). */
export const SORT_KEY = 'sk';
/** Numeric TTL attribute (epoch seconds) that every item carries; enable TTL on it in the deploy template. */
export const TTL_ATTRIBUTE = 'expiresAt';

/** The thread table as data: the one place its key schema is declared. */
export function threadTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: PARTITION_KEY, AttributeType: 'S' },
      { AttributeName: SORT_KEY, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: SORT_KEY, KeyType: 'RANGE' },
    ],
  };
}

/** Tuning for `ensureThreadTable`. */
export interface EnsureThreadTableOptions {
  /** How long to wait for the table to become ACTIVE. Default 30 s. */
  readonly timeoutMs?: number;
}

/** Creates the thread table unless it exists, then waits until it is ACTIVE. Safe to call concurrently. */
export async function ensureThreadTable(
  client: DynamoDBClient,
  tableName: string,
  options: EnsureThreadTableOptions = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let table = await describeTable(client, tableName);
  const created = table === undefined && (await createTable(client, tableName));
  let delayMs = 50;
  for (;;) {
    table = await describeTable(client, tableName);
    if (table?.TableStatus === 'ACTIVE') {
      assertKeySchema(table, tableName);
      if (created) await enableTimeToLive(client, tableName);
      return;
    }
    if (Date.now() + delayMs > deadline) {
      throw new StoreError(
        `DynamoDB table ${tableName} is not ACTIVE (status ${table?.TableStatus ?? 'missing'}) after waiting`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    delayMs = Math.min(delayMs * 2, 1_000);
  }
}

async function describeTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<TableDescription | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table;
  } catch (error) {
    if (isDynamoDBError(error, 'ResourceNotFoundException')) {
      return undefined;
    }
    throw new StoreError(`DynamoDB DescribeTable failed for table ${tableName}`, { cause: error });
  }
}

/** True when this call created the table (false when someone else did in the meantime). */
async function createTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new CreateTableCommand(threadTableDefinition(tableName)));
    return true;
  } catch (error) {
    // Someone else created it between our DescribeTable and CreateTable.
    if (isDynamoDBError(error, 'ResourceInUseException')) {
      return false;
    }
    throw new StoreError(`DynamoDB CreateTable failed for table ${tableName}`, { cause: error });
  }
}

/**
 * Turns on DynamoDB TTL for a table this code created, so expired history is really deleted.
 * dynalite does not implement UpdateTimeToLive (reads filter expired items instead): that is fine.
 */
async function enableTimeToLive(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    );
  } catch (error) {
    if (isDynamoDBError(error, 'UnknownOperationException')) return;
    throw new StoreError(`DynamoDB UpdateTimeToLive failed for table ${tableName}`, { cause: error });
  }
}

function assertKeySchema(table: TableDescription, tableName: string): void {
  const expected = threadTableDefinition(tableName).KeySchema ?? [];
  const actual = table.KeySchema ?? [];
  const same =
    actual.length === expected.length &&
    expected.every(
      (key, index) =>
        actual[index]?.AttributeName === key.AttributeName && actual[index]?.KeyType === key.KeyType,
    );
  if (!same) {
    throw new StoreError(
      `DynamoDB table ${tableName} exists with a key schema other than ${PARTITION_KEY} (HASH) + ${SORT_KEY} (RANGE)`,
    );
  }
}
