// Section 5: what a 12-turn design thread costs in input tokens, before and after conversation caching.
// The real answer code (`composeAnswer` with a DynamoDBThreadStore on in-process dynalite and
// `ClaudeModel` through the Anthropic SDK) runs against the loopback Anthropic fake in prompt-cache
// mode, which reports `cache_read_input_tokens` / `cache_creation_input_tokens` the way the API does.
// The fake's cache clock is moved forward between turns by a fixed, realistic gap.

import { ClaudeModel, createAnthropicClient } from '../../src/adapters/anthropic/claude-model.js';
import { createDynamoDBClients } from '../../src/adapters/dynamodb/create-dynamodb-clients.js';
import { DynamoDBThreadStore } from '../../src/adapters/dynamodb/dynamodb-thread-store.js';
import { startLocalDynalite } from '../../src/adapters/dynamodb/local-dynalite.js';
import { ensureThreadTable } from '../../src/adapters/dynamodb/thread-table.js';
import { loadConfig } from '../../src/config.js';
import { loadArchitectPrompt } from '../../src/core/architect-prompt.js';
import { composeAnswer } from '../../src/core/compose-answer.js';
import type { ThreadRef } from '../../src/core/conversation.js';
import { estimateTokens } from '../../src/core/history-window.js';
import { DEFAULT_MODEL_PRICES, estimateCostUsd, priceOf } from '../../src/core/model-prices.js';
import {
  type FakeAnthropic,
  type FakeAnthropicRequestBody,
  startFakeAnthropic,
} from '../../tests/fakes/anthropic-messages.js';
import { designAnswer } from '../harness/design-text.js';
import { round2 } from '../harness/latency-stats.js';
import { bytes, formatTable, say, section, verdict } from '../harness/results-table.js';

/** Characters of every scripted answer (about 10,000 output tokens at 4 characters a token). */
export const ANSWER_CHARS = 40_000;
/** Turns of the thread: the design request and 11 follow-ups. */
export const THREAD_TURNS = 12;
/** At least this share of the follow-ups' input tokens must be cache reads (after the change). */
export const CACHE_READ_SHARE_TARGET = 0.8;

/** The thread's first request; its scripted answer has all five sections, so it is never completed. */
export const DESIGN_REQUEST =
  'Design a double-entry ledger service for our payments platform: 5,000 postings per second at peak, ' +
  'strong consistency per account, every change auditable for 7 years, read replicas in two regions, ' +
  'multi-currency balances. Give me the API endpoints, the service architecture, the database schema, ' +
  'technology recommendations and a scalability analysis.';
const FOLLOW_UPS = [
  'How would postings in two currencies be balanced?',
  'What changes if writes grow to 50,000 per second?',
  'Can the audit archive be queried without restoring it?',
  'How do we reverse a posting without deleting anything?',
  'What happens to in-flight transfers during a regional failover?',
  'Should balances be computed on read or kept as snapshots?',
  'How would you test the double-entry invariant?',
  'What rate limits would you put on the public API?',
  'How do we migrate the existing ledger without downtime?',
  'Which metrics and alerts matter most in production?',
  'What would you cut for a first release in six weeks?',
] as const;
/** Minutes between turn n and turn n+1: fixed, 3 to 20, all under the 1-hour cache TTL. */
const GAP_MINUTES = [6, 9, 4, 12, 7, 18, 5, 10, 15, 3, 8] as const;

const CHANNEL = 'C0COST';
const USER = 'U0ALICE';
const THREAD_SECONDS = 1_800_000_000;

/** The Slack `ts` of turn `turn`'s post (turn 1 is the thread's root). */
function postTsOf(turn: number): string {
  return `${THREAD_SECONDS}.${String(turn * 100).padStart(6, '0')}`;
}

export interface ThreadVariant {
  readonly name: string;
  readonly label: string;
  /** Passed to `ClaudeModel`; undefined = its default. */
  readonly cacheConversation?: boolean;
  /** Passed to `composeAnswer`; undefined = its default. */
  readonly historyTrimToFraction?: number;
  /** Passed to `composeAnswer` instead of HISTORY_TOKEN_BUDGET's default (what-if runs only). */
  readonly historyTokenBudget?: number;
}

