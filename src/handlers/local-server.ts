import dotenv from 'dotenv';
import { ConfigError, loadConfig } from '../config.js';
import { batchedStdout } from '../observability/line-batcher.js';
import { startLocalBot } from './start-local-bot.js';

/** `pnpm start`: reads `.env` when present, validates the settings and runs the bot until stopped. */
async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  const config = loadConfig();
  const bot = await startLocalBot(config);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Through the bot's own batched stdout, so it comes after the lines already waiting there.
    batchedStdout().write(JSON.stringify({ level: 'info', message: 'stopping', signal }));
    bot.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // A library promise that fails outside any handler (seen in Bolt's receivers) must not take the
  // bot down with every thread in flight: log it and keep serving.
  process.on('unhandledRejection', (reason: unknown) => {
    process.stderr.write(
      `${JSON.stringify({ level: 'error', message: 'unhandled rejection', error: reason instanceof Error ? reason.message : String(reason) })}\n`,
    );
  });
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `Architect failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
  process.exit(1);
});
