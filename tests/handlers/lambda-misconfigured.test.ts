import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LambdaDriver, type LambdaWorld, startLambdaDriver } from '../support/lambda-harness.js';
import { mentionEvent } from '../support/slack-payload-builders.js';

let world: LambdaWorld;
let lambda: LambdaDriver;
beforeAll(async () => {
  ({ world, lambda } = await startLambdaDriver({ SLACK_SIGNING_SECRET: undefined, LOG_LEVEL: 'error' }));
});
afterAll(async () => {
  await world.close();
});

describe('an events function without its settings', () => {
  it('answers 500 (so Slack retries), queues nothing and logs which setting is missing, without secrets', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    let status: number | undefined;
    try {
      status = (await lambda.sendEvent(mentionEvent('<@UBOT> design a cart'))).statusCode;
    } finally {
      spy.mockRestore();
    }
    expect(status).toBe(500);
    expect(lambda.queued()).toBe(0);
    const log = written.join('');
    expect(log).toContain('events function cannot start');
    expect(log).toContain('SLACK_SIGNING_SECRET is missing');
    expect(log).not.toContain('xoxb-');
  });
});
