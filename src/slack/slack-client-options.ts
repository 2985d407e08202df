/** Slack Web API calls: 429s wait out `Retry-After`; other failures retried briefly, never for long. */
export const SLACK_RETRY_CONFIG = {
  retries: 3,
  factor: 2,
  minTimeout: 500,
  maxTimeout: 4_000,
  randomize: true,
};
