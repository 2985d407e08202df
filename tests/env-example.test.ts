import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
const documented = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));

describe('.env.example', () => {
  it('documents every setting the config reads', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      ANTHROPIC_API_KEY: 'k',
    });
    const read = Object.keys(config).filter((name) => name !== 'AWS_ENDPOINT_URL_DYNAMODB');
    const missing = [...read, 'SLACK_APP_TOKEN', 'DYNAMODB_ENDPOINT', 'ANTHROPIC_BASE_URL'].filter(
      (name) => !documented.has(name),
    );
    expect(missing).toEqual([]);
  });

  it('documents nothing the config does not read', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      ANTHROPIC_API_KEY: 'k',
    });
    const known = new Set([
      ...Object.keys(config),
      'SLACK_APP_TOKEN',
      'DYNAMODB_ENDPOINT',
      'ANTHROPIC_BASE_URL',
    ]);
    expect([...documented].filter((name) => !known.has(name ?? ''))).toEqual([]);
  });
});
