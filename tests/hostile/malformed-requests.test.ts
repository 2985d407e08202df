import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAnthropic, lastUserText, startFakeAnthropic } from '../fakes/anthropic-messages.js';
import { type FakeSlack, startFakeSlack } from '../fakes/slack-web-api.js';
import { CHANNEL_ID, eventEnvelope, mentionEvent } from '../support/slack-payload-builders.js';
import { BOT_TOKEN, SIGNING_SECRET, startTestBot, type TestBot } from '../support/test-bot.js';
import { startLocalServerProcess } from './local-server-process.js';
import { malformedRequests } from './malformed-slack-requests.js';
import { type Answer, postSignedRaw } from './signed-raw-request.js';
import { slackCase, toSlackRequest } from './slack-request-arbitraries.js';

// Signed requests Slack would never send, against the whole local bot over HTTP: each must be
// answered below 500 without a model request, and the bot must go on answering a normal mention.

/** Statuses Bolt gives requests it refuses or ignores; a 500, or no answer at all (0), is a bug. */
// 415: a body of a media type Slack never sends (refused before Bolt).
const ACCEPTABLE_STATUSES = [200, 400, 401, 404, 415];
const CONTROL = 'hostile-control';

let controls = 0;
/** A user of its own for each control mention, so the bot's per-user rate limit never refuses one. */
function controlUser(): string {
  controls += 1;
  return `U0CONTROL${controls}`;
}

/** Sends a normal signed mention and waits until the bot has asked the model and posted the answer. */
async function controlMentionAnswered(t: TestBot, label: string): Promise<void> {
  const text = `${CONTROL} ${label}`;
  const mention = mentionEvent(`<@UBOT> ${text}`, { user: controlUser() });
  const response = await t.sendEvent(mention);
  expect(response.status, `control mention "${label}"`).toBe(200);
  await t.anthropic.waitFor((request) => lastUserText(request.body).includes(text), { timeoutMs: 10_000 });
  await t.settle();
  expect(t.slack.threadMessages(CHANNEL_ID, mention.ts), 'the answer to the control mention').not.toEqual([]);
}

function modelRequestsMentioning(t: TestBot, word: string) {
  return t.anthropic.requests.filter((request) => JSON.stringify(request.body).includes(word));
}

/** The last user text of each model request that none of `expectedWords` explains. */
function unexpectedModelRequests(t: TestBot, expectedWords: ReadonlySet<string>): string[] {
  return t.anthropic.requests
    .map((request) => lastUserText(request.body))
    .filter((text) => ![...expectedWords].some((word) => text.includes(word)))
    .map((text) => text.slice(0, 200));
}

/** The answer and what the bot logged as warnings and errors since `since`, for a failure message. */
function explain(t: TestBot, answer: Answer, since: number): string {
  const errors = t.logs.slice(since).filter((line) => /"level":"(error|warn)"/.test(line));
  return [
    `status ${answer.status}${answer.error ? `, ${answer.error}` : ''}`,
    ...errors.map((line) => line.slice(0, 400)),
  ].join('\n');
}

// Each case gets a bot of its own, so model requests can be counted before and after it; they run
// concurrently because Bolt answers a request no listener acknowledged only after 3 seconds.
describe.concurrent('a signed request Slack would never send', () => {
  it.for(malformedRequests())(
    '$name: answered below 500, never sent to the model, and the bot answers the next mention',
    async (request, { expect, annotate }) => {
      const t = await startTestBot();
      try {
        const before = t.anthropic.requests.length;
        const answer = await postSignedRaw(t.url, request.body, request.contentType, SIGNING_SECRET);
        await annotate(`status ${answer.status}`);
        expect.soft(answer.status, explain(t, answer, 0)).toBeOneOf(ACCEPTABLE_STATUSES);
        if (request.challenge !== undefined) {
          expect.soft(JSON.parse(answer.body || '{}')).toEqual({ challenge: request.challenge });
        }

        await controlMentionAnswered(t, request.name);

        const allowed = request.answered === 'never' ? 0 : 1;
        const caused = t.anthropic.requests.length - before - 1;
        expect(caused, 'model requests besides the control one').toBeLessThanOrEqual(allowed);
        const expected = new Set([CONTROL, ...(allowed && request.marker ? [request.marker] : [])]);
        expect(unexpectedModelRequests(t, expected), 'model requests it caused').toEqual([]);
      } finally {
        await t.close();
      }
    },
  );
});

