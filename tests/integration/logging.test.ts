import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mentionEvent, messageEvent, nextTs } from '../support/slack-payload-builders.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.close();
});

describe('logs', () => {
  it('never contain the text users sent or the answer at info level, but carry the ids', async () => {
    const secretRequest = 'design the payroll service for ACME-SECRET-PROJECT';
    t.anthropic.enqueue({ text: 'ANSWER-SECRET-CONTENT' }, { httpError: 401 });
    const rootTs = nextTs();
    await t.sendEvent(mentionEvent(`<@UBOT> ${secretRequest}`, { ts: rootTs }));
    await t.slack.waitFor((call) => call.method === 'chat.update');
    await t.settle();
    await t.sendEvent(messageEvent('FOLLOW-UP-SECRET question', { threadTs: rootTs }));
    await t.slack.waitFor(
      (call) => call.method === 'chat.update' && JSON.stringify(call.args).includes('attention'),
    );
    await t.settle();

    const lines = t.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.every((line) => line.level !== 'debug')).toBe(true);
    const everything = t.logs.join('\n');
    for (const secret of [
      'ACME-SECRET-PROJECT',
      'ANSWER-SECRET-CONTENT',
      'FOLLOW-UP-SECRET',
      'sk-ant-test',
      'xoxb-test-token',
    ]) {
      expect(everything).not.toContain(secret);
    }
    const posted = lines.find((line) => line.message === 'answer posted');
    expect(posted).toMatchObject({ level: 'info', channel: 'C0CHANNEL', thread: rootTs, post: rootTs });
    const failed = lines.find((line) => line.message === 'answer failed');
    expect(failed).toMatchObject({ level: 'error', stage: 'compose', thread: rootTs });
  });
});
