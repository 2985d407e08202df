import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type DynaliteFixture,
  freshTableName,
  startDynaliteFixture,
} from '../adapters/dynamodb/dynalite-fixture.js';
import {
  appHomeOpenedEvent,
  CHANNEL_ID,
  feedbackButtonsOf,
  feedbackClickPayload,
  interactionBody,
  mentionEvent,
  nextTs,
  USER_ID,
  viewSubmissionPayload,
} from '../support/slack-payload-builders.js';
import { postSigned } from '../support/slack-signing.js';
import { SIGNING_SECRET, startTestBot, type TestBot } from '../support/test-bot.js';

let dynamo: DynaliteFixture;
let t: TestBot;
let tableName: string;
beforeAll(async () => {
  dynamo = await startDynaliteFixture();
});
afterAll(async () => {
  await dynamo.stop();
});
beforeEach(async () => {
  tableName = freshTableName();
  t = await startTestBot({ DYNAMODB_ENDPOINT: dynamo.dynalite.endpoint, TABLE_NAME: tableName });
});
afterEach(async () => {
  await t.close();
});

/** Asks for a design in a new thread and waits for the answer; resolves the thread and the answer's last message. */
async function answeredThread(request = 'design a shopping cart service') {
  t.anthropic.enqueue({ text: '## API Endpoints\n\n`POST /v1/carts`' });
  const rootTs = nextTs();
  await t.sendEvent(mentionEvent(`<@UBOT> ${request}`, { ts: rootTs }));
  await t.slack.waitFor(
    (call) => call.method === 'chat.update' && JSON.stringify(call.args).includes('/v1/carts'),
  );
  await t.settle();
  const last = t.slack.threadMessages(CHANNEL_ID, rootTs).at(-1);
  if (!last) throw new Error('no answer posted');
  return { rootTs, last };
}

/** Every feedback item in this test's table (a fresh one per test). */
async function feedbackItemsInTable() {
  const { Items } = await dynamo.documentClient.send(
    new ScanCommand({
      TableName: tableName,
      FilterExpression: 'begins_with(sk, :feedback)',
      ExpressionAttributeValues: { ':feedback': 'FEEDBACK#' },
    }),
  );
  return Items ?? [];
}

function postInteraction(payload: unknown): Promise<Response> {
  return postSigned(t.url, interactionBody(payload), 'application/x-www-form-urlencoded', {
    signingSecret: SIGNING_SECRET,
  });
}

async function feedbackItem(rootTs: string, user = USER_ID) {
  const { Item } = await dynamo.documentClient.send(
    new GetCommand({
      TableName: tableName,
      Key: { pk: `THREAD#${CHANNEL_ID}#${rootTs}`, sk: `FEEDBACK#${rootTs}#${user}` },
    }),
  );
  return Item;
}

describe('the foot of an answer', () => {
  it('names the model and the time taken, hints at follow-ups and offers feedback buttons', async () => {
    const { last } = await answeredThread();

    const blocks = last.blocks as Array<{ type: string; elements?: Array<{ text?: string }> }>;
    const context = blocks.at(-3);
    expect(context?.type).toBe('context');
    expect(blocks.at(-2)?.type).toBe('actions');
    expect(context?.elements?.[0]?.text).toMatch(
      /^Claude Sonnet 5\.5 · in \d+ s · Reply in this thread to refine the design$/,
    );
    expect(blocks.at(-1)?.type).toBe('context_actions');
    expect(feedbackButtonsOf(last.blocks).action_id).toBe('architect_feedback');
  });
});

