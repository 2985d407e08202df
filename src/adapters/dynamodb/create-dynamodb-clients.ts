import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isLoopbackEndpoint } from '../aws-client-config.js';

/** Where the clients send requests; both optional. */
export interface DynamoDBClientsOptions {
  /** An explicit endpoint, e.g. local dynalite. Absent: the SDK's own resolution (which honours `AWS_ENDPOINT_URL_DYNAMODB`). */
  readonly endpoint?: string;
  /** Absent: the SDK's default chain (`AWS_REGION`, …), or us-east-1 for a loopback endpoint. */
  readonly region?: string;
}

/** A low-level client and a DocumentClient built on it. */
export interface DynamoDBClients {
  readonly client: DynamoDBClient;
  readonly documentClient: DynamoDBDocumentClient;
}

/** Builds the low-level client (for table admin) and the DocumentClient (for the store) that share it. */
export function createDynamoDBClients(options: DynamoDBClientsOptions = {}): DynamoDBClients {
  const local = isLoopbackEndpoint(options.endpoint);
  const config: DynamoDBClientConfig = {
    // Throttling and 5xx are retried with the SDK's backoff, three attempts in all.
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true },
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.region === undefined ? (local ? { region: 'us-east-1' } : {}) : { region: options.region }),
    // dynalite checks only that requests are signed, not by whom: spare the SDK a credentials search.
    ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  };
  const client = new DynamoDBClient(config);
  const documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { client, documentClient };
}
