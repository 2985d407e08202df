import { createHmac } from 'node:crypto';

/** Slack's v0 request signature: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>`. */
export function slackSignature(signingSecret: string, timestamp: number | string, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedRequestOptions {
  readonly signingSecret: string;
  /** Seconds since the epoch; now by default. */
  readonly timestamp?: number;
  /** Overrides the computed signature (for forgeries). */
  readonly signature?: string;
  readonly headers?: Record<string, string>;
}

/** POSTs a body to the bot the way Slack does, signed. */
export async function postSigned(
  url: string,
  body: string,
  contentType: 'application/json' | 'application/x-www-form-urlencoded',
  options: SignedRequestOptions,
): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? slackSignature(options.signingSecret, timestamp, body),
      ...options.headers,
    },
    body,
  });
}