describe('feedback on an answer', () => {
  it('stores a thumbs-up against the thread and answer and thanks the user privately', async () => {
    const { rootTs, last } = await answeredThread();

    const response = await postInteraction(
      feedbackClickPayload(feedbackButtonsOf(last.blocks), 'positive', {
        messageTs: last.ts,
        triggerId: t.slack.newTriggerId(),
        clickTs: '1700005000.000001',
      }),
    );

    expect(response.status).toBe(200);
    const thanks = await t.slack.waitFor((call) => call.method === 'chat.postEphemeral');
    expect(thanks.args).toMatchObject({ channel: CHANNEL_ID, user: USER_ID, thread_ts: rootTs });
    expect(String(thanks.args.text)).toContain('Thanks');
    await expect
      .poll(() => feedbackItem(rootTs))
      .toMatchObject({ rating: 'positive', clickTs: '1700005000.000001' });
    expect(await feedbackItemsInTable()).toHaveLength(1);
    expect(t.slack.openedViews).toHaveLength(0);
    expect(t.logs.some((line) => line.includes('"feedback recorded"') && line.includes('"positive"'))).toBe(
      true,
    );
  });

  it('opens a form on thumbs-down and stores what was wrong against the same answer', async () => {
    const { rootTs, last } = await answeredThread();
    const triggerId = t.slack.newTriggerId();

    await postInteraction(
      feedbackClickPayload(feedbackButtonsOf(last.blocks), 'negative', {
        messageTs: last.ts,
        triggerId,
        clickTs: '1700005000.000002',
      }),
    );
    await expect.poll(() => t.slack.openedViews.length).toBe(1);
    const [opened] = t.slack.openedViews;
    expect(opened?.triggerId).toBe(triggerId);
    await expect.poll(() => feedbackItem(rootTs)).toMatchObject({ rating: 'negative' });

    const comment = 'The schema has no inventory table.';
    const response = await postInteraction(
      viewSubmissionPayload(opened?.view ?? {}, {
        reasons: { reasons: { type: 'checkboxes', selected_options: [{ value: 'missing_section' }] } },
        comment: { comment: { type: 'plain_text_input', value: comment } },
      }),
    );

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    await expect
      .poll(() => feedbackItem(rootTs))
      .toMatchObject({
        rating: 'negative',
        reasons: ['missing_section'],
        comment,
        clickTs: '1700005000.000002',
      });
    expect(t.slack.callsTo('chat.postEphemeral')).toHaveLength(0);
    // The comment is user text: never in a log line at info.
    expect(t.logs.filter((line) => line.includes(comment))).toEqual([]);
  });

  it('keeps the later click when an older form is sent after it', async () => {
    const { rootTs, last } = await answeredThread();
    const buttons = feedbackButtonsOf(last.blocks);
    await postInteraction(
      feedbackClickPayload(buttons, 'negative', {
        messageTs: last.ts,
        triggerId: t.slack.newTriggerId(),
        clickTs: '1700005000.000003',
      }),
    );
    await expect.poll(() => t.slack.openedViews.length).toBe(1);
    await postInteraction(
      feedbackClickPayload(buttons, 'positive', {
        messageTs: last.ts,
        triggerId: t.slack.newTriggerId(),
        clickTs: '1700005000.000004',
      }),
    );
    await expect.poll(() => feedbackItem(rootTs)).toMatchObject({ rating: 'positive' });

    await postInteraction(
      viewSubmissionPayload(t.slack.openedViews[0]?.view ?? {}, {
        comment: { comment: { type: 'plain_text_input', value: 'changed my mind' } },
      }),
    );
    await expect.poll(() => t.logs.some((line) => line.includes('"feedback details recorded"'))).toBe(true);

    expect(await feedbackItem(rootTs)).toMatchObject({ rating: 'positive', clickTs: '1700005000.000004' });
    expect(await feedbackItem(rootTs)).not.toHaveProperty('comment');
  });

  it('thanks the user privately when the form cannot open because the trigger expired', async () => {
    const { rootTs, last } = await answeredThread();

    await postInteraction(
      feedbackClickPayload(feedbackButtonsOf(last.blocks), 'negative', {
        messageTs: last.ts,
        triggerId: '1.1700000000.expired',
        clickTs: '1700005000.000005',
      }),
    );

    const noted = await t.slack.waitFor((call) => call.method === 'chat.postEphemeral');
    expect(String(noted.args.text)).toContain('noted');
    expect(t.slack.callsTo('views.open')[0]?.error).toBe('invalid_trigger_id');
    await expect.poll(() => feedbackItem(rootTs)).toMatchObject({ rating: 'negative' });
  });

  it('is deleted, comments included, when the thread is forgotten', async () => {
    const { rootTs, last } = await answeredThread();
    await postInteraction(
      feedbackClickPayload(feedbackButtonsOf(last.blocks), 'positive', {
        messageTs: last.ts,
        triggerId: t.slack.newTriggerId(),
        clickTs: '1700005000.000006',
      }),
    );
    await expect.poll(() => feedbackItem(rootTs)).toBeDefined();

    await t.sendEvent(mentionEvent('<@UBOT> forget', { threadTs: rootTs }));
    await t.slack.waitFor(
      (call) => call.method === 'chat.postMessage' && String(call.args.text).includes('forgotten'),
    );
    await t.settle();

    expect(await feedbackItem(rootTs)).toBeUndefined();
  });
});

