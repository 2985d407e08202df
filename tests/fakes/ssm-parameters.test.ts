import { getParameter, SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { GetParameterCommand, GetParametersCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeSsm, startFakeSsm } from './ssm-parameters.js';

const SLACK_TOKEN_NAME = '/architect/test/slack-bot-token';
const SLACK_TOKEN = 'xoxb-secret-value';
const MODEL_NAME = '/architect/test/model';

let fake: FakeSsm;
let client: SSMClient;

beforeEach(async () => {
  fake = await startFakeSsm({
    [SLACK_TOKEN_NAME]: { value: SLACK_TOKEN, type: 'SecureString' },
    [MODEL_NAME]: { value: 'claude-sonnet' },
  });
  client = clientFor(fake);
});

afterEach(async () => {
  client.destroy();
  await fake.close();
  vi.unstubAllEnvs();
});

/** The real SSMClient pointed at the fake, with dummy credentials and no retries. */
function clientFor(target: FakeSsm): SSMClient {
  return new SSMClient({
    endpoint: target.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
}

describe('fake SSM Parameter Store: GetParameter', () => {
  it('returns a String parameter with the fields GetParameter documents', async () => {
    const { Parameter } = await client.send(new GetParameterCommand({ Name: MODEL_NAME }));

    expect(Parameter).toEqual({
      Name: MODEL_NAME,
      Type: 'String',
      Value: 'claude-sonnet',
      Version: 1,
      LastModifiedDate: expect.any(Date),
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/architect/test/model',
      DataType: 'text',
    });
  });

  it('decrypts a SecureString when WithDecryption is true', async () => {
    const { Parameter } = await client.send(
      new GetParameterCommand({ Name: SLACK_TOKEN_NAME, WithDecryption: true }),
    );

    expect(Parameter).toMatchObject({ Type: 'SecureString', Value: SLACK_TOKEN });
  });

  it('returns a SecureString as KMS ciphertext when decryption was not requested', async () => {
    const { Parameter } = await client.send(new GetParameterCommand({ Name: SLACK_TOKEN_NAME }));

    expect(Parameter?.Type).toBe('SecureString');
    expect(Parameter?.Value).toMatch(/^AQICAH[A-Za-z0-9+/=]+$/);
    expect(Parameter?.Value).not.toContain(SLACK_TOKEN);
  });

  it("raises an unknown name as the SDK's ParameterNotFound class", async () => {
    const error = await client.send(new GetParameterCommand({ Name: '/architect/test/missing' })).then(
      () => expect.unreachable('expected ParameterNotFound'),
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(ParameterNotFound);
    expect(error).toMatchObject({ name: 'ParameterNotFound', $metadata: { httpStatusCode: 400 } });
  });

  it('serves a new Version after setParameter overwrites a parameter', async () => {
    fake.setParameter(MODEL_NAME, { value: 'claude-opus' });

    const { Parameter } = await client.send(new GetParameterCommand({ Name: MODEL_NAME }));

    expect(Parameter).toMatchObject({ Value: 'claude-opus', Version: 2 });
  });

  it('records every call with its operation and input', async () => {
    await client.send(new GetParameterCommand({ Name: SLACK_TOKEN_NAME, WithDecryption: true }));

    expect(fake.calls).toEqual([
      { operation: 'GetParameter', input: { Name: SLACK_TOKEN_NAME, WithDecryption: true } },
    ]);
  });
});

describe('fake SSM Parameter Store: GetParameters', () => {
  it('returns the parameters it holds and lists the other names as InvalidParameters', async () => {
    const result = await client.send(
      new GetParametersCommand({ Names: [MODEL_NAME, '/architect/test/missing'], WithDecryption: true }),
    );

    expect(result.Parameters?.map((p) => [p.Name, p.Value])).toEqual([[MODEL_NAME, 'claude-sonnet']]);
    expect(result.InvalidParameters).toEqual(['/architect/test/missing']);
  });
});

describe('fake SSM Parameter Store: Powertools Parameters', () => {
  it('serves an SSMProvider given the SDK client as awsSdkV3Client', async () => {
    const provider = new SSMProvider({ awsSdkV3Client: client });

    const value = await provider.get(SLACK_TOKEN_NAME, { decrypt: true });

    expect(value).toBe(SLACK_TOKEN);
    expect(fake.calls).toEqual([
      { operation: 'GetParameter', input: { Name: SLACK_TOKEN_NAME, WithDecryption: true } },
    ]);
  });

  it('serves getParameter, whose default provider finds the fake through AWS_ENDPOINT_URL_SSM', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_SSM', fake.endpoint);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'x');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'x');
    vi.stubEnv('AWS_SESSION_TOKEN', undefined);
    vi.stubEnv('AWS_PROFILE', undefined);

    // The default provider is module-wide and caches values: this is the only test in the file that uses it.
    const value = await getParameter(SLACK_TOKEN_NAME, { decrypt: true });

    expect(value).toBe(SLACK_TOKEN);
    expect(fake.calls.map((call) => call.input)).toEqual([{ Name: SLACK_TOKEN_NAME, WithDecryption: true }]);
  });
});
