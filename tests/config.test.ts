import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  configuredDynamoDBEndpoint,
  loadConfig,
  loadEventsConfig,
  loadWorkerConfig,
} from '../src/config.js';

const required = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
  SLACK_SIGNING_SECRET: 'secret',
  ANTHROPIC_API_KEY: 'sk-ant-test',
};

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('applies working defaults for every optional setting', () => {
    const config = loadConfig(required);
    expect(config).toMatchObject({
      SLACK_API_URL: 'https://slack.com/api/',
      ANTHROPIC_MODEL: 'claude-sonnet-5-5',
      TABLE_NAME: 'architect-threads',
      DATA_DIR: '.data',
      PORT: 3000,
      HISTORY_TTL_DAYS: 30,
    });
    expect(config.SLACK_APP_TOKEN).toBeUndefined();
    expect(config.DYNAMODB_ENDPOINT).toBeUndefined();
  });

  it('names every missing required variable and where to get it', () => {
    const error = configError({});
    expect(error.message).toContain('SLACK_BOT_TOKEN is missing');
    expect(error.message).toContain('SLACK_SIGNING_SECRET is missing');
    expect(error.message).toContain('ANTHROPIC_API_KEY is missing');
    expect(error.message).toContain('Signing Secret');
    expect(error.message).toContain('Anthropic Console');
  });

  it('rejects a malformed value with the reason', () => {
    const error = configError({ ...required, SLACK_BOT_TOKEN: 'xapp-wrong', PORT: 'eighty' });
    expect(error.message).toContain('SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
    expect(error.message).toMatch(/PORT .*number/i);
    expect(error.message).not.toContain('SLACK_SIGNING_SECRET');
  });

  it('never puts a secret value in its error message', () => {
    const error = configError({ ...required, SLACK_APP_TOKEN: 'xoxb-looks-like-a-bot-token' });
    expect(error.message).toContain('SLACK_APP_TOKEN');
    expect(error.message).not.toContain('looks-like-a-bot-token');
    expect(error.message).not.toContain('sk-ant-test');
  });

  it('treats empty optional variables as unset', () => {
    const config = loadConfig({
      ...required,
      SLACK_APP_TOKEN: '',
      DYNAMODB_ENDPOINT: '',
      ANTHROPIC_BASE_URL: '',
    });
    expect(config.SLACK_APP_TOKEN).toBeUndefined();
    expect(configuredDynamoDBEndpoint(config)).toBeUndefined();
  });

  it('leaves diagram rendering off unless DIAGRAM_RENDER_URL names an http(s) server', () => {
    expect(loadConfig(required).DIAGRAM_RENDER_URL).toBeUndefined();
    expect(loadConfig({ ...required, DIAGRAM_RENDER_URL: '' }).DIAGRAM_RENDER_URL).toBeUndefined();
    expect(loadConfig({ ...required, DIAGRAM_RENDER_URL: ' http://kroki:8000 ' }).DIAGRAM_RENDER_URL).toBe(
      'http://kroki:8000',
    );
    expect(configError({ ...required, DIAGRAM_RENDER_URL: 'ftp://kroki.io' }).message).toContain(
      'DIAGRAM_RENDER_URL must be an http(s) URL',
    );
  });

  it('adds the trailing slash the Web API client needs to SLACK_API_URL', () => {
    expect(loadConfig({ ...required, SLACK_API_URL: 'http://127.0.0.1:4000/api' }).SLACK_API_URL).toBe(
      'http://127.0.0.1:4000/api/',
    );
  });

  it('prefers DYNAMODB_ENDPOINT over AWS_ENDPOINT_URL_DYNAMODB', () => {
    const both = loadConfig({
      ...required,
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:1111',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:2222',
    });
    expect(configuredDynamoDBEndpoint(both)).toBe('http://127.0.0.1:1111');
    const awsOnly = loadConfig({ ...required, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:2222' });
    expect(configuredDynamoDBEndpoint(awsOnly)).toBe('http://127.0.0.1:2222');
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(loadConfig(required))).toBe(true);
  });
});

describe('Lambda function settings', () => {
  const queue = { QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/architect-prod-answers.fifo' };

  it('lets the events function start without the model key', () => {
    const { ANTHROPIC_API_KEY: _unused, ...slackOnly } = required;
    const config = loadEventsConfig({ ...slackOnly, ...queue });
    expect(config.QUEUE_URL).toBe(queue.QUEUE_URL);
    expect('ANTHROPIC_API_KEY' in config).toBe(false);
  });

  it('lets the worker start without the signing secret', () => {
    const { SLACK_SIGNING_SECRET: _unused, ...workerOnly } = required;
    const config = loadWorkerConfig({ ...workerOnly, ...queue });
    expect(config.WORKER_MAX_RECEIVES).toBe(3);
    expect(config.ANTHROPIC_MODEL).toBe('claude-sonnet-5-5');
    expect(
      loadWorkerConfig({ ...workerOnly, ...queue, DIAGRAM_RENDER_URL: 'https://kroki.io' })
        .DIAGRAM_RENDER_URL,
    ).toBe('https://kroki.io');
  });

  it('requires the queue URL of both functions', () => {
    expect(() => loadEventsConfig(required)).toThrow(/QUEUE_URL is missing/);
    expect(() => loadWorkerConfig(required)).toThrow(/QUEUE_URL is missing/);
  });
});
