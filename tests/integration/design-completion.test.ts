import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conversationOf } from '../support/model-requests.js';
import {
  CHANNEL_ID,
  mentionEvent,
  messageEvent,
  nextTs,
  TEAM_ID,
} from '../support/slack-payload-builders.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

// A full design request answered without its scalability section: the bot asks once more for just
// that section and posts and stores the two parts as one answer.

const FIRST_PART = readFileSync(
  new URL('../fixtures/design-answers/missing-scalability.md', import.meta.url),
  'utf8',
).trim();
const SECOND_PART =
  '## Scalability Analysis\n\n- SUPPLEMENT-MARKER: PostgreSQL writes are the bottleneck; the Cart Service scales out horizontally.';
const FOLLOW_UP_ANSWER =
  '## Service Architecture\n\nAdd a read replica per region.\n\n## Database Schema\n\n```sql\nCREATE TABLE regions (id TEXT PRIMARY KEY);\n```';
const NO_CACHE = { cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.close();
});

/** Everything the bot shows in a thread, as one string. */
function threadText(threadTs: string): string {
  return t.slack
    .threadMessages(CHANNEL_ID, threadTs)
    .map((message) => JSON.stringify(message.blocks ?? message.text))
    .join('\n');
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

function modelCalls() {
  return t.anthropic.requests.filter((request) => request.path === '/v1/messages');
}

function logLines(): Array<Record<string, unknown>> {
  return t.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('a full design that left a section out', () => {
  it('is completed by one more call, posted and stored as one answer, and costed with both calls', async () => {
    t.anthropic.enqueue(
      { text: FIRST_PART, usage: { input_tokens: 2_000, output_tokens: 1_000, ...NO_CACHE } },
      { text: SECOND_PART, usage: { input_tokens: 3_000, output_tokens: 200, ...NO_CACHE } },
      // Two of the five sections, as a follow-up often has: not completed, since it is not the first request.
      { text: FOLLOW_UP_ANSWER, usage: { input_tokens: 4_000, output_tokens: 100, ...NO_CACHE } },
    );
    const rootTs = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT> design a shopping cart service for our shop', { ts: rootTs }));
    await t.slack.waitFor((call) => call.method === 'chat.update');
    await t.settle();

    const calls = modelCalls();
    expect(calls).toHaveLength(2);
    const instruction = conversationOf(calls[1]?.body).at(-1)?.content ?? '';
    expect(instruction).toContain('`## Scalability Analysis`');
    expect(instruction).not.toContain('`## API Endpoints`');
    const shown = threadText(rootTs);
    expect(occurrences(shown, 'SUPPLEMENT-MARKER')).toBe(1);
    expect(occurrences(shown, 'Technology Recommendations')).toBe(1);
    expect(shown.indexOf('Technology Recommendations')).toBeLessThan(shown.indexOf('SUPPLEMENT-MARKER'));

    // Sonnet list price, $3 in and $15 out per million tokens: both calls are in the thread's cost.
    const thread = { teamId: TEAM_ID, channelId: CHANNEL_ID, threadTs: rootTs };
    expect(await t.bot.store.threadUsage(thread)).toMatchObject({
      answers: 1,
      inputTokens: 5_000,
      outputTokens: 1_200,
      costMicroUsd: 21_000 + 12_000,
    });
    const lines = logLines();
    expect(lines.find((line) => line.message === 'answer completed with missing sections')).toMatchObject({
      level: 'info',
      post: rootTs,
      sections: ['Scalability Analysis'],
      inputTokens: 3_000,
      outputTokens: 200,
      estimatedCostUsd: 0.012,
    });
    expect(lines.find((line) => line.message === 'answer posted')).toMatchObject({
      inputTokens: 5_000,
      outputTokens: 1_200,
      estimatedCostUsd: 0.033,
    });
    expect(t.logs.join('\n')).not.toContain('SUPPLEMENT-MARKER');

    // A follow-up sees the combined answer as the one earlier answer, and is not completed itself.
    await t.sendEvent(messageEvent('now design a multi-region version of the service', { threadTs: rootTs }));
    await t.slack.waitFor(
      (call) => call.method === 'chat.update' && JSON.stringify(call.args).includes('read replica'),
    );
    await t.settle();
    expect(modelCalls()).toHaveLength(3);
    const history = conversationOf(modelCalls()[2]?.body);
    expect(history.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(history[1]?.content).toBe(`${FIRST_PART}\n\n${SECOND_PART}`);
  });

  it('is posted as it was when the extra call fails', async () => {
    t.anthropic.enqueue({ text: FIRST_PART }, { httpError: 400, message: 'invalid request' });
    const rootTs = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT> design a shopping cart service for our shop', { ts: rootTs }));
    await t.slack.waitFor((call) => call.method === 'chat.update');
    await t.settle();

    expect(modelCalls()).toHaveLength(2);
    const shown = threadText(rootTs);
    expect(shown).toContain('Technology Recommendations');
    expect(shown).not.toContain('Retry');
    const lines = logLines();
    expect(lines.find((line) => line.message === 'missing sections not added')).toMatchObject({
      level: 'warn',
      post: rootTs,
      sections: ['Scalability Analysis'],
    });
    expect(lines.some((line) => line.level === 'error')).toBe(false);
    expect(lines.some((line) => line.message === 'answer posted')).toBe(true);
  });

  it('is not completed when the model answered with a clarifying question', async () => {
    t.anthropic.enqueue({
      text: readFileSync(
        new URL('../fixtures/design-answers/clarifying-question.md', import.meta.url),
        'utf8',
      ),
    });
    const rootTs = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT> how should we architect our system?', { ts: rootTs }));
    await t.slack.waitFor((call) => call.method === 'chat.update');
    await t.settle();

    expect(modelCalls()).toHaveLength(1);
  });
});
