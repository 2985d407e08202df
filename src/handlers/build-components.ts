import { ClaudeModel, createAnthropicClient } from '../adapters/anthropic/claude-model.js';
import { createDynamoDBClients, type DynamoDBClients } from '../adapters/dynamodb/create-dynamodb-clients.js';
import { DynamoDBThreadStore } from '../adapters/dynamodb/dynamodb-thread-store.js';
import type { Config, EventsConfig, WorkerConfig } from '../config.js';

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

type ModelConfig = Pick<
  Config & WorkerConfig,
  | 'ANTHROPIC_API_KEY'
  | 'ANTHROPIC_BASE_URL'
  | 'ANTHROPIC_MODEL'
  | 'ANTHROPIC_MAX_TOKENS'
  | 'ANTHROPIC_TIMEOUT_MS'
  | 'ANTHROPIC_STREAM_IDLE_TIMEOUT_MS'
  | 'ANTHROPIC_MAX_RETRIES'
>;

/** Claude with the configured model, timeouts and retries. */
export function buildClaudeModel(config: ModelConfig): ClaudeModel {
  return new ClaudeModel({
    client: createAnthropicClient({
      apiKey: config.ANTHROPIC_API_KEY,
      ...(config.ANTHROPIC_BASE_URL ? { baseURL: config.ANTHROPIC_BASE_URL } : {}),
      timeoutMs: config.ANTHROPIC_TIMEOUT_MS,
      maxRetries: config.ANTHROPIC_MAX_RETRIES,
    }),
    model: config.ANTHROPIC_MODEL,
    maxTokens: config.ANTHROPIC_MAX_TOKENS,
    streamIdleTimeoutMs: config.ANTHROPIC_STREAM_IDLE_TIMEOUT_MS,
  });
}
