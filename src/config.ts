// zod/mini: the same validation in a small fraction of the bundle (the Lambda cold start reads it).
import * as z from 'zod/mini';
import { ArchitectError } from './core/errors.js';
import type { UsageLimits } from './slack/answer-request.js';

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
  QUEUE_URL: 'the URL of the answer queue (serverless.yml sets it)',
};

const trimmed = () => z.string().check(z.trim());
const required = () => trimmed().check(z.minLength(1, 'is required'));
/** An optional string where empty means unset (`.env` files write `NAME=`). */
const optionalString = z.optional(
  z.pipe(
    trimmed(),
    z.transform((value: string) => (value === '' ? undefined : value)),
  ),
);
const optionalUrl = z.optional(
  z.pipe(
    trimmed(),
    z.transform((value: string, context) => {
      if (value === '') return undefined;
      if (!URL.canParse(value))
        context.issues.push({ code: 'custom', message: 'must be a URL', input: value });
      return value;
    }),
  ),
);
/** An optional http(s) URL where empty means unset. */
const optionalHttpUrl = z.optional(
  z.pipe(
    trimmed(),
    z.transform((value: string, context) => {
      if (value === '') return undefined;
      if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
        context.issues.push({ code: 'custom', message: 'must be an http(s) URL', input: value });
      return value;
    }),
  ),
);
const wholeNumber = (min: number, max: number) =>
  z.pipe(
    z.coerce.number('must be a number'),
    z
      .int('must be a whole number')
      .check(z.gte(min, `must be at least ${min}`), z.lte(max, `must be at most ${max}`)),
  );

const positiveInt = (fallback: number) => z._default(wholeNumber(1, Number.MAX_SAFE_INTEGER), fallback);

/** The Slack bot token and where Web API calls go: every process needs these. */
const slackClientSettings = {
  SLACK_BOT_TOKEN: trimmed().check(z.startsWith('xoxb-', 'must be a bot token starting with xoxb-')),
  SLACK_API_URL: z._default(
    z.pipe(
      z.url('must be a URL'),
      z.transform((url: string) => (url.endsWith('/') ? url : `${url}/`)),
    ),
    'https://slack.com/api/',
  ),
  /** The bot's user id (`U…`); spares a Slack round trip where it would otherwise be looked up. */
  SLACK_BOT_USER_ID: optionalString,
};

/** What receives Slack requests needs besides the client settings. */
const slackReceiverSettings = {
  SLACK_SIGNING_SECRET: required(),
};

/** What writes answers needs: the model and the history it sees. */
const modelSettings = {
  ANTHROPIC_API_KEY: required(),
  ANTHROPIC_BASE_URL: optionalUrl,
  ANTHROPIC_MODEL: z._default(required(), 'claude-sonnet-5-5'),
  /** Output cap of one answer; a full design is 3-10k tokens. */
  ANTHROPIC_MAX_TOKENS: positiveInt(16_000),
  /** Time allowed to receive the response headers of one attempt. */
  ANTHROPIC_TIMEOUT_MS: positiveInt(60_000),
  /** Longest silence tolerated inside a stream before the answer is abandoned. */
  ANTHROPIC_STREAM_IDLE_TIMEOUT_MS: positiveInt(45_000),
  /** SDK retries on 408/409/429/5xx/529 and connection errors, before the stream starts. */
  ANTHROPIC_MAX_RETRIES: z._default(wholeNumber(0, 5), 2),
  /**
   * Lifetime of cached prompt prefixes. 1h (writes at 2x, reads at 0.1x the input price) fits
   * design threads, whose follow-ups usually come after reading a long answer, past 5 minutes.
   */
  ANTHROPIC_CACHE_TTL: z._default(z.enum(['5m', '1h'], 'must be 5m or 1h'), '1h'),
  /**
   * Prices per model or model family in USD per million tokens, over the built-in list prices:
   * `{"claude-sonnet-5-5": {"input": 3, "output": 15}}`. Cache prices follow from the input price.
   */
  MODEL_PRICES_JSON: z.optional(
    z.pipe(
      trimmed(),
      z.transform((value: string, context) => {
        if (value === '') return undefined;
        try {
          const parsed = JSON.parse(value) as Record<string, { input?: unknown; output?: unknown }>;
          const valid = Object.values(parsed).every(
            (price) => typeof price?.input === 'number' && typeof price?.output === 'number',
          );
          if (valid) return parsed as Record<string, { input: number; output: number }>;
        } catch {}
        context.issues.push({
          code: 'custom',
          message: 'must be JSON like {"claude-sonnet-5-5": {"input": 3, "output": 15}}',
          input: value,
        });
        return undefined;
      }),
    ),
  ),
  /**
   * Input tokens of thread history sent with each request. With the conversation cached, a larger
   * window is cheaper than trimming often (each trim re-writes the cache; see docs/benchmarks.md):
   * 120k keeps about ten full designs and leaves room for the answer in a 200k context.
   */
  HISTORY_TOKEN_BUDGET: positiveInt(120_000),
  /**
   * How the answer shows while the model writes it: `stream` (Slack's text streaming, falling back to
   * `update` where refused), `update` (the placeholder edited about once a second), or `off` (the
   * whole answer at the end).
   */
  LIVE_ANSWER: z._default(z.enum(['stream', 'update', 'off'], 'must be stream, update or off'), 'stream'),
};

/** How answers are drawn in Slack. */
const renderSettings = {
  /**
   * A Kroki (https://kroki.io, http://kroki:8000) or mermaid.ink server that draws mermaid diagrams as PNG
   * images in the answer. Unset (the default): no diagram leaves Slack; each gets a link to the online editor.
   */
  DIAGRAM_RENDER_URL: optionalHttpUrl,
};

