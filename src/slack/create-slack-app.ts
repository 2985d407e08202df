import { App, HTTPReceiver, type Logger, SocketModeReceiver } from '@slack/bolt';

export interface SlackAppSettings {
  readonly botToken: string;
  readonly signingSecret: string;
  /** When set, the app connects over Socket Mode instead of serving HTTP. */
  readonly appToken?: string;
  /** Base URL of every Web API call, `apps.connections.open` included. */
  readonly slackApiUrl: string;
  readonly logger: Logger;
}

/** Slack Web API calls: 429s wait out `Retry-After`; other failures retried briefly, never for long. */
export const SLACK_RETRY_CONFIG = {
  retries: 3,
  factor: 2,
  minTimeout: 500,
  maxTimeout: 4_000,
  randomize: true,
};

/** Every Slack request (commands, events, interactivity) arrives on this path. */
export const SLACK_EVENTS_PATH = '/slack/events';

/** A Bolt app over HTTP (signature-verified at `/slack/events`) or Socket Mode. */
export function createSlackApp(settings: SlackAppSettings): App {
  const clientOptions = { slackApiUrl: settings.slackApiUrl, retryConfig: SLACK_RETRY_CONFIG };
  const receiver = settings.appToken
    ? new SocketModeReceiver({
        appToken: settings.appToken,
        logger: settings.logger,
        installerOptions: { clientOptions },
      })
    : new HTTPReceiver({
        signingSecret: settings.signingSecret,
        endpoints: SLACK_EVENTS_PATH,
        logger: settings.logger,
        processBeforeResponse: false,
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
  return new App({
    token: settings.botToken,
    receiver,
    logger: settings.logger,
    clientOptions,
  });
}