export const BEFORE: ThreadVariant = {
  name: 'before',
  label:
    'before: system prompt cached only, trim just enough (cacheConversation false, historyTrimToFraction 1)',
  cacheConversation: false,
  historyTrimToFraction: 1,
};
export const AFTER: ThreadVariant = {
  name: 'after',
  label: 'after: the defaults (cacheConversation true, cacheTtl 1h, historyTrimToFraction 0.6)',
};

/**
 * What-if runs, informational: the "after" code with another budget or trim fraction passed to
 * `composeAnswer` (the bot's settings are not changed), to show what the cache-read target needs.
 */
export const WHAT_IF_VARIANTS: readonly ThreadVariant[] = [
  {
    name: 'what-if-60k-0.3',
    label: 'budget 60,000, trim to 0.3',
    historyTokenBudget: 60_000,
    historyTrimToFraction: 0.3,
  },
  {
    name: 'what-if-60k-0.9',
    label: 'budget 60,000, trim to 0.9',
    historyTokenBudget: 60_000,
    historyTrimToFraction: 0.9,
  },
  { name: 'what-if-80k-0.6', label: 'budget 80,000, trim to 0.6', historyTokenBudget: 80_000 },
  { name: 'what-if-100k-0.6', label: 'budget 100,000, trim to 0.6', historyTokenBudget: 100_000 },
  {
    name: 'what-if-60k-0.6',
    label: 'budget 60,000 (the old default), trim to 0.6',
    historyTokenBudget: 60_000,
  },
];

export interface TurnFigures {
  readonly turn: number;
  /** Minutes the fake's cache clock moved forward before this turn. */
  readonly gapMinutes: number;
  readonly messagesSent: number;
  readonly omittedMessages: number;
  readonly inputTokens: number;
  readonly cacheWriteTokens: number;
  readonly cacheReadTokens: number;
  /** input + cache write + cache read: every input token of the request. */
  readonly totalInputTokens: number;
  /** HISTORY_TOKEN_BUDGET + the system prompt's tokens + the new question's tokens. */
  readonly boundTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  readonly firstRequestSent: boolean;
  /** `POST /v1/messages/count_tokens` calls made for this turn (free in the API; not in the figures). */
  readonly tokenCounts: number;
}

export interface ThreadRunFigures {
  readonly variant: ThreadVariant;
  readonly turns: readonly TurnFigures[];
  readonly totals: {
    readonly inputTokens: number;
    readonly cacheWriteTokens: number;
    readonly cacheReadTokens: number;
    readonly totalInputTokens: number;
    readonly outputTokens: number;
    readonly costUsd: number;
    /** Of the input side only (uncached input, cache writes and reads). */
    readonly inputCostUsd: number;
  };
  /** Cache reads / all input tokens of turns 2-12. */
  readonly followUpReadShare: number;
  /** Cache reads / all input tokens of turns 1-12. */
  readonly readShare: number;
  readonly ms: number;
  readonly targets: {
    readonly withinBound: boolean;
    readonly plateau: { readonly maxLast4: number; readonly bound: number; readonly pass: boolean };
    readonly firstRequestEveryTurn: boolean;
  };
}

export interface ThreadCostFigures {
  readonly model: string;
  readonly cacheTtl: '5m' | '1h';
  readonly historyTokenBudget: number;
  readonly systemPromptTokens: number;
  readonly before: ThreadRunFigures;
  readonly after: ThreadRunFigures;
  readonly whatIf: readonly ThreadRunFigures[];
}

function firstUserText(body: FakeAnthropicRequestBody): string {
  const [first] = Array.isArray(body.messages) ? body.messages : [];
  if (typeof first !== 'object' || first === null) return '';
  const { role, content } = first as { role?: unknown; content?: unknown };
  if (role !== 'user') return '';
  if (typeof content === 'string') return content;
  const [block] = Array.isArray(content) ? (content as Array<{ type?: unknown; text?: unknown }>) : [];
  return block?.type === 'text' && typeof block.text === 'string' ? block.text : '';
}

let tableCount = 0;