describe('signed requests drawn by fast-check', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
    // The default echo would put drawn text in the answer too; the named cases cover that path.
    t.anthropic.defaultReply = { text: 'A short design.' };
  });
  afterAll(async () => {
    await t.close();
  });

  it('are answered below 500 and only posts a person could write reach the model', async ({ annotate }) => {
    const statuses = new Map<number, number>();
    const expectedWords = new Set<string>([CONTROL]);
    const neverMarkers: string[] = [];
    let run = 0;
    await fc.assert(
      fc.asyncProperty(slackCase({ routedOnly: true }), async (generated) => {
        run += 1;
        const marker = `fuzz${run}word`;
        const request = toSlackRequest(generated, { marker, responseUrl: t.slack.responseUrl });
        if (request.answerable === 'maybe') expectedWords.add(marker);
        else neverMarkers.push(marker);
        const logsBefore = t.logs.length;

        const answer = await postSignedRaw(t.url, request.body, request.contentType, SIGNING_SECRET);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expect(answer.status, explain(t, answer, logsBefore)).toBeOneOf(ACCEPTABLE_STATUSES);

        await t.settle();
        if (request.answerable === 'never') {
          expect(modelRequestsMentioning(t, marker), 'model requests caused by it').toEqual([]);
        }
        expect(unexpectedModelRequests(t, expectedWords), 'model requests nobody should have caused').toEqual(
          [],
        );
      }),
      {
        numRuns: 150,
        seed: Number(process.env.HOSTILE_FUZZ_SEED ?? 20_261_126),
        interruptAfterTimeLimit: 40_000,
        markInterruptAsFailure: true,
      },
    );
    await annotate(`statuses: ${[...statuses].map(([status, count]) => `${status} x${count}`).join(', ')}`);

    await controlMentionAnswered(t, 'after the fuzzing');
    for (const marker of neverMarkers) expect(modelRequestsMentioning(t, marker), marker).toEqual([]);
    expect(unexpectedModelRequests(t, expectedWords)).toEqual([]);
  }, 60_000);
});

describe('the pnpm start process', () => {
  let slack: FakeSlack;
  let anthropic: FakeAnthropic;
  beforeAll(async () => {
    [slack, anthropic] = await Promise.all([startFakeSlack({ botToken: BOT_TOKEN }), startFakeAnthropic()]);
  });
  afterAll(async () => {
    await Promise.all([slack.close(), anthropic.close()]);
  });

  // In-process, vitest catches an unhandled rejection and the bot lives on; `pnpm start` has no one
  // to catch it, and Node ends the process (https://nodejs.org/api/cli.html#--unhandled-rejectionsmode).
  it.for([
    { name: 'a JSON null body', body: 'null', contentType: 'application/json' },
    { name: 'payload=null', body: 'payload=null', contentType: 'application/x-www-form-urlencoded' },
  ])('keeps serving after $name', async ({ body, contentType }, { expect, annotate }) => {
    const server = await startLocalServerProcess({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: anthropic.url,
    });
    try {
      const answer = await postSignedRaw(server.url, body, contentType, SIGNING_SECRET);
      await annotate(`status ${answer.status}${answer.error ? ` (${answer.error.split('\n')[0]})` : ''}`);
      expect.soft(answer.status).toBeOneOf(ACCEPTABLE_STATUSES);

      const text = `${CONTROL} after ${body}`;
      const control = await postSignedRaw(
        server.url,
        JSON.stringify(eventEnvelope(mentionEvent(`<@UBOT> ${text}`))),
        'application/json',
        SIGNING_SECRET,
      );
      const state = () =>
        `process: ${server.exited() ?? 'running'}; its output:\n${server.output().slice(-3_000)}`;
      expect(control.status, state()).toBe(200);
      await anthropic.waitFor((request) => lastUserText(request.body).includes(text), { timeoutMs: 10_000 });
    } finally {
      await server.stop();
    }
  });
});
