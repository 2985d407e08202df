import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { App } from '@slack/bolt';
import { type LocalDynalite, startLocalDynalite } from '../adapters/dynamodb/local-dynalite.js';
import { ensureThreadTable } from '../adapters/dynamodb/thread-table.js';
import { AckTraffic } from '../adapters/in-process/ack-traffic.js';
import { BACKGROUND_NICE } from '../adapters/in-process/background-thread-priority.js';
import { KnownThreadsCache } from '../adapters/in-process/known-threads-cache.js';
import { ThreadSerialDispatcher } from '../adapters/in-process/thread-serial-dispatcher.js';
import { type Config, configuredDynamoDBEndpoint } from '../config.js';
import { noFeedbackTelemetry, type ThreadStore } from '../core/ports.js';
import { JsonLogger } from '../observability/json-logger.js';
import { batchedStdout } from '../observability/line-batcher.js';
import { createSlackApp } from '../slack/create-slack-app.js';
import { tellUser } from '../slack/hand-off-request.js';
import { registerListeners } from '../slack/register-listeners.js';
import { createSlackWebClient } from '../slack/slack-client-options.js';
import { ANSWERING_STOPPED_TEXT } from '../slack/user-messages.js';
import { AnswerThread } from './answer-thread.js';
import { buildThreadStore } from './build-thread-store.js';

export interface LocalBot {
  readonly app: App;
  /** The HTTP port the bot listens on (undefined in Socket Mode). */
  readonly port: number | undefined;
  readonly dispatcher: ThreadSerialDispatcher;
  /** The thread store, for tools and tests that read what the bot keeps. */
  readonly store: ThreadStore;
  /** Stops taking requests, lets answers in progress finish, then closes the embedded DynamoDB. */
  stop(): Promise<void>;
}

export interface LocalBotOptions {
  /** Where log lines go; stdout by default. */
  readonly writeLog?: (line: string) => void;
}

/**
 * The local composition root: config in, a running bot out. `pnpm start` and the integration
 * tests both start the bot through here.
 */
export async function startLocalBot(config: Config, options: LocalBotOptions = {}): Promise<LocalBot> {
  // Written a batch per turn of the event loop: one write per request would cost the acks under a burst.
  const writeLog = options.writeLog ?? ((line: string) => batchedStdout().write(line));
  const logger = new JsonLogger({ level: config.LOG_LEVEL, write: writeLog });

  let dynalite: LocalDynalite | undefined;
  let endpoint = configuredDynamoDBEndpoint(config);
  if (!endpoint) {
    const dataDir = join(config.DATA_DIR, 'dynamodb');
    // Like the answers, the emulator works below the acks' priority.
    dynalite = await startLocalDynalite({ dataDir, thread: true, threadNice: BACKGROUND_NICE });
    endpoint = dynalite.endpoint;
    logger.info('embedded DynamoDB started', { dataDir });
  }
  const { dynamo, store } = buildThreadStore(config, endpoint);
  const noticeClient = createSlackWebClient(config.SLACK_BOT_TOKEN, config.SLACK_API_URL, logger);
  // The answer thread loads its own copy of the SDKs (about a second): start it alongside the rest.
  const [table, started] = await Promise.allSettled([
    ensureThreadTable(dynamo.client, config.TABLE_NAME),
    AnswerThread.start(config, endpoint, writeLog, {
      // Should the answer thread keep failing, each request still gets a reply, from this thread.
      onAbandoned: (request) => tellUser(noticeClient, request, ANSWERING_STOPPED_TEXT),
    }),
  ]);
  if (table.status === 'rejected' || started.status === 'rejected') {
    if (started.status === 'fulfilled') await started.value.close();
    dynamo.client.destroy();
    await dynalite?.close();
    throw table.status === 'rejected' ? table.reason : (started as PromiseRejectedResult).reason;
  }
  const answerThread = started.value;

  // Acks come first: new answers wait while Slack requests are being acknowledged (briefly; see AckTraffic).
  const ackTraffic = new AckTraffic();
  const { app, httpListener } = createSlackApp({
    botToken: config.SLACK_BOT_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET,
    ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
    slackApiUrl: config.SLACK_API_URL,
    ...(config.SLACK_BOT_USER_ID ? { botUserId: config.SLACK_BOT_USER_ID } : {}),
    logger,
    log: logger,
    ackTraffic,
  });
  // Ordering and the concurrency cap stay here; the answers run on their own thread.
  const dispatcher = new ThreadSerialDispatcher((request) => answerThread.answer(request), logger, {
    maxConcurrent: config.MAX_CONCURRENT_ANSWERS,
    beforeStart: () => ackTraffic.whenQuiet(),
  });
  registerListeners(
    app,
    {
      store: new KnownThreadsCache(store),
      dispatcher,
      log: logger,
      allowedTeamIds: config.ALLOWED_TEAM_IDS,
      maxRequestChars: config.MAX_REQUEST_CHARS,
    },
    // Locally the `feedback recorded` log line is the count.
    { store, telemetry: noFeedbackTelemetry, log: logger, allowedTeamIds: config.ALLOWED_TEAM_IDS },
  );

  let port: number | undefined;
  let server: Server | undefined;
  try {
    if (httpListener) {
      server = createServer(httpListener);
      port = await listen(server, config.PORT);
    } else {
      await app.start();
    }
  } catch (error) {
    await answerThread.close();
    await dynalite?.close();
    throw error;
  }
  logger.info('Architect is running', {
    mode: config.SLACK_APP_TOKEN ? 'socket' : 'http',
    ...(port === undefined ? {} : { url: `http://localhost:${port}/slack/events` }),
    model: config.ANTHROPIC_MODEL,
    table: config.TABLE_NAME,
  });

  return {
    app,
    port,
    dispatcher,
    store,
    async stop() {
      if (server) await closeServer(server);
      else await app.stop();
      await dispatcher.drain();
      await answerThread.close();
      dynamo.client.destroy();
      await dynalite?.close();
    },
  };
}

/** Listens on `port` (0: any free one) and resolves the port it got. */
function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
