import { describe, expect, it } from 'vitest';
import { withSecretsFromParameterStore } from '../../../src/adapters/ssm/secrets-from-parameter-store.js';

/** A parameter reader over a fixed map that records what it was asked for. */
function reader(values: Record<string, string>) {
  const asked: string[] = [];
  return {
    asked,
    read: async (name: string) => {
      asked.push(name);
      return values[name];
    },
  };
}

describe('withSecretsFromParameterStore', () => {
  it('reads a secret from the parameter its _PARAMETER variable names', async () => {
    const { read, asked } = reader({ '/architect/prod/bot': 'xoxb-from-ssm' });
    const env = await withSecretsFromParameterStore(
      { SLACK_BOT_TOKEN_PARAMETER: '/architect/prod/bot' },
      ['SLACK_BOT_TOKEN'],
      read,
    );
    expect(env.SLACK_BOT_TOKEN).toBe('xoxb-from-ssm');
    expect(asked).toEqual(['/architect/prod/bot']);
  });

  it('lets a plain variable win without reading the parameter', async () => {
    const { read, asked } = reader({ '/architect/prod/bot': 'xoxb-from-ssm' });
    const env = await withSecretsFromParameterStore(
      { SLACK_BOT_TOKEN: 'xoxb-plain', SLACK_BOT_TOKEN_PARAMETER: '/architect/prod/bot' },
      ['SLACK_BOT_TOKEN'],
      read,
    );
    expect(env.SLACK_BOT_TOKEN).toBe('xoxb-plain');
    expect(asked).toEqual([]);
  });

  it('leaves a secret with neither variable missing, for the config check to name', async () => {
    const { read } = reader({});
    const env = await withSecretsFromParameterStore({}, ['ANTHROPIC_API_KEY'], read);
    expect(env.ANTHROPIC_API_KEY).toBeUndefined();
  });

  it('reads only the secrets it is asked for', async () => {
    const { read, asked } = reader({ '/a': 'a', '/b': 'b' });
    await withSecretsFromParameterStore(
      { SLACK_BOT_TOKEN_PARAMETER: '/a', ANTHROPIC_API_KEY_PARAMETER: '/b' },
      ['SLACK_BOT_TOKEN'],
      read,
    );
    expect(asked).toEqual(['/a']);
  });
});