export interface ThreadSettings {
  readonly model: string;
  readonly maxTokens: number;
  readonly cacheTtl: '5m' | '1h';
  readonly historyTokenBudget: number;
  readonly systemPrompt: string;
  readonly dynamoEndpoint: string;
}

export async function runThread(variant: ThreadVariant, settings: ThreadSettings): Promise<ThreadRunFigures> {
  const started = performance.now();
  // A fresh fake (a fresh prompt cache, fresh recordings) and a fresh table for every run.
  const fake: FakeAnthropic = await startFakeAnthropic({ promptCache: true });
  const dynamo = createDynamoDBClients({ endpoint: settings.dynamoEndpoint });
  try {
    tableCount += 1;
    const tableName = `architect-bench-cost-${variant.name}-${tableCount}`;
    await ensureThreadTable(dynamo.client, tableName);
    const store = new DynamoDBThreadStore({ client: dynamo.documentClient, tableName });
    const model = new ClaudeModel({
      client: createAnthropicClient({
        apiKey: 'sk-ant-bench',
        baseURL: fake.url,
        timeoutMs: 60_000,
        maxRetries: 0,
      }),
      model: settings.model,
      maxTokens: settings.maxTokens,
      streamIdleTimeoutMs: 45_000,
      cacheTtl: settings.cacheTtl,
      ...(variant.cacheConversation === undefined ? {} : { cacheConversation: variant.cacheConversation }),
    });
    const historyTokenBudget = variant.historyTokenBudget ?? settings.historyTokenBudget;
    const deps = {
      store,
      model,
      systemPrompt: settings.systemPrompt,
      historyTokenBudget,
      ...(variant.historyTrimToFraction === undefined
        ? {}
        : { historyTrimToFraction: variant.historyTrimToFraction }),
    };
    const thread: ThreadRef = { teamId: 'T123', channelId: CHANNEL, threadTs: postTsOf(1) };
    await store.claimThread(thread, USER);
    const price = priceOf(settings.model, DEFAULT_MODEL_PRICES);
    const systemTokens = estimateTokens(settings.systemPrompt);

    const turns: TurnFigures[] = [];
    for (let turn = 1; turn <= THREAD_TURNS; turn += 1) {
      const gapMinutes = turn === 1 ? 0 : (GAP_MINUTES[turn - 2] ?? 0);
      if (gapMinutes > 0) fake.advanceCacheClock(gapMinutes * 60_000);
      const question = turn === 1 ? DESIGN_REQUEST : (FOLLOW_UPS[turn - 2] ?? '');
      fake.enqueue({ text: designAnswer(turn, question, ANSWER_CHARS), chunkSize: 4096 });
      const requestsBefore = fake.requests.length;
      const answer = await composeAnswer(
        { thread, postTs: postTsOf(turn), userId: USER, text: question },
        deps,
      );
      // The model call, and any token count the bot asked for first (near the budget).
      const sent = fake.requests.slice(requestsBefore);
      const calls = sent.filter((request) => request.path === '/v1/messages');
      const request = calls[0];
      if (!answer.usage || calls.length !== 1 || !request) {
        throw new Error(`turn ${turn}: expected one model call, saw ${calls.length}`);
      }
      const usage = answer.usage;
      const total = usage.inputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens;
      turns.push({
        turn,
        gapMinutes,
        messagesSent: Array.isArray(request.body.messages) ? request.body.messages.length : 0,
        omittedMessages: answer.omittedMessages,
        inputTokens: usage.inputTokens,
        cacheWriteTokens: usage.cacheCreationInputTokens,
        cacheReadTokens: usage.cacheReadInputTokens,
        totalInputTokens: total,
        boundTokens: historyTokenBudget + systemTokens + estimateTokens(question),
        outputTokens: usage.outputTokens,
        costUsd: estimateCostUsd(usage, price, settings.cacheTtl) ?? Number.NaN,
        firstRequestSent: firstUserText(request.body).startsWith(DESIGN_REQUEST),
        tokenCounts: sent.filter((call) => call.path === '/v1/messages/count_tokens').length,
      });
    }

    const sum = (list: readonly TurnFigures[], pick: (turn: TurnFigures) => number) =>
      list.reduce((total, turn) => total + pick(turn), 0);
    const followUps = turns.slice(1);
    const last4 = turns.slice(-4);
    const plateauBound = Math.min(...last4.map((turn) => turn.boundTokens));
    const maxLast4 = Math.max(...last4.map((turn) => turn.totalInputTokens));
    const outputTokens = sum(turns, (turn) => turn.outputTokens);
    const costUsd = sum(turns, (turn) => turn.costUsd);
    const outputCost =
      estimateCostUsd(
        { inputTokens: 0, outputTokens, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 },
        price,
        settings.cacheTtl,
      ) ?? Number.NaN;
    return {
      variant,
      turns,
      totals: {
        inputTokens: sum(turns, (turn) => turn.inputTokens),
        cacheWriteTokens: sum(turns, (turn) => turn.cacheWriteTokens),
        cacheReadTokens: sum(turns, (turn) => turn.cacheReadTokens),
        totalInputTokens: sum(turns, (turn) => turn.totalInputTokens),
        outputTokens,
        costUsd,
        inputCostUsd: costUsd - outputCost,
      },
      followUpReadShare:
        sum(followUps, (turn) => turn.cacheReadTokens) /
        Math.max(
          1,
          sum(followUps, (turn) => turn.totalInputTokens),
        ),
      readShare:
        sum(turns, (turn) => turn.cacheReadTokens) /
        Math.max(
          1,
          sum(turns, (turn) => turn.totalInputTokens),
        ),
      ms: performance.now() - started,
      targets: {
        withinBound: turns.every((turn) => turn.totalInputTokens <= turn.boundTokens),
        plateau: { maxLast4, bound: plateauBound, pass: maxLast4 <= plateauBound },
        firstRequestEveryTurn: turns.every((turn) => turn.firstRequestSent),
      },
    };
  } finally {
    dynamo.client.destroy();
    await fake.close();
  }
}

