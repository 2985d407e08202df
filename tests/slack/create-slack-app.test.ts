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

/** The HTTP app over a loopback server, with a tracker that records what `AckTraffic` would be told. */
async function serveApp() {
  const traffic = { begun: 0, ended: 0 };
  const received: string[] = [];
  const { app, httpListener } = createSlackApp({
    botToken: 'xoxb-create-slack-app',
    signingSecret: SIGNING_SECRET,
    slackApiUrl: 'http://127.0.0.1:9/api/',
    botUserId: 'UBOT',
    logger: new JsonLogger({ write: () => undefined }),
    log: quiet,
    ackTraffic: {
      begin: () => {
        traffic.begun += 1;
        return () => {
          traffic.ended += 1;
        };
      },
    },
  });
  app.event('message', async ({ event }) => {
    received.push((event as { text?: string }).text ?? '');
  });
  if (!httpListener) throw new Error('expected an HTTP app');
  server = createServer(httpListener);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return { app, traffic, received, base: `http://127.0.0.1:${port}` };
}

/** Waits until `check` holds, a bounded number of times. */
async function eventually(check: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 100 && !check(); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('createSlackApp over HTTP', () => {
  it('routes a signed event and counts its request from arrival until its response is done', async () => {
    const { traffic, received, base } = await serveApp();
    const body = JSON.stringify(eventEnvelope(messageEvent('hello from a thread', { threadTs: '1.1' })));

    const response = await postSigned(`${base}/slack/events`, body, 'application/json', {
      signingSecret: SIGNING_SECRET,
    });
    await response.arrayBuffer();
    await eventually(() => traffic.ended === 1 && received.length === 1);

    expect(response.status).toBe(200);
    expect(received).toEqual(['hello from a thread']);
    expect(traffic).toEqual({ begun: 1, ended: 1 });
  });

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

  it('still serves the health check to GET, and does not count it', async () => {
    const { traffic, base } = await serveApp();

    const response = await fetch(`${base}/health`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(traffic.begun).toBe(0);
  });

  it('refuses to serve HTTP by itself, where nothing would check the signatures', async () => {
    const { app } = await serveApp();

    await expect(app.start(0)).rejects.toThrow(/httpListener/);
  });
});

describe('createSlackApp over HTTP, requests Bolt has no route for', () => {
  it('answers 404 to GET /, HEAD / and a signed POST elsewhere, and keeps serving', async () => {
    const { received, base } = await serveApp();
    const signedElsewhere = await postSigned(
      `${base}/elsewhere`,
      JSON.stringify(eventEnvelope(messageEvent('lost'))),
      'application/json',
      { signingSecret: SIGNING_SECRET },
    );
    await signedElsewhere.arrayBuffer();
    const statuses = [signedElsewhere.status];
    for (const method of ['GET', 'HEAD']) {
      const response = await fetch(`${base}/`, { method });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    const body = JSON.stringify(eventEnvelope(messageEvent('still here', { threadTs: '1.1' })));
    const after = await postSigned(`${base}/slack/events`, body, 'application/json', {
      signingSecret: SIGNING_SECRET,
    });
    await after.arrayBuffer();
    await eventually(() => received.length === 1);

    expect(statuses).toEqual([404, 404, 404]);
    expect(after.status).toBe(200);
    expect(received).toEqual(['still here']);
  });

  it('counts only signed requests as acks in flight', async () => {
    const { traffic, base } = await serveApp();
    const forged = await postSigned(
      `${base}/slack/events`,
      JSON.stringify(eventEnvelope(messageEvent('forged'))),
      'application/json',
      { signingSecret: 'not-the-secret' },
    );
    await forged.arrayBuffer();

    expect(forged.status).toBe(401);
    expect(traffic.begun).toBe(0);
  });
});