/** Where thread history lives. */
const storeSettings = {
  TABLE_NAME: z._default(
    trimmed().check(z.minLength(3, 'must be at least 3 characters')),
    'architect-threads',
  ),
  DYNAMODB_ENDPOINT: optionalUrl,
  AWS_ENDPOINT_URL_DYNAMODB: optionalUrl,
  AWS_REGION: z._default(required(), 'us-east-1'),
  HISTORY_TTL_DAYS: positiveInt(30),
  LOG_LEVEL: z._default(
    z.enum(['debug', 'info', 'warn', 'error'], 'must be debug, info, warn or error'),
    'info',
  ),
};

/** The queue between the Lambda events function and the worker. */
const queueSettings = {
  QUEUE_URL: z.url('must be a URL'),
};

/** Who may use the bot and how much: safe defaults, all optional. */
const accessSettings = {
  /** Workspaces (team ids, comma-separated) the bot answers; empty: any. */
  ALLOWED_TEAM_IDS: z._default(
    z.pipe(
      z.string(),
      z.transform((value: string) =>
        value
          .split(',')
          .map((id) => id.trim())
          .filter((id) => id !== ''),
      ),
    ),
    [],
  ),
  /** Requests one user may make in an hour; more get a friendly "try again at" message. */
  RATE_LIMIT_PER_USER_PER_HOUR: positiveInt(30),
  /** Input plus output tokens one workspace may use per UTC day; 0: unlimited. */
  WORKSPACE_DAILY_TOKEN_BUDGET: z._default(wholeNumber(0, Number.MAX_SAFE_INTEGER), 0),
  /** Longest message (characters) sent to the model; longer ones are cut, with a visible notice. */
  MAX_REQUEST_CHARS: z._default(wholeNumber(200, 100_000), 20_000),
};

const configSchema = z.object({
  ...slackClientSettings,
  ...slackReceiverSettings,
  ...modelSettings,
  ...renderSettings,
  ...accessSettings,
  ...storeSettings,
  SLACK_APP_TOKEN: z.optional(
    z.pipe(
      trimmed(),
      z.transform((value: string, context) => {
        if (value === '') return undefined;
        if (!value.startsWith('xapp-')) {
          context.issues.push({
            code: 'custom',
            message: 'must be an app-level token starting with xapp-',
            input: value,
          });
        }
        return value;
      }),
    ),
  ),
  DATA_DIR: z._default(required(), '.data'),
  PORT: z._default(wholeNumber(0, 65_535), 3000),
  /** Answers written at the same time by one process; more wait in line. */
  MAX_CONCURRENT_ANSWERS: positiveInt(8),
});

const eventsConfigSchema = z.object({
  ...slackClientSettings,
  ...slackReceiverSettings,
  ...accessSettings,
  ...storeSettings,
  ...queueSettings,
  /**
   * The queue of Home tabs to publish, apart from the answers so that a tab never waits behind them
   * (serverless.yml sets it); unset: the answer queue.
   */
  HOME_TAB_QUEUE_URL: optionalUrl,
});

const workerConfigSchema = z.object({
  ...slackClientSettings,
  ...modelSettings,
  ...renderSettings,
  ...accessSettings,
  ...storeSettings,
  ...queueSettings,
  /** Deliveries of one job before it goes to the dead-letter queue: the queue's maxReceiveCount. */
  WORKER_MAX_RECEIVES: positiveInt(3),
});

export type Config = Readonly<z.infer<typeof configSchema>>;
/** Every setting `pnpm start` reads (what `.env.example` documents). */
export const LOCAL_SETTING_NAMES: readonly string[] = Object.keys(configSchema.shape);
/** Settings of the Lambda function that receives Slack requests. */
export type EventsConfig = Readonly<z.infer<typeof eventsConfigSchema>>;
/** Settings of the Lambda function that writes answers. */
export type WorkerConfig = Readonly<z.infer<typeof workerConfigSchema>>;

/** The configuration could not be read; the message names every bad variable. */
export class ConfigError extends ArchitectError {}

/** Reads and validates the environment once. Throws `ConfigError` naming each missing or bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseEnv(configSchema, env);
}

/** The Lambda events function's settings; see `loadConfig`. */
export function loadEventsConfig(env: NodeJS.ProcessEnv = process.env): EventsConfig {
  return parseEnv(eventsConfigSchema, env);
}

/** The Lambda worker's settings; see `loadConfig`. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return parseEnv(workerConfigSchema, env);
}

function parseEnv<T extends object>(schema: z.ZodMiniType<T>, env: NodeJS.ProcessEnv): Readonly<T> {
  const result = schema.safeParse(env);
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
export function configuredDynamoDBEndpoint(config: {
  readonly DYNAMODB_ENDPOINT?: string | undefined;
  readonly AWS_ENDPOINT_URL_DYNAMODB?: string | undefined;
}): string | undefined {
  return config.DYNAMODB_ENDPOINT ?? config.AWS_ENDPOINT_URL_DYNAMODB;
}

/** The per-user and per-workspace limits from the settings. */
export function usageLimits(
  config: Pick<Config, 'RATE_LIMIT_PER_USER_PER_HOUR' | 'WORKSPACE_DAILY_TOKEN_BUDGET'>,
): UsageLimits {
  return {
    requestsPerUserPerHour: config.RATE_LIMIT_PER_USER_PER_HOUR,
    workspaceDailyTokens: config.WORKSPACE_DAILY_TOKEN_BUDGET,
  };
}
