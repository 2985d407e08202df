// Child process, run with `node --import tsx` (the bot reads prompts/architect.md relative to its
// source, so it runs from the sources, as `pnpm start` does): the app under test in the local-mode
// burst, over HTTP on a free port. `bot` is the real `startLocalBot` with `loadConfig(process.env)`;
// `bare` is a Bolt app that only acknowledges. The parent steers it over IPC (see child-protocol.ts).

import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../../src/config.js';
import { startLocalBot } from '../../src/handlers/start-local-bot.js';
import { startBareBoltHttpApp } from '../apps/bare-bolt-http-app.js';
import {
  CHILD_SETTINGS,
  requiredSetting,
  type ServerChildCommand,
  type ServerChildMessage,
} from './child-protocol.js';

interface ServerUnderTest {
  readonly port: number;
  /** Resolves when every answer dispatched so far is done (at once for the bare app). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

async function startServer(): Promise<ServerUnderTest> {
  const mode = requiredSetting(CHILD_SETTINGS.serverMode);
  if (mode === 'bot') {
    const bot = await startLocalBot(loadConfig(process.env));
    if (bot.port === undefined) throw new Error('the bot is not serving HTTP');
    return { port: bot.port, drain: () => bot.dispatcher.drain(), stop: () => bot.stop() };
  }
  if (mode !== 'bare') throw new Error(`unknown ${CHILD_SETTINGS.serverMode} ${mode}`);
  const bare = await startBareBoltHttpApp({
    signingSecret: requiredSetting('SLACK_SIGNING_SECRET'),
    botToken: requiredSetting('SLACK_BOT_TOKEN'),
    botUserId: requiredSetting('SLACK_BOT_USER_ID'),
    port: 0,
  });
  return { port: bare.port, drain: async () => undefined, stop: () => bare.stop() };
}

/** Sends over IPC; resolves once the message is written (so exiting right after does not lose it). */
/** How often the event-loop delay is sampled: its histogram holds interval + delay, in ns. */
const EVENT_LOOP_SAMPLE_MS = 5;

/** The delay part of a histogram value, in ms. */
function beyondInterval(nanoseconds: number): number {
  return Math.max(0, nanoseconds / 1e6 - EVENT_LOOP_SAMPLE_MS);
}

function send(message: ServerChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) resolve();
    else process.send(message, undefined, undefined, () => resolve());
  });
}

async function main(): Promise<void> {
  const server = await startServer();
  const delay = monitorEventLoopDelay({ resolution: EVENT_LOOP_SAMPLE_MS });
  let markCpu = process.cpuUsage();
  let markAt = performance.now();
  const handle = async (command: ServerChildCommand) => {
    if (command.type === 'mark') {
      delay.reset();
      delay.enable();
      markCpu = process.cpuUsage();
      markAt = performance.now();
      await send({ type: 'marked' });
    } else if (command.type === 'drain') {
      // Asked right after the last timed ack: the event-loop figures and the first CPU figure cover the burst.
      const started = performance.now();
      const burstCpu = process.cpuUsage(markCpu);
      delay.disable();
      const eventLoopDelay = {
        p50: beyondInterval(delay.percentile(50)),
        p99: beyondInterval(delay.percentile(99)),
        max: beyondInterval(delay.max),
      };
      await server.drain();
      const drainMs = performance.now() - started;
      const cpu = process.cpuUsage(markCpu);
      await send({
        type: 'drained',
        drainMs,
        sinceMarkMs: performance.now() - markAt,
        burstCpuMs: (burstCpu.user + burstCpu.system) / 1000,
        cpuMs: (cpu.user + cpu.system) / 1000,
        eventLoopDelay,
      });
    } else if (command.type === 'stop') {
      await server.stop();
      await send({ type: 'stopped' });
      process.exit(0);
    }
  };
  process.on('message', (command: ServerChildCommand) => {
    handle(command).catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
  });
  // The parent went away: nothing will stop this process otherwise.
  process.on('disconnect', () => process.exit(1));
  await send({ type: 'ready', port: server.port });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