describe('malformed feedback', () => {
  it('acks a click whose value is not ours and stores and posts nothing', async () => {
    const { rootTs, last } = await answeredThread();
    const buttons = feedbackButtonsOf(last.blocks);
    const forged = { ...buttons, positive_button: { value: '{"team":"T123","channel":"C0CHANNEL"}' } };
    const callsBefore = t.slack.calls.length;

    const response = await postInteraction(
      feedbackClickPayload(forged, 'positive', {
        messageTs: last.ts,
        triggerId: t.slack.newTriggerId(),
        clickTs: '1700005000.000007',
      }),
    );

    expect(response.status).toBe(200);
    await expect
      .poll(() => t.logs.some((line) => line.includes('"feedback click without a usable target ignored"')))
      .toBe(true);
    expect(t.slack.calls.length).toBe(callsBefore);
    expect(await feedbackItem(rootTs)).toBeUndefined();
  });

  it('closes a form whose metadata is not ours and stores nothing', async () => {
    await answeredThread();

    const response = await postInteraction(
      viewSubmissionPayload(
        { type: 'modal', callback_id: 'architect_feedback_form', private_metadata: '{"team":"T123"}' },
        { comment: { comment: { type: 'plain_text_input', value: 'x' } } },
      ),
    );

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    await expect
      .poll(() => t.logs.some((line) => line.includes('"malformed feedback form ignored"')))
      .toBe(true);
    // Anywhere in the table: a form without a thread could not land on this answer's key anyway.
    expect(await feedbackItemsInTable()).toEqual([]);
  });
});

describe('the App Home tab', () => {
  it("shows a friendly line to a user who hasn't started a design", async () => {
    await t.sendEvent(appHomeOpenedEvent('U0NEWBIE'));

    await t.slack.waitFor((call) => call.method === 'views.publish');
    expect(JSON.stringify(t.slack.homeViewOf('U0NEWBIE'))).toContain("You haven't started a design yet");
  });

  it("lists the user's design threads, newest first, with a link to each and its cost", async () => {
    const first = await answeredThread('design a URL shortener\nwith analytics');
    const second = await answeredThread('design a shopping cart service');

    await t.sendEvent(appHomeOpenedEvent());
    await t.slack.waitFor((call) => call.method === 'views.publish');

    const view = JSON.stringify(t.slack.homeViewOf(USER_ID));
    const shortener = view.indexOf('|design a URL shortener>');
    const cart = view.indexOf('|design a shopping cart service>');
    expect(cart).toBeGreaterThan(-1);
    expect(shortener).toBeGreaterThan(cart);
    expect(view).not.toContain('with analytics');
    expect(view).toContain(`archives/${CHANNEL_ID}/p${second.rootTs.replace('.', '')}`);
    expect(view).toContain(`archives/${CHANNEL_ID}/p${first.rootTs.replace('.', '')}`);
    expect(view).toContain('1 answer');
    const { Items } = await dynamo.documentClient.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `USER#T123#${USER_ID}` },
      }),
    );
    expect(Items).toHaveLength(2);
  });

  it('does nothing for the Messages tab', async () => {
    await t.sendEvent(appHomeOpenedEvent(USER_ID, 'messages'));
    await t.sendEvent(appHomeOpenedEvent('U0OTHER'));
    await t.slack.waitFor((call) => call.method === 'views.publish');

    expect(t.slack.callsTo('views.publish')).toHaveLength(1);
    expect(t.slack.homeViewOf(USER_ID)).toBeUndefined();
  });

  it('logs a failed publish instead of throwing', async () => {
    t.slack.failNext('views.publish', { error: 'not_enabled' });

    await t.sendEvent(appHomeOpenedEvent());

    await expect.poll(() => t.logs.some((line) => line.includes('"home tab not published"'))).toBe(true);
  });
});

describe('a workspace not in ALLOWED_TEAM_IDS', () => {
  it('gets no Home tab and its feedback clicks are not stored', async () => {
    // An answer from when the workspace was allowed: its buttons, clicked after the operator narrowed the list.
    const { rootTs, last } = await answeredThread();
    await t.close();
    t = await startTestBot({
      DYNAMODB_ENDPOINT: dynamo.dynalite.endpoint,
      TABLE_NAME: tableName,
      ALLOWED_TEAM_IDS: 'TOTHER',
    });

    const home = await t.sendEvent(appHomeOpenedEvent());
    const click = await postInteraction(
      feedbackClickPayload(feedbackButtonsOf(last.blocks), 'positive', {
        messageTs: last.ts,
        triggerId: t.slack.newTriggerId(),
        clickTs: '1700005000.000009',
      }),
    );
    // Bolt answers before its listeners finish: wait for both to have decided.
    const logged = (message: string) => () => t.logs.some((line) => line.includes(`"${message}"`));
    await expect.poll(logged('home tab not published for this workspace')).toBe(true);
    await expect.poll(logged('feedback click from another workspace ignored')).toBe(true);

    expect([home.status, click.status]).toEqual([200, 200]);
    expect(t.slack.callsTo('views.publish')).toEqual([]);
    expect(t.slack.callsTo('chat.postEphemeral')).toEqual([]);
    expect(await feedbackItem(rootTs)).toBeUndefined();
  });
});
