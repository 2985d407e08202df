import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSsm, startFakeSsm } from '../fakes/ssm-parameters.js';
import {
  LAMBDA_BOT_TOKEN,
  LAMBDA_SIGNING_SECRET,
  type LambdaDriver,
  type LambdaWorld,
  startLambdaDriver,
} from '../support/lambda-harness.js';
import { mentionEvent } from '../support/slack-payload-builders.js';

let ssm: FakeSsm;
let world: LambdaWorld;
let lambda: LambdaDriver;
beforeAll(async () => {
  ssm = await startFakeSsm({
    '/architect/test/slack-bot-token': { value: LAMBDA_BOT_TOKEN, type: 'SecureString' },
    '/architect/test/slack-signing-secret': { value: LAMBDA_SIGNING_SECRET, type: 'SecureString' },
    '/architect/test/anthropic-api-key': { value: 'sk-ant-from-ssm', type: 'SecureString' },
  });
  ({ world, lambda } = await startLambdaDriver({
    LOG_LEVEL: 'error',
    AWS_ENDPOINT_URL_SSM: ssm.endpoint,
    SLACK_BOT_TOKEN: undefined,
    SLACK_SIGNING_SECRET: undefined,
    ANTHROPIC_API_KEY: undefined,
    SLACK_BOT_TOKEN_PARAMETER: '/architect/test/slack-bot-token',
    SLACK_SIGNING_SECRET_PARAMETER: '/architect/test/slack-signing-secret',
    ANTHROPIC_API_KEY_PARAMETER: '/architect/test/anthropic-api-key',
  }));
});
afterAll(async () => {
  await world.close();
  await ssm.close();
});

describe('secrets from SSM Parameter Store', () => {
  it('are read decrypted, once per container, when only the parameter names are set', async () => {
    const first = mentionEvent('<@UBOT> design a cart');
    expect((await lambda.sendEvent(first)).statusCode).toBe(200);
    await lambda.runWorker();
    const second = mentionEvent('<@UBOT> design a ledger');
    expect((await lambda.sendEvent(second)).statusCode).toBe(200);
    await lambda.runWorker();

    // The signing secret verified the requests; the bot token reached Slack; the key reached the model.
    expect(world.slack.callsTo('chat.update').every((call) => call.token === LAMBDA_BOT_TOKEN)).toBe(true);
    expect(world.anthropic.requests.at(-1)?.headers.authorization).toBe('Bearer sk-ant-from-ssm');
    const reads = ssm.calls.filter((call) => call.operation === 'GetParameter');
    expect(reads.every((call) => call.input.WithDecryption === true)).toBe(true);
    // Two containers (events, worker), each reading its own secrets once.
    expect(reads.map((call) => call.input.Name).sort()).toEqual([
      '/architect/test/anthropic-api-key',
      '/architect/test/slack-bot-token',
      '/architect/test/slack-bot-token',
      '/architect/test/slack-signing-secret',
    ]);
  });
});
