import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LambdaDriver, type LambdaWorld, startLambdaDriver } from '../support/lambda-harness.js';
import {
  appHomeOpenedEvent,
  CHANNEL_ID,
  feedbackButtonsOf,
  feedbackClickPayload,
  mentionEvent,
  messageEvent,
  USER_ID,
  viewSubmissionPayload,
} from '../support/slack-payload-builders.js';

let world: LambdaWorld;
let lambda: LambdaDriver;
beforeAll(async () => {
  ({ world, lambda } = await startLambdaDriver({ LOG_LEVEL: 'info' }));
});
afterAll(async () => {
  await world.close();
});

describe('Lambda logs (Powertools, info level)', () => {
  it("carry the request's ids and never the text users sent, the answer or a secret", async () => {
    world.anthropic.enqueue(
      { text: 'ANSWER-SECRET-CONTENT' },
      { httpError: 529 },
      { httpError: 529 },
      { httpError: 529 },
    );
    const lines: string[] = [];
    // Powertools writes info to stdout, warnings and errors to stderr.
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    const spies = [
      vi.spyOn(process.stdout, 'write').mockImplementation(capture),
      vi.spyOn(process.stderr, 'write').mockImplementation(capture),
    ];
    const root = mentionEvent('<@UBOT> design the ACME-SECRET-PROJECT payroll');
    try {
      await lambda.sendEvent(root);
      await lambda.runWorker();
      await lambda.sendEvent(messageEvent('FOLLOW-UP-SECRET question', { threadTs: root.ts }));
      for (let attempt = 0; attempt < 3; attempt += 1) {
        await lambda.runWorker();
        world.sqs.makeVisibleNow(world.queueUrl);
      }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }

    const everything = lines.join('');
    for (const secret of [
      'ACME-SECRET-PROJECT',
      'ANSWER-SECRET-CONTENT',
      'FOLLOW-UP-SECRET',
      'xoxb-',
      'sk-ant-',
    ]) {
      expect(everything).not.toContain(secret);
    }
    const logs = lines
      .filter((line) => line.startsWith('{"level"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logs.find((line) => line.message === 'request handed off')).toMatchObject({
      level: 'INFO',
      thread: root.ts,
    });
    expect(logs.find((line) => line.message === 'answer posted')).toMatchObject({
      level: 'INFO',
      thread: root.ts,
    });
    expect(logs.find((line) => line.message === 'answer failed')).toMatchObject({
      level: 'ERROR',
      reason: 'overloaded',
    });
  });

  it('never carry a feedback comment or a thread title, through a click, the form and the Home tab', async () => {
    world.anthropic.enqueue({ text: 'An answer.' });
    const root = mentionEvent('<@UBOT> design the TITLE-SECRET service');
    await lambda.sendEvent(root);
    await lambda.runWorker();
    const last = world.slack.threadMessages(CHANNEL_ID, root.ts).at(-1);
    const lines: string[] = [];
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    const spies = [
      vi.spyOn(process.stdout, 'write').mockImplementation(capture),
      vi.spyOn(process.stderr, 'write').mockImplementation(capture),
    ];
    try {
      await lambda.sendInteraction(
        feedbackClickPayload(feedbackButtonsOf(last?.blocks), 'negative', {
          messageTs: last?.ts ?? '',
          triggerId: world.slack.newTriggerId(),
          clickTs: '1700007000.000001',
        }),
      );
      await lambda.sendInteraction(
        viewSubmissionPayload(world.slack.openedViews.at(-1)?.view ?? {}, {
          comment: { comment: { type: 'plain_text_input', value: 'COMMENT-SECRET words' } },
        }),
      );
      await lambda.sendEvent(appHomeOpenedEvent());
      await lambda.runWorker(600_000, world.homeTabQueueUrl);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }

    // Both texts were on the way: the title reached the Home tab.
    expect(JSON.stringify(world.slack.homeViewOf(USER_ID))).toContain('TITLE-SECRET');
    const everything = lines.join('');
    expect(everything).toContain('feedback details recorded');
    expect(everything).toContain('home tab published');
    expect(everything).not.toContain('COMMENT-SECRET');
    expect(everything).not.toContain('TITLE-SECRET');
  });
});
