import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastUserText } from '../fakes/anthropic-messages.js';
import { type LambdaDriver, type LambdaWorld, startLambdaDriver } from '../support/lambda-harness.js';
import { CHANNEL_ID, mentionEvent } from '../support/slack-payload-builders.js';
import { type MalformedRequest, malformedRequests } from './malformed-slack-requests.js';
import { invokeSignedRaw } from './signed-raw-request.js';
import { slackCase, toSlackRequest } from './slack-request-arbitraries.js';

// The same signed requests Slack would never send, through the Lambda events function as API
// Gateway invokes it: each must be answered below 500 and queue nothing for the worker (the only
// code that calls the model), and the same warm container must go on answering a normal mention.

/** Statuses Bolt gives requests it refuses or ignores; a 500 (or a thrown handler) is a bug. */
// 415: a body of a media type Slack never sends (refused before Bolt).
const ACCEPTABLE_STATUSES = [200, 400, 401, 404, 415];
const CONTROL = 'hostile-control';
/** Deliveries of one job before the fake queue moves it to the dead-letter queue. */
const MAX_RECEIVES = 3;

let world: LambdaWorld;
let lambda: LambdaDriver;
beforeAll(async () => {
  ({ world, lambda } = await startLambdaDriver({ LOG_LEVEL: 'error', POWERTOOLS_METRICS_DISABLED: 'true' }));
});
afterAll(async () => {
  await world.close();
});

/** Runs the worker until the answer queue is empty; every job gets at most its few deliveries. */
async function drainAnswerQueue(): Promise<void> {
  for (let delivery = 0; lambda.queued() > 0 && delivery < 10 * MAX_RECEIVES; delivery += 1) {
    world.sqs.makeVisibleNow(world.queueUrl);
    await lambda.runWorker();
  }
}

let controls = 0;
/** A user of its own for each control mention, so the bot's per-user rate limit never refuses one. */
function controlUser(): string {
  controls += 1;
  return `U0CONTROL${controls}`;
}

/** A normal signed mention: acked with 200, queued once, and answered through the model by the worker. */
async function controlMentionAnswered(label: string): Promise<void> {
  const text = `${CONTROL} ${label}`;
  const queuedBefore = lambda.queued();
  const mention = mentionEvent(`<@UBOT> ${text}`, { user: controlUser() });
  const response = await lambda.sendEvent(mention);
  expect(response.statusCode, `control mention "${label}"`).toBe(200);
  expect(lambda.queued(), 'control mention queued').toBe(queuedBefore + 1);
  await drainAnswerQueue();
  expect(world.anthropic.requests.some((request) => lastUserText(request.body).includes(text))).toBe(true);
  expect(world.slack.threadMessages(CHANNEL_ID, mention.ts), 'the answer to the control mention').not.toEqual(
    [],
  );
}

/** The last user text of each model request that none of `expectedWords` explains. */
function unexpectedModelRequests(expectedWords: ReadonlySet<string>, since = 0): string[] {
  return world.anthropic.requests
    .slice(since)
    .map((request) => lastUserText(request.body))
    .filter((text) => ![...expectedWords].some((word) => text.includes(word)))
    .map((text) => text.slice(0, 200));
}

type LambdaCase = MalformedRequest & { readonly omitBody?: boolean };

const CASES: LambdaCase[] = [
  ...malformedRequests(),
  {
    // API Gateway leaves `body` out of the event when the request has none.
    name: 'an event with no body at all',
    body: '',
    contentType: 'application/json',
    answered: 'never',
    omitBody: true,
  },
];

describe('a signed request Slack would never send, through the events function', () => {
  it.for(CASES)(
    '$name: answered below 500, nothing queued for the model, and the next mention answered',
    async (request, { expect, annotate }) => {
      const queuedBefore = lambda.queued();
      const modelRequestsBefore = world.anthropic.requests.length;

      const answer = await invokeSignedRaw(lambda.events, request.body, request.contentType, {
        ...(request.omitBody ? { omitBody: true } : {}),
      });
      await annotate(`status ${answer.status}${answer.error ? ` (${answer.error.split('\n')[0]})` : ''}`);
      expect.soft(answer.status, answer.error ?? answer.body).toBeOneOf(ACCEPTABLE_STATUSES);
      if (request.challenge !== undefined) {
        expect.soft(JSON.parse(answer.body || '{}')).toEqual({ challenge: request.challenge });
      }
      const allowed = request.answered === 'never' ? 0 : 1;
      expect.soft(lambda.queued() - queuedBefore, 'jobs it queued').toBeLessThanOrEqual(allowed);

      await drainAnswerQueue();
      await controlMentionAnswered(request.name);

      const caused = world.anthropic.requests.length - modelRequestsBefore - 1;
      expect(caused, 'model requests besides the control one').toBeLessThanOrEqual(allowed);
      const expected = new Set([CONTROL, ...(allowed && request.marker ? [request.marker] : [])]);
      expect(unexpectedModelRequests(expected, modelRequestsBefore), 'model requests it caused').toEqual([]);
    },
  );
});

describe('signed requests drawn by fast-check, through the events function', () => {
  it('are answered below 500 and only posts a person could write are queued for the model', async ({
    annotate,
  }) => {
    const statuses = new Map<number, number>();
    const expectedWords = new Set<string>([CONTROL]);
    const modelRequestsBefore = world.anthropic.requests.length;
    // The default echo would put drawn text in the answer too; the named cases cover that path.
    world.anthropic.defaultReply = { text: 'A short design.' };
    let run = 0;
    await fc.assert(
      fc.asyncProperty(slackCase({ routedOnly: false }), async (generated) => {
        run += 1;
        const marker = `fuzz${run}word`;
        const request = toSlackRequest(generated, { marker, responseUrl: world.slack.responseUrl });
        if (request.answerable === 'maybe') expectedWords.add(marker);
        const queuedBefore = lambda.queued();

        const answer = await invokeSignedRaw(lambda.events, request.body, request.contentType);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expect(answer.status, answer.error ?? answer.body).toBeOneOf(ACCEPTABLE_STATUSES);
        if (request.answerable === 'never') expect(lambda.queued(), 'jobs it queued').toBe(queuedBefore);

        await drainAnswerQueue();
        expect(
          unexpectedModelRequests(expectedWords, modelRequestsBefore),
          'model requests nobody should have caused',
        ).toEqual([]);
      }),
      {
        numRuns: 150,
        seed: Number(process.env.HOSTILE_FUZZ_SEED ?? 20_261_126),
        interruptAfterTimeLimit: 20_000,
        markInterruptAsFailure: true,
      },
    );
    await annotate(`statuses: ${[...statuses].map(([status, count]) => `${status} x${count}`).join(', ')}`);

    await controlMentionAnswered('after the fuzzing');
    expect(unexpectedModelRequests(expectedWords, modelRequestsBefore)).toEqual([]);
  }, 40_000);
});
