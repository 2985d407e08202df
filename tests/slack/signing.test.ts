import { readFileSync } from 'node:fs';
import { isValidSlackRequest } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { slackSignature } from '../support/slack-signing.js';

// Slack's official request-signing test vector (from Slack's docs on verifying requests).
const vector = JSON.parse(
  readFileSync(new URL('../fixtures/slack/signing-test-vector.json', import.meta.url), 'utf8'),
) as {
  signing_secret: string;
  timestamp: string;
  body: string;
  expected_signature: string;
};

/** Bolt's own check of the vector's signature over `body`, `secondsLater` after the vector's timestamp. */
function verifiedByBolt(body: string, secondsLater: number): boolean {
  return isValidSlackRequest({
    signingSecret: vector.signing_secret,
    body,
    headers: {
      'x-slack-signature': vector.expected_signature,
      'x-slack-request-timestamp': Number(vector.timestamp),
    },
    nowMilliseconds: (Number(vector.timestamp) + secondsLater) * 1000,
  });
}

describe("Slack's signing test vector", () => {
  it('is reproduced by the signing helper the integration tests use', () => {
    expect(slackSignature(vector.signing_secret, vector.timestamp, vector.body)).toBe(
      vector.expected_signature,
    );
  });

  it("is accepted by Bolt's verifier at the vector's own time", () => {
    expect(verifiedByBolt(vector.body, 1)).toBe(true);
  });

  it("is refused by Bolt's verifier when one byte of the body changes", () => {
    expect(verifiedByBolt(vector.body.replace('roadrunner', 'roadrunnes'), 1)).toBe(false);
  });

  it("is refused by Bolt's verifier more than five minutes later (replay)", () => {
    expect(verifiedByBolt(vector.body, 6 * 60)).toBe(false);
  });
});
