import { describe, expect, it } from 'vitest';
import { createDynamoDBClients } from '../../../src/adapters/dynamodb/create-dynamodb-clients.js';

describe('createDynamoDBClients', () => {
  it('signs requests to a loopback endpoint with static local credentials', async () => {
    const { client } = createDynamoDBClients({ endpoint: 'http://127.0.0.1:4567' });

    const credentials = await client.config.credentials();

    expect(credentials.accessKeyId).toBe('local');
    client.destroy();
  });

  it('sends requests to the given endpoint and region', async () => {
    const { client } = createDynamoDBClients({ endpoint: 'http://localhost:8000', region: 'eu-west-1' });

    const endpoint = await client.config.endpoint?.();

    expect(endpoint?.hostname).toBe('localhost');
    expect(endpoint?.port).toBe(8000);
    expect(await client.config.region()).toBe('eu-west-1');
    client.destroy();
  });

  it('retries a failed request at most three times in all', async () => {
    const { client } = createDynamoDBClients({ endpoint: 'http://127.0.0.1:4567' });

    expect(await client.config.maxAttempts()).toBe(3);
    client.destroy();
  });
});
