// Child process: the load generator of the local-mode burst. Posts signed thread replies to an app's
// request URL over HTTP (node:http with a keep-alive agent of `concurrency` sockets: lighter than
// fetch, so the client is not what is measured), `concurrency` in flight at a time: first the
// warm-up, then, once the parent says go, the timed replies. Reports over IPC (see child-protocol.ts).

import { Agent, request as httpRequest } from 'node:http';

import { slackSignature } from '../../tests/support/slack-signing.js';
import {
  type BurstClientMessage,
  type BurstRequest,
  CHILD_SETTINGS,
  countSetting,
  postTs,
  requiredSetting,
  threadsSetting,
} from './child-protocol.js';
import { replyUser, threadReplyBody } from './signed-slack-requests.js';

interface PreparedRequest {
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** Sends over IPC; resolves once the message is written (so exiting right after does not lose it). */
function send(message: BurstClientMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) resolve();
    else process.send(message, undefined, undefined, () => resolve());
  });
}

/** Signed requests for replies `first`..`first + count - 1`, built before any is sent. */
function prepare(first: number, count: number): PreparedRequest[] {
  const signingSecret = requiredSetting('SLACK_SIGNING_SECRET');
  const seconds = countSetting(CHILD_SETTINGS.tsSeconds);
  const channel = requiredSetting(CHILD_SETTINGS.channel);
  const threads = threadsSetting();
  const timestamp = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, offset) => {
    const index = first + offset;
    const body = threadReplyBody({
      channel,
      threadTs: threads[(index - 1) % threads.length] ?? '',
      ts: postTs(seconds, index),
      user: replyUser(index),
    });
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(signingSecret, timestamp, body),
      },
    };
  });
}

/** POSTs one request and resolves with the status once the whole response has arrived. */
function post(url: string, agent: Agent, request: PreparedRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const call = httpRequest(url, { method: 'POST', agent, headers: request.headers }, (response) => {
      response.on('data', () => undefined);
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    call.setTimeout(10_000, () => call.destroy(new Error('no response within 10 s')));
    call.on('error', reject);
    call.end(request.body);
  });
}

/** Sends every request through a bounded pool of `concurrency` workers; times each to its full response. */
async function burst(
  url: string,
  agent: Agent,
  requests: readonly PreparedRequest[],
  concurrency: number,
  errors: string[],
): Promise<{ results: BurstRequest[]; wallMs: number }> {
  const results: BurstRequest[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, requests.length) }, async () => {
      while (next < requests.length) {
        const slot = next;
        next += 1;
        const request = requests[slot];
        if (!request) break;
        const callStarted = performance.now();
        let status = 0;
        try {
          status = await post(url, agent, request);
        } catch (error) {
          if (errors.length < 5) errors.push(error instanceof Error ? error.message : String(error));
        }
        results[slot] = { status, ms: performance.now() - callStarted };
      }
    }),
  );
  return { results, wallMs: performance.now() - started };
}

async function main(): Promise<void> {
  const url = requiredSetting(CHILD_SETTINGS.targetUrl);
  const warmup = countSetting(CHILD_SETTINGS.warmup);
  const requests = countSetting(CHILD_SETTINGS.requests);
  const concurrency = countSetting(CHILD_SETTINGS.concurrency);
  const errors: string[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

  const warm = await burst(url, agent, prepare(1, warmup), concurrency, errors);
  const go = new Promise<void>((resolve) => {
    process.on('message', (message: { type?: string }) => {
      if (message.type === 'go') resolve();
    });
  });
  await send({ type: 'warmed', statuses: warm.results.map((result) => result.status) });
  await go;
  const timed = await burst(url, agent, prepare(warmup + 1, requests), concurrency, errors);
  await send({ type: 'done', requests: timed.results, wallMs: timed.wallMs, errors });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