/** Runs the thread before and after, each against a fresh fake, table and thread. */
export async function measureThreadCost(): Promise<ThreadCostFigures> {
  // The bot's own defaults: a config with only the required settings.
  const defaults = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: 'bench',
    ANTHROPIC_API_KEY: 'sk-ant-bench',
  });
  const systemPrompt = await loadArchitectPrompt();
  const dynalite = await startLocalDynalite();
  try {
    const settings: ThreadSettings = {
      model: defaults.ANTHROPIC_MODEL,
      maxTokens: defaults.ANTHROPIC_MAX_TOKENS,
      cacheTtl: defaults.ANTHROPIC_CACHE_TTL,
      historyTokenBudget: defaults.HISTORY_TOKEN_BUDGET,
      systemPrompt,
      dynamoEndpoint: dynalite.endpoint,
    };
    const before = await runThread(BEFORE, settings);
    const after = await runThread(AFTER, settings);
    const whatIf: ThreadRunFigures[] = [];
    for (const variant of WHAT_IF_VARIANTS) whatIf.push(await runThread(variant, settings));
    return {
      model: settings.model,
      cacheTtl: settings.cacheTtl,
      historyTokenBudget: settings.historyTokenBudget,
      systemPromptTokens: estimateTokens(systemPrompt),
      before,
      after,
      whatIf,
    };
  } finally {
    await dynalite.close();
  }
}

const usd = (value: number) => `$${value.toFixed(4)}`;
const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

function turnTable(run: ThreadRunFigures): string {
  const rows = run.turns.map((turn) => [
    String(turn.turn),
    turn.turn === 1 ? '' : String(turn.gapMinutes),
    `${turn.messagesSent} (${turn.omittedMessages})`,
    bytes(turn.inputTokens),
    bytes(turn.cacheWriteTokens),
    bytes(turn.cacheReadTokens),
    bytes(turn.totalInputTokens),
    bytes(turn.boundTokens),
    bytes(turn.outputTokens),
    usd(turn.costUsd),
  ]);
  const { totals } = run;
  rows.push([
    'total',
    String(GAP_MINUTES.reduce((sum, gap) => sum + gap, 0)),
    '',
    bytes(totals.inputTokens),
    bytes(totals.cacheWriteTokens),
    bytes(totals.cacheReadTokens),
    bytes(totals.totalInputTokens),
    '',
    bytes(totals.outputTokens),
    usd(totals.costUsd),
  ]);
  return formatTable(
    [
      'turn',
      'gap min',
      'msgs (omitted)',
      'input',
      'cache write',
      'cache read',
      'total input',
      'bound',
      'output',
      'est. cost',
    ],
    rows,
  );
}

