import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Log } from '../../src/core/ports.js';
import { JsonLogger } from '../../src/observability/json-logger.js';
import { createSlackApp } from '../../src/slack/create-slack-app.js';
import { eventEnvelope, messageEvent } from '../support/slack-payload-builders.js';
import { postSigned } from '../support/slack-signing.js';

const SIGNING_SECRET = 'create-slack-app-secret';
const quiet: Log = { debug() {}, info() {}, warn() {}, error() {} };

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** The HTTP app over a loopback server; `received` holds the text of each message event routed. */
async function serveApp() {
  const received: string[] = [];
  const { app, httpListener } = createSlackApp({
    botToken: 'xoxb-create-slack-app',
    signingSecret: SIGNING_SECRET,
    slackApiUrl: 'http://127.0.0.1:9/api/',
    botUserId: 'UBOT',
    logger: new JsonLogger({ write: () => undefined }),
    log: quiet,
  });
  app.event('message', async ({ event }) => {
    received.push((event as { text?: string }).text ?? '');
  });
  if (!httpListener) throw new Error('expected an HTTP app');
  server = createServer(httpListener);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return { app, received, base: `http://127.0.0.1:${port}` };
}

describe('createSlackApp over HTTP', () => {
  it('checks the signature of every POST, on any path, before Bolt sees it', async () => {
    const { received, base } = await serveApp();
    const body = JSON.stringify(eventEnvelope(messageEvent('forged')));

    const statuses: number[] = [];
    for (const path of ['/slack/events', '/slack/events?x=1', '/health', '/elsewhere']) {
      const response = await postSigned(`${base}${path}`, body, 'application/json', {
        signingSecret: 'not-the-secret',
      });
      await response.arrayBuffer();
      statuses.push(response.status);
    }

    expect(statuses).toEqual([401, 401, 401, 401]);
    expect(received).toEqual([]);
  });

  it('still serves the health check to GET', async () => {
    const { base } = await serveApp();

    const response = await fetch(`${base}/health`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('refuses to serve HTTP by itself, where nothing would check the signatures', async () => {
    const { app } = await serveApp();

    await expect(app.start(0)).rejects.toThrow(/httpListener/);
  });
});
