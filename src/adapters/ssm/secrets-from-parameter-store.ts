import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { SSMClient, type SSMClientConfig } from '@aws-sdk/client-ssm';
import { awsClientConfig } from '../aws-client-config.js';

/** The settings that are secrets: on AWS they come from SSM Parameter Store SecureStrings. */
export type SecretSetting = 'SLACK_BOT_TOKEN' | 'SLACK_SIGNING_SECRET' | 'ANTHROPIC_API_KEY';

/**
 * How long Powertools reuses a fetched value. The Lambda handlers read their secrets once per
 * container, so in practice a rotated secret takes effect in new containers.
 */
const SECRET_MAX_AGE_SECONDS = 300;

/** Reads a decrypted parameter by name. */
export type ParameterReader = (name: string) => Promise<string | undefined>;

/**
 * A reader through Powertools Parameters (cached for five minutes, decrypted). The SDK client
 * honours `AWS_ENDPOINT_URL_SSM`, which tests use to point it at a loopback fake.
 */
export function powertoolsParameterReader(clientConfig: SSMClientConfig = {}): ParameterReader {
  const provider = new SSMProvider({ awsSdkV3Client: new SSMClient(clientConfig) });
  return (name) => provider.get(name, { decrypt: true, maxAge: SECRET_MAX_AGE_SECONDS });
}

/**
 * Returns `env` with each secret filled in: a plain variable (`SLACK_BOT_TOKEN`) wins; otherwise
 * `<NAME>_PARAMETER` names the SecureString to read. A secret with neither stays missing, and the
 * config check then names it.
 */
export async function withSecretsFromParameterStore(
  env: NodeJS.ProcessEnv,
  secrets: readonly SecretSetting[],
  read: ParameterReader,
): Promise<NodeJS.ProcessEnv> {
  const filled: NodeJS.ProcessEnv = { ...env };
  await Promise.all(
    secrets.map(async (name) => {
      const parameterName = env[`${name}_PARAMETER`]?.trim();
      if (env[name]?.trim() || !parameterName) return;
      const value = await read(parameterName);
      if (value) filled[name] = value;
    }),
  );
  return filled;
}

/**
 * The environment of a Lambda function with its secrets filled in from Parameter Store, through a
 * client in the function's region (and placeholder credentials for a loopback `AWS_ENDPOINT_URL_SSM`).
 */
export function withLambdaSecrets(
  env: NodeJS.ProcessEnv,
  secrets: readonly SecretSetting[],
): Promise<NodeJS.ProcessEnv> {
  const reader = powertoolsParameterReader(
    awsClientConfig(env.AWS_REGION ?? 'us-east-1', env.AWS_ENDPOINT_URL_SSM),
  );
  return withSecretsFromParameterStore(env, secrets, reader);
}