/** Prints section 5. */
export function printThreadCost(figures: ThreadCostFigures): void {
  section(
    `5. Cost of a ${THREAD_TURNS}-turn design thread (composeAnswer + DynamoDBThreadStore on dynalite + ` +
      'ClaudeModel against the Anthropic fake in prompt-cache mode)',
  );
  say(
    `model ${figures.model} (${priceLine(figures.model)}), cache TTL ${figures.cacheTtl}, ` +
      `HISTORY_TOKEN_BUDGET ${bytes(figures.historyTokenBudget)}, system prompt ${bytes(figures.systemPromptTokens)} ` +
      `tokens; every answer ${bytes(ANSWER_CHARS)} characters; cache clock moved ${GAP_MINUTES.join(', ')} ` +
      'minutes between turns',
  );
  say(
    "Tokens as the fake reports them (characters / 4 per block, like the bot's estimate); 'bound' is " +
      'HISTORY_TOKEN_BUDGET + system prompt tokens + the new question tokens; msgs = messages sent (turns left out).',
  );
  for (const run of [figures.before, figures.after]) {
    say();
    say(`${run.variant.label}:`);
    say(turnTable(run));
    say(
      `cache reads: ${percent(run.followUpReadShare)} of the follow-ups' input tokens (turns 2-${THREAD_TURNS}), ` +
        `${percent(run.readShare)} of all; input side ${usd(run.totals.inputCostUsd)}, output ` +
        `${usd(run.totals.costUsd - run.totals.inputCostUsd)}; ${(run.ms / 1000).toFixed(1)} s`,
    );
  }
  const { before, after } = figures;
  say();
  say(
    `before ${usd(before.totals.costUsd)} -> after ${usd(after.totals.costUsd)} for the thread ` +
      `(${percent(1 - after.totals.costUsd / before.totals.costUsd)} less); input side ` +
      `${usd(before.totals.inputCostUsd)} -> ${usd(after.totals.inputCostUsd)} ` +
      `(${percent(1 - after.totals.inputCostUsd / before.totals.inputCostUsd)} less); follow-up cache-read share ` +
      `${percent(before.followUpReadShare)} -> ${percent(after.followUpReadShare)}`,
  );
  say();
  say(formatTable(['target', 'limit', 'before', 'after', 'result (after)'], threadTargetRows(figures)));
  say();
  say(
    'What-if (informational; the after code with another HISTORY_TOKEN_BUDGET or trim fraction passed to ' +
      'composeAnswer, same thread):',
  );
  say(
    formatTable(
      [
        'settings',
        'follow-up cache reads',
        'max total input, turns 9-12',
        'turns that cut',
        'thread cost',
        'input side',
      ],
      [after, ...figures.whatIf].map((run) => [
        run === after ? 'the defaults (HISTORY_TOKEN_BUDGET, trim to 0.6): the after run' : run.variant.label,
        percent(run.followUpReadShare),
        bytes(run.targets.plateau.maxLast4),
        String(cutTurns(run)),
        usd(run.totals.costUsd),
        usd(run.totals.inputCostUsd),
      ]),
    ),
  );
  if (!threadTargetsPass(after)) {
    say(
      'FAIL: see docs/benchmarks.md ("Cost of a design thread") for why and what would meet the target; ' +
        'src/ is unchanged.',
    );
  }
}

/** Turns whose request left out more messages than the turn before (a new cut, so a cache miss). */
function cutTurns(run: ThreadRunFigures): number {
  return run.turns.filter(
    (turn, index) => turn.omittedMessages > (run.turns[index - 1]?.omittedMessages ?? 0),
  ).length;
}

function priceLine(model: string): string {
  const price = priceOf(model, DEFAULT_MODEL_PRICES);
  if (!price) return 'no price';
  return (
    `$/M tokens: input ${price.input}, output ${price.output}, cache read ${round2(price.cacheRead)}, ` +
    `write 5m ${round2(price.cacheWrite5m)} / 1h ${round2(price.cacheWrite1h)}`
  );
}

