import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LambdaDriver, type LambdaWorld, startLambdaDriver } from '../support/lambda-harness.js';
import { mentionEvent } from '../support/slack-payload-builders.js';

let world: LambdaWorld;
let lambda: LambdaDriver;
beforeAll(async () => {
  ({ world, lambda } = await startLambdaDriver({
    LOG_LEVEL: 'error',
    WORKER_MAX_RECEIVES: '1',
    POWERTOOLS_METRICS_NAMESPACE: 'Architect',
  }));
});
afterAll(async () => {
  await world.close();
});

interface EmfDocument {
  _aws: {
    CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }>;
  };
  [field: string]: unknown;
}

/** Runs `action` and returns the CloudWatch EMF documents it printed. */
async function emfPrintedBy(action: () => Promise<unknown>): Promise<EmfDocument[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(...String(chunk).split('\n'));
    return true;
  });
  try {
    await action();
  } finally {
    spy.mockRestore();
  }
  return lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as EmfDocument);
}

/** The value of `metric` in the documents, with the namespace and dimension the alarms watch. */
function metricValues(documents: EmfDocument[], metric: string): unknown[] {
  return documents
    .filter((doc) =>
      doc._aws.CloudWatchMetrics.some(
        (set) =>
          set.Namespace === 'Architect' &&
          set.Dimensions.some((dims) => dims.includes('service')) &&
          set.Metrics.some((m) => m.Name === metric),
      ),
    )
    .map((doc) => doc[metric]);
}

describe('CloudWatch metrics (EMF)', () => {
  it('report the ack latency of the events function', async () => {
    const documents = await emfPrintedBy(() => lambda.sendEvent(mentionEvent('<@UBOT> design a cart')));
    const [latency] = metricValues(documents, 'AckLatency');
    expect(typeof latency).toBe('number');
    expect(documents[0]?.service).toBe('architect');
    await lambda.runWorker();
  });

  it('report an answer with its tokens and model latency', async () => {
    world.anthropic.enqueue({ text: 'An answer.', usage: { input_tokens: 1234, output_tokens: 56 } });
    await lambda.sendEvent(mentionEvent('<@UBOT> design a ledger'));
    const documents = await emfPrintedBy(() => lambda.runWorker());
    expect(metricValues(documents, 'Answers')).toEqual([1]);
    expect(metricValues(documents, 'InputTokens')).toEqual([1234]);
    expect(metricValues(documents, 'OutputTokens')).toEqual([56]);
    expect(typeof metricValues(documents, 'ModelLatency')[0]).toBe('number');
  });

  it('report a failed answer under the name and dimension the AnswerFailures alarm watches', async () => {
    world.anthropic.enqueue({ httpError: 529 });
    await lambda.sendEvent(mentionEvent('<@UBOT> design a search service'));
    const documents = await emfPrintedBy(() => lambda.runWorker());
    expect(metricValues(documents, 'AnswerFailures')).toEqual([1]);
    expect(metricValues(documents, 'AnswerFailure_overloaded')).toEqual([1]);
  });
});
