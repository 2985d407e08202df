import { z } from 'zod';
import { ArchitectError } from './core/errors.js';

/** Where an operator finds each required value; used in start-up errors. */
const WHERE_TO_GET: Record<string, string> = {
  SLACK_BOT_TOKEN: 'Slack app settings > OAuth & Permissions > Bot User OAuth Token (xoxb-…)',
  SLACK_SIGNING_SECRET: 'Slack app settings > Basic Information > App Credentials > Signing Secret',
  SLACK_APP_TOKEN:
    'Slack app settings > Basic Information > App-Level Tokens, with the connections:write scope (xapp-…)',
  SLACK_API_URL: 'leave unset for https://slack.com/api/',
  ANTHROPIC_API_KEY: 'Anthropic Console > Settings > API Keys',
  ANTHROPIC_BASE_URL: 'leave unset for the Anthropic API',
  DYNAMODB_ENDPOINT: 'leave unset to run an embedded DynamoDB (dynalite) under DATA_DIR',
};

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const configSchema = z.object({
  SLACK_BOT_TOKEN: z.string().trim().startsWith('xoxb-', 'must be a bot token starting with xoxb-'),
  SLACK_SIGNING_SECRET: z.string().trim().min(1, 'is required'),
  SLACK_APP_TOKEN: optionalString.pipe(
    z.string().startsWith('xapp-', 'must be an app-level token starting with xapp-').optional(),
  ),
  SLACK_API_URL: z
    .url()
    .default('https://slack.com/api/')
    .transform((url) => (url.endsWith('/') ? url : `${url}/`)),
  ANTHROPIC_API_KEY: z.string().trim().min(1, 'is required'),
  ANTHROPIC_BASE_URL: optionalString.pipe(z.url().optional()),
  ANTHROPIC_MODEL: z.string().trim().min(1).default('claude-sonnet-5-5'),
  /** Output cap of one answer; a full design is 3-10k tokens. */
  ANTHROPIC_MAX_TOKENS: positiveInt(16_000),
  /** Time allowed to receive the response headers of one attempt. */
  ANTHROPIC_TIMEOUT_MS: positiveInt(60_000),
  /** Longest silence tolerated inside a stream before the answer is abandoned. */
  ANTHROPIC_STREAM_IDLE_TIMEOUT_MS: positiveInt(45_000),
  /** SDK retries on 408/409/429/5xx/529 and connection errors, before the stream starts. */
  ANTHROPIC_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  TABLE_NAME: z.string().trim().min(3).default('architect-threads'),
  DYNAMODB_ENDPOINT: optionalString.pipe(z.url().optional()),
  AWS_ENDPOINT_URL_DYNAMODB: optionalString.pipe(z.url().optional()),
  AWS_REGION: z.string().trim().min(1).default('us-east-1'),
  DATA_DIR: z.string().trim().min(1).default('.data'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /** Input tokens of thread history sent with each request. */
  HISTORY_TOKEN_BUDGET: positiveInt(60_000),
  HISTORY_TTL_DAYS: positiveInt(30),
  /** Answers written at the same time by one process; more wait in line. */
  MAX_CONCURRENT_ANSWERS: positiveInt(8),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type Config = Readonly<z.infer<typeof configSchema>>;

/** The configuration could not be read; the message names every bad variable. */
export class ConfigError extends ArchitectError {}

/** Reads and validates the environment once. Throws `ConfigError` naming each missing or bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return Object.freeze(result.data);

  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '(unknown)');
    const problem = env[name] === undefined || env[name] === '' ? 'is missing' : issue.message;
    const hint = WHERE_TO_GET[name];
    return `  - ${name} ${problem}${hint ? ` (${hint})` : ''}`;
  });
  return failWith(lines);
}

function failWith(lines: string[]): never {
  throw new ConfigError(
    `Architect cannot start: fix these settings in the environment or in .env (see .env.example):\n${lines.join('\n')}`,
  );
}

/** The DynamoDB endpoint to use, or undefined to start the embedded emulator. */
export function configuredDynamoDBEndpoint(config: Config): string | undefined {
  return config.DYNAMODB_ENDPOINT ?? config.AWS_ENDPOINT_URL_DYNAMODB;
}
