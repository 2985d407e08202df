import type { RequestListener } from 'node:http';
import { App, AwsLambdaReceiver, HTTPReceiver, type Logger, SocketModeReceiver } from '@slack/bolt';
import type { Log } from '../core/ports.js';
import { screeningRequestListener } from './screening-request-listener.js';
import { SLACK_RETRY_CONFIG } from './slack-client-options.js';

export interface SlackAppSettings {
  readonly botToken: string;
  readonly signingSecret: string;
  /** When set, the app connects over Socket Mode instead of serving HTTP. */
  readonly appToken?: string;
  /** Base URL of every Web API call, `apps.connections.open` included. */
  readonly slackApiUrl: string;
  /** The bot's user id when known ahead; otherwise Bolt looks it up with `auth.test` on the first request. */
  readonly botUserId?: string;
  readonly logger: Logger;
  /** Where refused requests are logged. */
  readonly log: Log;
  /** Told of each Slack request over HTTP while it is being acknowledged (see `AckTraffic`). */
  readonly ackTraffic?: { begin(): () => void };
}

/** Every Slack request (commands, events, interactivity) arrives on this path. */
export const SLACK_EVENTS_PATH = '/slack/events';

/**
 * A Bolt app over HTTP (signature-verified at `/slack/events`) or Socket Mode. For HTTP, serve
 * `httpListener` (Bolt's listener behind the request screening, which checks every POST's signature)
 * instead of `app.start()`, which would serve Bolt's listener unscreened.
 */
export function createSlackApp(settings: SlackAppSettings): { app: App; httpListener?: RequestListener } {
  const clientOptions = { slackApiUrl: settings.slackApiUrl, retryConfig: SLACK_RETRY_CONFIG };
  const receiver = settings.appToken
    ? new SocketModeReceiver({
        appToken: settings.appToken,
        logger: settings.logger,
        installerOptions: { clientOptions },
      })
    : new ScreenedHTTPReceiver({
        signingSecret: settings.signingSecret,
        endpoints: SLACK_EVENTS_PATH,
        logger: settings.logger,
        processBeforeResponse: false,
        // Every POST is screened before Bolt sees it, and the screening checks the signature with Bolt's
        // own function (`isValidSlackRequest`): checking it again here would only double the ack's work.
        // `ScreenedHTTPReceiver` refuses to serve its listener any other way.
        signatureVerification: false,
        // A signed request Bolt cannot route (a shape Slack never sends) gets a 400, not a 500.
        processEventErrorHandler: async ({ error, response, logger }) => {
          logger.error('Bolt could not process a signed request', { error });
          if (!response.headersSent) response.writeHead(400).end();
          return true;
        },
        customRoutes: [
          {
            path: '/health',
            method: ['GET'],
            handler: (_request, response) => {
              response.writeHead(200, { 'content-type': 'application/json' });
              response.end('{"ok":true}');
            },
          },
        ],
      });
  const app = new App({
    ...authorization(settings.botToken, settings.botUserId),
    receiver,
    logger: settings.logger,
    clientOptions,
    // Bolt's conversation store (state per channel) is unused: the threads live in DynamoDB.
    convoStore: false,
  });
  if (!(receiver instanceof ScreenedHTTPReceiver)) return { app };
  const httpListener = screeningRequestListener(receiver.requestListener, {
    signingSecret: settings.signingSecret,
    log: settings.log,
    ...(settings.ackTraffic ? { traffic: settings.ackTraffic } : {}),
  });
  return { app, httpListener };
}

/**
 * Bolt's HTTP receiver, built without its own signature check because the screening in front of it
 * does that check: so it must never serve HTTP by itself, only through `httpListener`.
 */
class ScreenedHTTPReceiver extends HTTPReceiver {
  override start(): Promise<never> {
    return Promise.reject(new Error('serve createSlackApp().httpListener: it checks the signatures'));
  }
}

/**
 * How Bolt gets the bot's token: with a known bot user id, a fixed `authorize` (no Slack round trip);
 * otherwise the plain token, for which Bolt calls `auth.test` once, on the first request, to learn the ids.
 */
function authorization(botToken: string, botUserId: string | undefined) {
  if (!botUserId) return { token: botToken };
  const authorized = { botToken, botUserId };
  return { authorize: async () => authorized };
}

export interface LambdaSlackAppSettings {
  readonly botToken: string;
  readonly signingSecret: string;
  readonly slackApiUrl: string;
  /** Known ahead (config): otherwise listeners read it from each event's `authorizations`. */
  readonly botUserId?: string;
  readonly logger: Logger;
}

/**
 * A Bolt app behind `AwsLambdaReceiver` (which verifies signatures and holds the HTTP response until
 * the listeners finish). A fixed `authorize` replaces the `auth.test` call Bolt would otherwise make
 * on every cold start.
 */
export function createLambdaSlackApp(settings: LambdaSlackAppSettings): {
  app: App;
  receiver: AwsLambdaReceiver;
} {
  const receiver = new AwsLambdaReceiver({ signingSecret: settings.signingSecret, logger: settings.logger });
  const authorized = {
    botToken: settings.botToken,
    ...(settings.botUserId ? { botUserId: settings.botUserId } : {}),
  };
  const app = new App({
    receiver,
    authorize: async () => authorized,
    convoStore: false,
    logger: settings.logger,
    clientOptions: { slackApiUrl: settings.slackApiUrl, retryConfig: SLACK_RETRY_CONFIG },
  });
  return { app, receiver };
}
