import { createDynamoDBClients, type DynamoDBClients } from '../adapters/dynamodb/create-dynamodb-clients.js';
import { DynamoDBThreadStore } from '../adapters/dynamodb/dynamodb-thread-store.js';
import type { Config, EventsConfig } from '../config.js';

type StoreConfig = Pick<Config & EventsConfig, 'TABLE_NAME' | 'AWS_REGION' | 'HISTORY_TTL_DAYS'>;

/** The DynamoDB clients and the thread store over them. Build once per process (or container). */
export function buildThreadStore(
  config: StoreConfig,
  endpoint: string | undefined,
): { dynamo: DynamoDBClients; store: DynamoDBThreadStore } {
  const dynamo = createDynamoDBClients({ ...(endpoint ? { endpoint } : {}), region: config.AWS_REGION });
  const store = new DynamoDBThreadStore({
    client: dynamo.documentClient,
    tableName: config.TABLE_NAME,
    historyTtlDays: config.HISTORY_TTL_DAYS,
  });
  return { dynamo, store };
}
