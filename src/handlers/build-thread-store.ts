import { createDynamoDBClients, type DynamoDBClients } from '../adapters/dynamodb/create-dynamodb-clients.js';
import { DynamoDBThreadStore } from '../adapters/dynamodb/dynamodb-thread-store.js';
import type { Config, EventsConfig } from '../config.js';
import type { UsageLimits } from '../slack/answer-request.js';

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

/** The per-user and per-workspace limits from the settings. */
export function usageLimits(
  config: Pick<Config, 'RATE_LIMIT_PER_USER_PER_HOUR' | 'WORKSPACE_DAILY_TOKEN_BUDGET'>,
): UsageLimits {
  return {
    requestsPerUserPerHour: config.RATE_LIMIT_PER_USER_PER_HOUR,
    workspaceDailyTokens: config.WORKSPACE_DAILY_TOKEN_BUDGET,
  };
}
