import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RETRY_ACTION_ID } from '../../src/slack/retry-button.js';
import { lastUserText } from '../fakes/anthropic-messages.js';
import { buttonClickBody, CHANNEL_ID, mentionEvent, nextTs } from '../support/slack-payload-builders.js';
import { postSigned } from '../support/slack-signing.js';
import { SIGNING_SECRET, startTestBot, type TestBot } from '../support/test-bot.js';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot({ ANTHROPIC_MAX_RETRIES: '0' });
});
afterEach(async () => {
  await t.close();
});

let lastRetryButton: Record<string, unknown> | undefined;

/** Clicks the Retry button of the bot message `noticeTs` the way Slack posts a block action. */
async function clickRetry(noticeTs: string, clickTs: string): Promise<Response> {
  const notice =
    t.slack.threadMessages(CHANNEL_ID, noticeTs).find((message) => message.ts === noticeTs) ??
    [...t.slack.messages.values()].find((message) => message.ts === noticeTs);
  const blocks = (notice?.blocks ?? []) as Array<{ type: string; elements?: Array<Record<string, unknown>> }>;
  // A second click comes from a client still showing the Retry button, after the answer replaced it.
  const button =
    blocks
      .flatMap((block) => (block.type === 'actions' ? (block.elements ?? []) : []))
      .find((element) => element.action_id === RETRY_ACTION_ID) ?? lastRetryButton;
  lastRetryButton = button;
  const shown = { ts: noticeTs, text: notice?.text, blocks: [{ type: 'actions', elements: [button] }] };
  return postSigned(
    t.url,
    buttonClickBody(shown, RETRY_ACTION_ID, clickTs),
    'application/x-www-form-urlencoded',
    { signingSecret: SIGNING_SECRET },
  );
}

describe('the Retry button on a failure message', () => {
  it('answers the stored request again, over the failure message, once per click', async () => {
    t.anthropic.enqueue({ httpError: 529 }, { text: 'The answer, at last.' });
    const rootTs = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT> design a billing service', { ts: rootTs }));
    await t.slack.waitFor(
      (call) => call.method === 'chat.update' && String(call.args.text).includes('overloaded'),
    );
    await t.settle();
    const [notice] = t.slack.threadMessages(CHANNEL_ID, rootTs);
    expect(JSON.stringify(notice?.blocks)).toContain('architect_retry');

    const response = await clickRetry(notice?.ts ?? '', '1700002000.000001');
    expect(response.status).toBe(200);
    await t.slack.waitFor(
      (call) => call.method === 'chat.update' && JSON.stringify(call.args).includes('at last'),
    );
    await t.settle();

    const replies = t.slack.threadMessages(CHANNEL_ID, rootTs);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0])).toContain('The answer, at last.');
    expect(lastUserText(t.anthropic.requests[1]?.body ?? {})).toBe('design a billing service');

    // A second click (a double click, or a click after the answer came) posts nothing new.
    await clickRetry(notice?.ts ?? '', '1700002000.000002');
    await t.sendEvent(mentionEvent('<@UBOT> control request', { ts: nextTs() }));
    await t.slack.waitFor(
      (call) => call.method === 'chat.update' && JSON.stringify(call.args).includes('control request'),
    );
    await t.settle();
    expect(t.anthropic.requests).toHaveLength(3);
    expect(t.slack.threadMessages(CHANNEL_ID, rootTs)).toHaveLength(1);
  });

  it('is not offered when the model refused the request outright', async () => {
    t.anthropic.enqueue({ httpError: 401 });
    const rootTs = nextTs();
    await t.sendEvent(mentionEvent('<@UBOT> design a billing service', { ts: rootTs }));
    await t.slack.waitFor(
      (call) => call.method === 'chat.update' && String(call.args.text).includes('attention'),
    );
    await t.settle();
    expect(JSON.stringify(t.slack.threadMessages(CHANNEL_ID, rootTs))).not.toContain('architect_retry');
  });
});
