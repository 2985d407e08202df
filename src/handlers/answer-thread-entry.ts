import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { lowerThisThreadPriority } from '../adapters/in-process/background-thread-priority.js';
import type { Config } from '../config.js';
import { JsonLogger } from '../observability/json-logger.js';
import { LineBatcher } from '../observability/line-batcher.js';
import { answerRequest } from '../slack/answer-request.js';
import type { AnswerThreadData, FromAnswerThread, ToAnswerThread } from './answer-thread-protocol.js';
import { buildThreadStore } from './build-thread-store.js';
import { buildLocalAnswerDependencies } from './local-answer-dependencies.js';

/**
 * The local bot's answering side, on a worker thread of its own (see `AnswerThread`): the local
 * counterpart of the Lambda worker. Builds its own clients from the settings it is given, answers
 * each request it is sent, and reports back when the request is done. Log lines go to the main
 * thread, a batch at a time, which writes them where the bot's own go.
 */
async function main(port: MessagePort, data: AnswerThreadData): Promise<void> {
  // Answers can wait a few milliseconds; Slack's acknowledgements on the main thread cannot.
  lowerThisThreadPriority();
  const config = data.config as Config;
  // Lines go to the main thread a batch at a time, and always ahead of any other report.
  const logLines = new LineBatcher((lines) =>
    port.postMessage({ type: 'log', lines } satisfies FromAnswerThread),
  );
  const send = (message: FromAnswerThread) => {
    logLines.flush();
    port.postMessage(message);
  };
  const logger = new JsonLogger({ level: config.LOG_LEVEL, write: (line) => logLines.write(line) });
  // Should the thread die of an uncaught exception, the lines before it still reach the log.
  process.on('uncaughtExceptionMonitor', () => logLines.flush());
  const { dynamo, store } = buildThreadStore(config, data.dynamodbEndpoint);
  const deps = await buildLocalAnswerDependencies(config, store, logger);
  port.on('message', (message: ToAnswerThread) => {
    if (message.type === 'close') {
      // The main thread sends `close` only once every answer it asked for is done.
      dynamo.client.destroy();
      send({ type: 'closed' });
      return;
    }
    answerRequest(message.request, message.deliveryId, deps)
      .then(() => undefined)
      .catch((error: unknown) => logger.error('job crashed', { channel: message.request.channelId, error }))
      .finally(() => send({ type: 'done', id: message.id }));
  });
  // As in local-server.ts: a library promise that fails outside any handler must not end the thread
  // with every answer in flight.
  process.on('unhandledRejection', (reason: unknown) =>
    logger.error('unhandled rejection', { error: reason }),
  );
  send({ type: 'ready' });
}

if (parentPort) {
  const port = parentPort;
  main(port, workerData as AnswerThreadData).catch((error: unknown) => {
    port.postMessage({
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
    } satisfies FromAnswerThread);
  });
}
