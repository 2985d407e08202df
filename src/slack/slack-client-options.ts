import { type Logger, WebClient } from '@slack/web-api';

/** Slack Web API calls: 429s wait out `Retry-After`; other failures retried briefly, never for long. */
export const SLACK_RETRY_CONFIG = {
  retries: 3,
  factor: 2,
  minTimeout: 500,
  maxTimeout: 4_000,
  randomize: true,
};

/** The Web API client the answering side uses (Bolt's listeners get their own from Bolt). */
export function createSlackWebClient(token: string, slackApiUrl: string, logger: Logger): WebClient {
  return new WebClient(token, { slackApiUrl, retryConfig: SLACK_RETRY_CONFIG, logger });
}