function threadTargetRows(figures: ThreadCostFigures): string[][] {
  const { before, after } = figures;
  const worst = (run: ThreadRunFigures) =>
    Math.max(...run.turns.map((turn) => turn.totalInputTokens - turn.boundTokens));
  return [
    [
      'every turn: total input <= bound',
      'budget + system + question',
      `${verdict(before.targets.withinBound)} (max ${signed(worst(before))})`,
      `${verdict(after.targets.withinBound)} (max ${signed(worst(after))})`,
      verdict(after.targets.withinBound),
    ],
    [
      'plateau: max total input, turns 9-12 <= bound',
      `${bytes(after.targets.plateau.bound)}`,
      bytes(before.targets.plateau.maxLast4),
      bytes(after.targets.plateau.maxLast4),
      verdict(after.targets.plateau.pass),
    ],
    [
      'first request in every request sent',
      `${THREAD_TURNS}/${THREAD_TURNS}`,
      `${before.turns.filter((turn) => turn.firstRequestSent).length}/${THREAD_TURNS}`,
      `${after.turns.filter((turn) => turn.firstRequestSent).length}/${THREAD_TURNS}`,
      verdict(after.targets.firstRequestEveryTurn),
    ],
    [
      `follow-ups: cache reads >= ${percent(CACHE_READ_SHARE_TARGET)} of input`,
      percent(CACHE_READ_SHARE_TARGET),
      percent(before.followUpReadShare),
      percent(after.followUpReadShare),
      verdict(after.followUpReadShare >= CACHE_READ_SHARE_TARGET),
    ],
  ];
}

function signed(value: number): string {
  return `${value > 0 ? '+' : ''}${bytes(value)} vs bound`;
}

export function threadTargetsPass(run: ThreadRunFigures): boolean {
  return (
    run.targets.withinBound &&
    run.targets.plateau.pass &&
    run.targets.firstRequestEveryTurn &&
    run.followUpReadShare >= CACHE_READ_SHARE_TARGET
  );
}

/** The figures for bench/results/latest.json. */
export function threadCostJson(figures: ThreadCostFigures): Record<string, unknown> {
  const run = (figures: ThreadRunFigures) => ({
    perTurn: figures.turns.map((turn) => ({
      turn: turn.turn,
      gapMinutes: turn.gapMinutes,
      messagesSent: turn.messagesSent,
      omittedMessages: turn.omittedMessages,
      input: turn.inputTokens,
      cacheWrite: turn.cacheWriteTokens,
      cacheRead: turn.cacheReadTokens,
      totalInput: turn.totalInputTokens,
      bound: turn.boundTokens,
      output: turn.outputTokens,
      costUsd: Number(turn.costUsd.toFixed(6)),
    })),
    totals: {
      input: figures.totals.inputTokens,
      cacheWrite: figures.totals.cacheWriteTokens,
      cacheRead: figures.totals.cacheReadTokens,
      totalInput: figures.totals.totalInputTokens,
      output: figures.totals.outputTokens,
      costUsd: Number(figures.totals.costUsd.toFixed(6)),
      inputCostUsd: Number(figures.totals.inputCostUsd.toFixed(6)),
    },
    followUpCacheReadShare: Number(figures.followUpReadShare.toFixed(4)),
    cacheReadShare: Number(figures.readShare.toFixed(4)),
  });
  return {
    model: figures.model,
    cacheTtl: figures.cacheTtl,
    historyTokenBudget: figures.historyTokenBudget,
    systemPromptTokens: figures.systemPromptTokens,
    answerChars: ANSWER_CHARS,
    before: run(figures.before),
    after: run(figures.after),
    whatIf: figures.whatIf.map((whatIf) => ({
      settings: whatIf.variant.label,
      followUpCacheReadShare: Number(whatIf.followUpReadShare.toFixed(4)),
      maxTotalInputLast4: whatIf.targets.plateau.maxLast4,
      costUsd: Number(whatIf.totals.costUsd.toFixed(6)),
      inputCostUsd: Number(whatIf.totals.inputCostUsd.toFixed(6)),
    })),
  };
}
