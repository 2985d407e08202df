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

/**
 * The client for a live answer's writes while the model is still writing. A 429 is handed back at
 * once (`rejectRateLimitedCalls`), with its `Retry-After`, instead of being waited out inside the
 * call: the live answer then pauses that message, and nothing in flight can hold up the final answer.
 * Other failures get one quick retry.
 */
export function createLiveSlackWebClient(token: string, slackApiUrl: string, logger: Logger): WebClient {
  return new WebClient(token, {
    slackApiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 1, factor: 1, minTimeout: 200, maxTimeout: 500 },
    timeout: 10_000,
    logger,
  });
}
