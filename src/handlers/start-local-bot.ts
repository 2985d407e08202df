import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { App } from '@slack/bolt';
import { type LocalDynalite, startLocalDynalite } from '../adapters/dynamodb/local-dynalite.js';
import { ensureThreadTable } from '../adapters/dynamodb/thread-table.js';
import { KnownThreadsCache } from '../adapters/in-process/known-threads-cache.js';
import { ThreadSerialDispatcher } from '../adapters/in-process/thread-serial-dispatcher.js';
import { type Config, configuredDynamoDBEndpoint, usageLimits } from '../config.js';
import { loadArchitectPrompt } from '../core/architect-prompt.js';
import { noTelemetry, type ThreadStore } from '../core/ports.js';
import { JsonLogger } from '../observability/json-logger.js';
import { answerRequest } from '../slack/answer-request.js';
import { createSlackApp } from '../slack/create-slack-app.js';
import { registerListeners } from '../slack/register-listeners.js';
import { createSlackWebClient } from '../slack/slack-client-options.js';
import { buildClaudeModel } from './build-claude-model.js';
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
  const logger = new JsonLogger({
    level: config.LOG_LEVEL,
    ...(options.writeLog ? { write: options.writeLog } : {}),
  });

  let dynalite: LocalDynalite | undefined;
  let endpoint = configuredDynamoDBEndpoint(config);
  if (!endpoint) {
    const dataDir = join(config.DATA_DIR, 'dynamodb');
    dynalite = await startLocalDynalite({ dataDir });
    endpoint = dynalite.endpoint;
    logger.info('embedded DynamoDB started', { dataDir });
  }
  const { dynamo, store } = buildThreadStore(config, endpoint);
  await ensureThreadTable(dynamo.client, config.TABLE_NAME);
  const model = buildClaudeModel(config);
  const systemPrompt = await loadArchitectPrompt();

  const { app, httpListener } = createSlackApp({
    botToken: config.SLACK_BOT_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET,
    ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
    slackApiUrl: config.SLACK_API_URL,
    ...(config.SLACK_BOT_USER_ID ? { botUserId: config.SLACK_BOT_USER_ID } : {}),
    logger,
    log: logger,
  });
  const answerDependencies = {
    client: createSlackWebClient(config.SLACK_BOT_TOKEN, config.SLACK_API_URL, logger),
    store,
    model,
    systemPrompt,
    historyTokenBudget: config.HISTORY_TOKEN_BUDGET,
    log: logger,
    telemetry: noTelemetry,
    limits: usageLimits(config),
    liveAnswer: config.LIVE_ANSWER,
  };
  // In-process, each dispatch is its own delivery: there is no queue to redeliver it.
  const dispatcher = new ThreadSerialDispatcher(
    (request) => answerRequest(request, randomUUID(), answerDependencies).then(() => undefined),
    logger,
    { maxConcurrent: config.MAX_CONCURRENT_ANSWERS },
  );
  registerListeners(app, {
    store: new KnownThreadsCache(store),
    dispatcher,
    log: logger,
    allowedTeamIds: config.ALLOWED_TEAM_IDS,
    maxRequestChars: config.MAX_REQUEST_CHARS,
  });

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
