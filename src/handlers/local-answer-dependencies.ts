import type { Config } from '../config.js';
import { usageLimits } from '../config.js';
import { loadArchitectPrompt } from '../core/architect-prompt.js';
import { type Log, noTelemetry, type ThreadStore } from '../core/ports.js';
import type { JsonLogger } from '../observability/json-logger.js';
import type { AnswerRequestDependencies } from '../slack/answer-request.js';
import { createLiveSlackWebClient, createSlackWebClient } from '../slack/slack-client-options.js';
import { buildClaudeModel } from './build-claude-model.js';

/** What the local bot answers with: the same parts as the Lambda worker, built from local settings. */
export async function buildLocalAnswerDependencies(
  config: Config,
  store: ThreadStore,
  logger: JsonLogger & Log,
): Promise<AnswerRequestDependencies> {
  return {
    client: createSlackWebClient(config.SLACK_BOT_TOKEN, config.SLACK_API_URL, logger),
    liveClient: createLiveSlackWebClient(config.SLACK_BOT_TOKEN, config.SLACK_API_URL, logger),
    store,
    model: buildClaudeModel(config),
    systemPrompt: await loadArchitectPrompt(),
    historyTokenBudget: config.HISTORY_TOKEN_BUDGET,
    diagramRenderUrl: config.DIAGRAM_RENDER_URL,
    liveAnswer: config.LIVE_ANSWER,
    log: logger,
    telemetry: noTelemetry,
    limits: usageLimits(config),
  };
}
