// The local-mode baseline: the smallest Bolt app over HTTP (HTTPReceiver, the receiver `pnpm start`
// uses), whose listeners only acknowledge. It answers Slack as soon as Bolt has verified the request.

import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver } from '@slack/bolt';

export interface BareBoltHttpApp {
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts the app on `port` (0: any free port), on the same path as the bot. */
export async function startBareBoltHttpApp(options: {
  readonly signingSecret: string;
  readonly botToken: string;
  readonly botUserId: string;
  readonly port: number;
}): Promise<BareBoltHttpApp> {
  const receiver = new HTTPReceiver({ signingSecret: options.signingSecret, endpoints: '/slack/events' });
  // A fixed authorize, as the bot has with SLACK_BOT_USER_ID set: no auth.test round trip.
  const authorized = { botToken: options.botToken, botUserId: options.botUserId };
  const app = new App({ receiver, authorize: async () => authorized });
  app.command(/.*/, async ({ ack }) => {
    await ack();
  });
  // Bolt acknowledges Events API requests itself, before the listeners run.
  app.event(/.*/, async () => {});
  app.action(/.*/, async ({ ack }) => {
    await ack();
  });
  const server = (await app.start(options.port)) as { address(): AddressInfo | string | null };
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return { port, stop: () => app.stop().then(() => undefined) };
}
