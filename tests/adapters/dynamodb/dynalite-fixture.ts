import { randomUUID } from 'node:crypto';
import {
  createDynamoDBClients,
  type DynamoDBClients,
} from '../../../src/adapters/dynamodb/create-dynamodb-clients.js';
import { type LocalDynalite, startLocalDynalite } from '../../../src/adapters/dynamodb/local-dynalite.js';

/** An in-memory (or on-disk, with `dataDir`) dynalite and SDK clients pointed at it. */
export interface DynaliteFixture extends DynamoDBClients {
  readonly dynalite: LocalDynalite;
  stop(): Promise<void>;
}

export async function startDynaliteFixture(
  dataDir?: string,
  options: { thread?: boolean } = {},
): Promise<DynaliteFixture> {
  const dynalite = await startLocalDynalite({
    ...(dataDir === undefined ? {} : { dataDir }),
    ...(options.thread ? { thread: true } : {}),
  });
  const clients = createDynamoDBClients({ endpoint: dynalite.endpoint });
  return {
    ...clients,
    dynalite,
    async stop() {
      // Close while the client still holds its keep-alive connections, as an app shutting down would.
      await dynalite.close();
      clients.client.destroy();
    },
  };
}

/** A table name no other test uses. */
export function freshTableName(): string {
  return `threads-${randomUUID()}`;
}
