// The baseline: the smallest Bolt app behind AwsLambdaReceiver, whose listeners only acknowledge.
// Bundled like the real functions, it shows what Bolt itself costs in bytes, cold start and latency.

import { App, AwsLambdaReceiver } from '@slack/bolt';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`bare Bolt app: ${name} is not set`);
  return value;
}

const signingSecret = requiredEnv('SLACK_SIGNING_SECRET');
const botToken = requiredEnv('SLACK_BOT_TOKEN');

const receiver = new AwsLambdaReceiver({ signingSecret });
// A fixed authorize, as the real events function has: no auth.test round trip on a cold start.
const app = new App({ receiver, authorize: async () => ({ botToken }) });

app.command(/.*/, async ({ ack }) => {
  await ack();
});
// Bolt acknowledges Events API requests itself, before the listeners run.
app.event(/.*/, async () => {});
app.action(/.*/, async ({ ack }) => {
  await ack();
});

const handle = receiver.toHandler();

/** The Lambda entry point, 2 arguments like the real one. */
export async function handler(
  event: APIGatewayProxyEventV2,
  context: Context,
): Promise<APIGatewayProxyStructuredResultV2> {
  return (await handle(event, context)) as APIGatewayProxyStructuredResultV2;
}
