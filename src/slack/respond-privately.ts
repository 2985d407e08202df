import { ArchitectError } from '../core/errors.js';

/** Slack refused a `response_url` post. */
export class ResponseUrlError extends ArchitectError {}

/**
 * Answers a slash command privately through its `response_url` (valid for 30 minutes, up to five
 * times): https://docs.slack.dev/interactivity/handling-user-interaction#message_responses
 * The URL is a credential of sorts: it is never logged.
 */
export async function respondPrivately(responseUrl: string, text: string): Promise<void> {
  const response = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', text }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new ResponseUrlError(`response_url answered HTTP ${response.status}`);
}
