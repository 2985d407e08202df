/**
 * Thread history in one DynamoDB table (see `thread-table.ts` for the table definition).
 *
 * Key attributes `pk` (HASH, string) and `sk` (RANGE, string); numeric TTL attribute `expiresAt`
 * (epoch seconds) on every item.
 *
 * | item        | pk                                | sk                   | other attributes                                              |
 * |-------------|-----------------------------------|----------------------|---------------------------------------------------------------|
 * | thread      | `THREAD#<channelId>#<threadTs>`   | `META`               | teamId, channelId, threadTs, startedBy, createdAt (ISO), expiresAt, usage_* totals, title? |
 * | user turn   | `THREAD#<channelId>#<threadTs>`   | `TURN#<postTs>#1`    | role, postTs, text, userId?, createdAt, expiresAt              |
 * | answer turn | `THREAD#<channelId>#<threadTs>`   | `TURN#<postTs>#2`    | role, postTs, text, createdAt, expiresAt                       |
 * | rate counter | `RATE#<teamId>#<userId>` | `HOUR#<ISO hour>` | requests, expiresAt (an hour after the hour) |
 * | token budget | `BUDGET#<teamId>` | `DAY#<YYYY-MM-DD>` (UTC) | tokens, expiresAt (a day after the day) |
 * | feedback    | `THREAD#<channelId>#<threadTs>`   | `FEEDBACK#<postTs>#<userId>` | teamId, postTs, userId, rating, clickTs, reasons?, comment?, createdAt, expiresAt |
 * | user's thread | `USER#<teamId>#<userId>` | `THREAD#<threadTs>#<channelId>` | teamId, channelId, threadTs, createdAt, expiresAt |
 * | request claim | `POST#<channelId>#<postTs>` or `RETRY#<channelId>#<postTs>#<clickId>` | `CLAIM` | deliveryId, claimedAt, attemptedAt, placeholderTs?, settled?, streamedTs?, expiresAt |
 *
 * Slack `ts` values are fixed width ("1700000000.123456"), so the lexical order of the turn sort keys
 * is the conversation order: each user post, then the answer to it.
 *
 * DynamoDB deletes expired items only eventually (up to days later) and dynalite never does, so every
 * read ignores items whose `expiresAt` <= now, and an expired claim can be claimed again.
 * Access is by GetItem, PutItem, UpdateItem and Query only; never Scan.
 */
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { Role, ThreadRef, Turn } from '../../core/conversation.js';
import { CorruptRecordError, StoreError } from '../../core/errors.js';
import type { AnswerFeedback, UserThreadEntry, UserThreadSummary } from '../../core/feedback.js';
import type { AllowanceDecision, RequestClaim, ThreadStore, ThreadUsage } from '../../core/ports.js';
import { isDynamoDBError } from './dynamodb-error.js';
import { PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE } from './thread-table.js';

const SECONDS_PER_DAY = 86_400;
const META_SORT_KEY = 'META';
const CLAIM_SORT_KEY = 'CLAIM';
const TURN_PREFIX = 'TURN#';
const FEEDBACK_PREFIX = 'FEEDBACK#';
const USER_THREAD_PREFIX = 'THREAD#';
/** The items `forgetThread` deletes: everything in a thread's partition that holds user text but `META`. */
const FORGOTTEN_PREFIXES = [TURN_PREFIX, FEEDBACK_PREFIX] as const;
/** Pages of a user's thread index read before giving up on filling the list (expired entries are skipped). */
const MAX_USER_THREAD_PAGES = 5;
/** BatchWriteItem takes at most 25 requests. */
const BATCH_WRITE_LIMIT = 25;
/** 100 pages of up to 1 MB each: far beyond any real thread, but a loop that always ends. */
const MAX_QUERY_PAGES = 100;

/** The running totals on a thread record, stored as `usage_<name>` numbers. */
const USAGE_COUNTERS = [
  'answers',
  'inputTokens',
  'outputTokens',
  'cacheReadInputTokens',
  'cacheCreationInputTokens',
  'costMicroUsd',
] as const satisfies ReadonlyArray<keyof ThreadUsage>;

const claimItemSchema = z.object({
  placeholderTs: z.optional(z.string()),
  settled: z.optional(z.boolean()),
  streamedTs: z.optional(z.array(z.string())),
});

/** Placeholders shared by every expression below. */
const NAMES = { '#pk': PARTITION_KEY, '#sk': SORT_KEY, '#expiresAt': TTL_ATTRIBUTE } as const;
/** True when the item is absent or expired; `:now` is the current epoch second. */
const ABSENT_OR_EXPIRED = 'attribute_not_exists(#pk) OR #expiresAt <= :now';

const threadItemSchema = z.object({
  [PARTITION_KEY]: z.string(),
  [SORT_KEY]: z.literal(META_SORT_KEY),
  teamId: z.string(),
  channelId: z.string(),
  threadTs: z.string(),
  startedBy: z.string(),
  createdAt: z.string(),
  [TTL_ATTRIBUTE]: z.number(),
});

const turnItemSchema = z
  .object({
    [PARTITION_KEY]: z.string(),
    [SORT_KEY]: z.string(),
    role: z.enum(['user', 'assistant']),
    postTs: z.string().check(z.minLength(1)),
    text: z.string(),
    userId: z.optional(z.string()),
    postedTs: z.optional(z.array(z.string())),
    truncated: z.optional(z.boolean()),
    createdAt: z.string(),
    [TTL_ATTRIBUTE]: z.number(),
  })
  .check(
    z.refine((item) => item[SORT_KEY] === turnSortKey(item.postTs, item.role), {
      message: 'sort key does not match postTs and role',
      path: [SORT_KEY],
    }),
  );

const userThreadItemSchema = z.object({
  teamId: z.string(),
  channelId: z.string(),
  threadTs: z.string(),
  permalink: z.optional(z.string()),
  [TTL_ATTRIBUTE]: z.number(),
});

/** What `DynamoDBThreadStore` needs: an injected DocumentClient, the table, TTLs and a clock. */
export interface DynamoDBThreadStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** How long a thread and its turns live after their last write. Default 30 days. */
  readonly historyTtlDays?: number;
  /** How long a post claim dedupes deliveries. Default 1 day (Slack retries within minutes). */
  readonly claimTtlSeconds?: number;
  /**
   * After how long without an attempt another delivery may take a claim over. Default 15 minutes:
   * longer than any Slack retry (about 5 minutes) and any worker attempt (at most 10 minutes).
   */
  readonly claimStaleAfterSeconds?: number;
  /** The clock; injectable for tests. */
  readonly now?: () => Date;
}

/** `ThreadStore` on a single DynamoDB table, through an injected DocumentClient. */
export class DynamoDBThreadStore implements ThreadStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #historyTtlSeconds: number;
  readonly #claimTtlSeconds: number;
  readonly #claimStaleAfterSeconds: number;
  readonly #now: () => Date;

  constructor(options: DynamoDBThreadStoreOptions) {
    const historyTtlDays = options.historyTtlDays ?? 30;
    const claimTtlSeconds = options.claimTtlSeconds ?? SECONDS_PER_DAY;
    if (!(historyTtlDays > 0) || !(claimTtlSeconds > 0)) {
      throw new RangeError('historyTtlDays and claimTtlSeconds must be positive');
    }
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#historyTtlSeconds = Math.round(historyTtlDays * SECONDS_PER_DAY);
    this.#claimTtlSeconds = Math.round(claimTtlSeconds);
    this.#claimStaleAfterSeconds = Math.round(options.claimStaleAfterSeconds ?? 900);
    this.#now = options.now ?? (() => new Date());
  }

  async claimThread(thread: ThreadRef, startedBy: string): Promise<void> {
    if (await this.startThread(thread, startedBy)) return;
    const now = this.#now();
    const expiresAt = epochSeconds(now) + this.#historyTtlSeconds;
    const pk = threadPartitionKey(thread.channelId, thread.threadTs);
    // ... a live one keeps its first startedBy/createdAt and only lives longer. The if_not_exists
    // terms keep the record whole should it vanish between the two calls.
    await this.#call('claimThread', 'UpdateItem', () =>
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { [PARTITION_KEY]: pk, [SORT_KEY]: META_SORT_KEY },
          UpdateExpression:
            'SET #expiresAt = :expiresAt, teamId = if_not_exists(teamId, :teamId), ' +
            'channelId = if_not_exists(channelId, :channelId), threadTs = if_not_exists(threadTs, :threadTs), ' +
            'startedBy = if_not_exists(startedBy, :startedBy), createdAt = if_not_exists(createdAt, :createdAt)',
          ExpressionAttributeNames: { '#expiresAt': NAMES['#expiresAt'] },
          ExpressionAttributeValues: {
            ':expiresAt': expiresAt,
            ':teamId': thread.teamId,
            ':channelId': thread.channelId,
            ':threadTs': thread.threadTs,
            ':startedBy': startedBy,
            ':createdAt': now.toISOString(),
          },
        }),
      ),
    );
  }

  /** Creates the thread record unless a live one exists (one conditional write); true when created. */
  async startThread(thread: ThreadRef, startedBy: string): Promise<boolean> {
    const now = this.#now();
    const nowSeconds = epochSeconds(now);
    const expiresAt = nowSeconds + this.#historyTtlSeconds;
    const pk = threadPartitionKey(thread.channelId, thread.threadTs);
    return this.#conditionalWrite('startThread', 'PutItem', () =>
      this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: {
            [PARTITION_KEY]: pk,
            [SORT_KEY]: META_SORT_KEY,
            teamId: thread.teamId,
            channelId: thread.channelId,
            threadTs: thread.threadTs,
            startedBy,
            createdAt: now.toISOString(),
            [TTL_ATTRIBUTE]: expiresAt,
          },
          ConditionExpression: ABSENT_OR_EXPIRED,
          ExpressionAttributeNames: { '#pk': NAMES['#pk'], '#expiresAt': NAMES['#expiresAt'] },
          ExpressionAttributeValues: { ':now': nowSeconds },
        }),
      ),
    );
  }

  async isThreadKnown(channelId: string, threadTs: string): Promise<boolean> {
    const key = { [PARTITION_KEY]: threadPartitionKey(channelId, threadTs), [SORT_KEY]: META_SORT_KEY };
    const { Item } = await this.#call('isThreadKnown', 'GetItem', () =>
      this.#client.send(new GetCommand({ TableName: this.#tableName, Key: key, ConsistentRead: true })),
    );
    if (Item === undefined) {
      return false;
    }
    const parsed = threadItemSchema.safeParse(Item);
    if (!parsed.success) {
      throw this.#corrupt('thread', Item, parsed.error);
    }
    return parsed.data[TTL_ATTRIBUTE] > epochSeconds(this.#now());
  }

  async claimRequest(requestKey: string, deliveryId: string): Promise<RequestClaim | null> {
    const now = this.#now();
    const nowSeconds = epochSeconds(now);
    let attributes: Record<string, unknown> | undefined;
    const claimed = await this.#conditionalWrite('claimRequest', 'UpdateItem', async () => {
      const output = await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { [PARTITION_KEY]: requestKey, [SORT_KEY]: CLAIM_SORT_KEY },
          // The same delivery may claim again (a queue redelivery). Another delivery is a duplicate
          // while the claim is in use; one that comes after a long silence (an operator redriving a
          // job from the dead-letter queue) takes over, with what was already posted.
          UpdateExpression:
            'SET deliveryId = :deliveryId, claimedAt = if_not_exists(claimedAt, :claimedAt), ' +
            'attemptedAt = :attemptedAt, #expiresAt = :expiresAt',
          ConditionExpression: `${ABSENT_OR_EXPIRED} OR deliveryId = :deliveryId OR attemptedAt < :staleBefore`,
          ExpressionAttributeNames: { '#pk': NAMES['#pk'], '#expiresAt': NAMES['#expiresAt'] },
          ExpressionAttributeValues: {
            ':now': nowSeconds,
            ':deliveryId': deliveryId,
            ':claimedAt': now.toISOString(),
            ':attemptedAt': nowSeconds,
            ':staleBefore': nowSeconds - this.#claimStaleAfterSeconds,
            ':expiresAt': nowSeconds + this.#claimTtlSeconds,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      attributes = output.Attributes;
    });
    if (!claimed) return null;
    const parsed = claimItemSchema.safeParse(attributes ?? {});
    if (!parsed.success) throw this.#corrupt('claim', attributes ?? {}, parsed.error);
    const { placeholderTs, settled, streamedTs } = parsed.data;
    return {
      ...(placeholderTs ? { placeholderTs } : {}),
      ...(settled ? { settled } : {}),
      ...(streamedTs && streamedTs.length > 0 ? { streamedTs } : {}),
    };
  }

  async recordRequestProgress(requestKey: string, progress: RequestClaim): Promise<void> {
    const fields = Object.entries(progress).filter(([, value]) => value !== undefined);
    if (fields.length === 0) return;
    await this.#call('recordRequestProgress', 'UpdateItem', () =>
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { [PARTITION_KEY]: requestKey, [SORT_KEY]: CLAIM_SORT_KEY },
          UpdateExpression: `SET ${fields.map(([name]) => `${name} = :${name}`).join(', ')}`,
          ExpressionAttributeValues: Object.fromEntries(fields.map(([name, value]) => [`:${name}`, value])),
        }),
      ),
    );
  }

  async appendTurn(thread: ThreadRef, turn: Turn): Promise<void> {
    const now = this.#now();
    const nowSeconds = epochSeconds(now);
    const expiresAt = nowSeconds + this.#historyTtlSeconds;
    const pk = threadPartitionKey(thread.channelId, thread.threadTs);
    await Promise.all([
      // The key is derived from (postTs, role), so a second write of the same turn replaces the first.
      this.#call('appendTurn', 'PutItem', () =>
        this.#client.send(
          new PutCommand({
            TableName: this.#tableName,
            Item: {
              [PARTITION_KEY]: pk,
              [SORT_KEY]: turnSortKey(turn.postTs, turn.role),
              role: turn.role,
              postTs: turn.postTs,
              text: turn.text,
              ...(turn.userId === undefined ? {} : { userId: turn.userId }),
              ...(turn.truncated ? { truncated: true } : {}),
              createdAt: now.toISOString(),
              [TTL_ATTRIBUTE]: expiresAt,
            },
          }),
        ),
      ),
      // Keep a live thread's record at least as long-lived as its newest turn; never create or revive one.
      this.#conditionalWrite('appendTurn', 'UpdateItem', () =>
        this.#client.send(
          new UpdateCommand({
            TableName: this.#tableName,
            Key: { [PARTITION_KEY]: pk, [SORT_KEY]: META_SORT_KEY },
            UpdateExpression: 'SET #expiresAt = :expiresAt',
            ConditionExpression: 'attribute_exists(#pk) AND #expiresAt > :now AND #expiresAt < :expiresAt',
            ExpressionAttributeNames: { '#pk': NAMES['#pk'], '#expiresAt': NAMES['#expiresAt'] },
            ExpressionAttributeValues: { ':now': nowSeconds, ':expiresAt': expiresAt },
          }),
        ),
      ),
    ]);
  }

  async recordPostedPart(thread: ThreadRef, postTs: string, index: number, messageTs: string): Promise<void> {
    // Appends only as part `index`: a repeated record of the same part is a no-op, never a second entry.
    await this.#conditionalWrite('recordPostedPart', 'UpdateItem', () =>
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: {
            [PARTITION_KEY]: threadPartitionKey(thread.channelId, thread.threadTs),
            [SORT_KEY]: turnSortKey(postTs, 'assistant'),
          },
          UpdateExpression: 'SET postedTs = list_append(if_not_exists(postedTs, :empty), :ts)',
          ConditionExpression:
            index === 0
              ? 'attribute_exists(#pk) AND attribute_not_exists(postedTs)'
              : 'attribute_exists(#pk) AND size(postedTs) = :index',
          ExpressionAttributeNames: { '#pk': NAMES['#pk'] },
          ExpressionAttributeValues: {
            ':empty': [],
            ':ts': [messageTs],
            ...(index === 0 ? {} : { ':index': index }),
          },
        }),
      ),
    );
  }

  async addThreadUsage(thread: ThreadRef, usage: ThreadUsage): Promise<void> {
    const counters = USAGE_COUNTERS.map((name) => [name, Math.max(0, Math.round(usage[name]))] as const);
    // ADD keeps concurrent answers' totals exact; only a live thread record is counted on, never created.
    await this.#conditionalWrite('addThreadUsage', 'UpdateItem', () =>
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: {
            [PARTITION_KEY]: threadPartitionKey(thread.channelId, thread.threadTs),
            [SORT_KEY]: META_SORT_KEY,
          },
          UpdateExpression: `ADD ${counters.map(([name]) => `usage_${name} :${name}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': NAMES['#pk'] },
          ExpressionAttributeValues: Object.fromEntries(counters.map(([name, value]) => [`:${name}`, value])),
        }),
      ),
    );
  }

  async threadUsage(thread: ThreadRef): Promise<ThreadUsage | null> {
    const key = {
      [PARTITION_KEY]: threadPartitionKey(thread.channelId, thread.threadTs),
      [SORT_KEY]: META_SORT_KEY,
    };
    const { Item } = await this.#call('threadUsage', 'GetItem', () =>
      this.#client.send(new GetCommand({ TableName: this.#tableName, Key: key, ConsistentRead: true })),
    );
    if (!Item || !(Number(Item[TTL_ATTRIBUTE]) > epochSeconds(this.#now()))) return null;
    const totals = Object.fromEntries(
      USAGE_COUNTERS.map((name) => [name, Number(Item[`usage_${name}`] ?? 0)]),
    );
    return totals as unknown as ThreadUsage;
  }

  async forgetThread(thread: ThreadRef): Promise<number> {
    const pk = threadPartitionKey(thread.channelId, thread.threadTs);
    const [turnKeys, feedbackKeys] = await Promise.all(
      FORGOTTEN_PREFIXES.map((prefix) => this.#keysWithPrefix(pk, prefix)),
    );
    const keys = [...(turnKeys ?? []), ...(feedbackKeys ?? [])];
    for (let start = 0; start < keys.length; start += BATCH_WRITE_LIMIT) {
      await this.#deleteAll(keys.slice(start, start + BATCH_WRITE_LIMIT));
    }
    // The title is the first line of the request: user text too.
    await this.#conditionalWrite('forgetThread', 'UpdateItem', () =>
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { [PARTITION_KEY]: pk, [SORT_KEY]: META_SORT_KEY },
          UpdateExpression: 'REMOVE title',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': NAMES['#pk'] },
        }),
      ),
    );
    return turnKeys?.length ?? 0;
  }

  /** The keys of every item of partition `pk` whose sort key starts with `prefix`. */
  async #keysWithPrefix(pk: string, prefix: string): Promise<Array<Record<string, unknown>>> {
    const keys: Array<Record<string, unknown>> = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    for (let page = 0; page < MAX_QUERY_PAGES; page++) {
      const output = await this.#call('forgetThread', 'Query', () =>
        this.#client.send(
          new QueryCommand({
            TableName: this.#tableName,
            KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
            ProjectionExpression: '#pk, #sk',
            ExpressionAttributeNames: { '#pk': NAMES['#pk'], '#sk': NAMES['#sk'] },
            ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
            ConsistentRead: true,
            ExclusiveStartKey: exclusiveStartKey,
          }),
        ),
      );
      keys.push(...(output.Items ?? []));
      exclusiveStartKey = output.LastEvaluatedKey;
      if (!exclusiveStartKey) break;
    }
    return keys;
  }

  async recordFeedback(feedback: AnswerFeedback): Promise<boolean> {
    const now = this.#now();
    const nowSeconds = epochSeconds(now);
    const { thread } = feedback;
    // One item per user and answer: a Put replaces it whole, unless a later click is stored already
    // (Slack ts values are fixed width, so string order is time order).
    return this.#conditionalWrite('recordFeedback', 'PutItem', () =>
      this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: {
            [PARTITION_KEY]: threadPartitionKey(thread.channelId, thread.threadTs),
            [SORT_KEY]: `${FEEDBACK_PREFIX}${feedback.postTs}#${feedback.userId}`,
            teamId: thread.teamId,
            postTs: feedback.postTs,
            userId: feedback.userId,
            rating: feedback.rating,
            clickTs: feedback.clickTs,
            ...(feedback.reasons && feedback.reasons.length > 0 ? { reasons: [...feedback.reasons] } : {}),
            ...(feedback.comment ? { comment: feedback.comment } : {}),
            createdAt: now.toISOString(),
            [TTL_ATTRIBUTE]: nowSeconds + this.#historyTtlSeconds,
          },
          ConditionExpression: `${ABSENT_OR_EXPIRED} OR clickTs <= :clickTs`,
          ExpressionAttributeNames: { '#pk': NAMES['#pk'], '#expiresAt': NAMES['#expiresAt'] },
          ExpressionAttributeValues: { ':now': nowSeconds, ':clickTs': feedback.clickTs },
        }),
      ),
    );
  }

  async recordUserThread(thread: ThreadRef, userId: string, entry: UserThreadEntry): Promise<void> {
    const now = this.#now();
    const nowSeconds = epochSeconds(now);
    const pk = threadPartitionKey(thread.channelId, thread.threadTs);
    await Promise.all([
      this.#call('recordUserThread', 'PutItem', () =>
        this.#client.send(
          new PutCommand({
            TableName: this.#tableName,
            Item: {
              [PARTITION_KEY]: userThreadsPartitionKey(thread.teamId, userId),
              [SORT_KEY]: `${USER_THREAD_PREFIX}${thread.threadTs}#${thread.channelId}`,
              teamId: thread.teamId,
              channelId: thread.channelId,
              threadTs: thread.threadTs,
              ...(entry.permalink ? { permalink: entry.permalink } : {}),
              createdAt: now.toISOString(),
              [TTL_ATTRIBUTE]: nowSeconds + this.#historyTtlSeconds,
            },
          }),
        ),
      ),
      // The first request names the thread; later ones (a mention by someone else) keep that name.
      this.#conditionalWrite('recordUserThread', 'UpdateItem', () =>
        this.#client.send(
          new UpdateCommand({
            TableName: this.#tableName,
            Key: { [PARTITION_KEY]: pk, [SORT_KEY]: META_SORT_KEY },
            UpdateExpression: 'SET title = if_not_exists(title, :title)',
            ConditionExpression: 'attribute_exists(#pk) AND #expiresAt > :now',
            ExpressionAttributeNames: { '#pk': NAMES['#pk'], '#expiresAt': NAMES['#expiresAt'] },
            ExpressionAttributeValues: { ':title': entry.title, ':now': nowSeconds },
          }),
        ),
      ),
    ]);
  }

  async recentUserThreads(teamId: string, userId: string, limit: number): Promise<UserThreadSummary[]> {
    const nowSeconds = epochSeconds(this.#now());
    const entries: Array<z.infer<typeof userThreadItemSchema>> = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    for (let page = 0; page < MAX_USER_THREAD_PAGES && entries.length < limit; page++) {
      const output = await this.#call('recentUserThreads', 'Query', () =>
        this.#client.send(
          new QueryCommand({
            TableName: this.#tableName,
            KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
            FilterExpression: '#expiresAt > :now',
            ExpressionAttributeNames: NAMES,
            ExpressionAttributeValues: {
              ':pk': userThreadsPartitionKey(teamId, userId),
              ':prefix': USER_THREAD_PREFIX,
              ':now': nowSeconds,
            },
            ScanIndexForward: false,
            Limit: limit,
            ExclusiveStartKey: exclusiveStartKey,
          }),
        ),
      );
      for (const item of output.Items ?? []) {
        const parsed = userThreadItemSchema.safeParse(item);
        if (!parsed.success) throw this.#corrupt("user's thread", item, parsed.error);
        entries.push(parsed.data);
      }
      exclusiveStartKey = output.LastEvaluatedKey;
      if (!exclusiveStartKey) break;
    }
    const summaries = await Promise.all(
      entries
        .slice(0, limit)
        .map((entry) =>
          this.#threadSummary(
            { teamId: entry.teamId, channelId: entry.channelId, threadTs: entry.threadTs },
            entry.permalink,
          ),
        ),
    );
    return summaries.filter((summary) => summary !== null);
  }

  /** The thread's title and totals from its record; null when the record is gone or expired. */
  async #threadSummary(thread: ThreadRef, permalink: string | undefined): Promise<UserThreadSummary | null> {
    const key = {
      [PARTITION_KEY]: threadPartitionKey(thread.channelId, thread.threadTs),
      [SORT_KEY]: META_SORT_KEY,
    };
    const { Item } = await this.#call('recentUserThreads', 'GetItem', () =>
      this.#client.send(new GetCommand({ TableName: this.#tableName, Key: key })),
    );
    if (!Item || !(Number(Item[TTL_ATTRIBUTE]) > epochSeconds(this.#now()))) return null;
    return {
      thread,
      ...(typeof Item.title === 'string' && Item.title !== '' ? { title: Item.title } : {}),
      ...(permalink ? { permalink } : {}),
      answers: Number(Item.usage_answers ?? 0),
      costMicroUsd: Number(Item.usage_costMicroUsd ?? 0),
    };
  }

  /** Deletes up to 25 items, retrying what DynamoDB leaves unprocessed a bounded number of times. */
  async #deleteAll(keys: Array<Record<string, unknown>>): Promise<void> {
    let requests = keys.map((key) => ({ DeleteRequest: { Key: key } }));
    for (let attempt = 0; attempt < 5 && requests.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const output = await this.#call('forgetThread', 'BatchWriteItem', () =>
        this.#client.send(new BatchWriteCommand({ RequestItems: { [this.#tableName]: requests } })),
      );
      requests = (output.UnprocessedItems?.[this.#tableName] ?? []) as typeof requests;
    }
    if (requests.length > 0) {
      throw new StoreError(
        `forgetThread: DynamoDB left ${requests.length} deletes unprocessed on ${this.#tableName}`,
      );
    }
  }

  async countUserRequest(teamId: string, userId: string, limit: number): Promise<AllowanceDecision> {
    const now = this.#now();
    const hourStart = new Date(now);
    hourStart.setUTCMinutes(0, 0, 0);
    const resetsAt = new Date(hourStart.getTime() + 3_600_000);
    const allowed = await this.#conditionalWrite('countUserRequest', 'UpdateItem', () =>
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { [PARTITION_KEY]: `RATE#${teamId}#${userId}`, [SORT_KEY]: `HOUR#${hourStart.toISOString()}` },
          UpdateExpression: 'ADD requests :one SET #expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(requests) OR requests < :limit',
          ExpressionAttributeNames: { '#expiresAt': NAMES['#expiresAt'] },
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': limit,
            ':expiresAt': epochSeconds(resetsAt) + 3_600,
          },
        }),
      ),
    );
    return { allowed, resetsAt };
  }

  async workspaceTokensToday(teamId: string): Promise<number> {
    const { Item } = await this.#call('workspaceTokensToday', 'GetItem', () =>
      this.#client.send(
        new GetCommand({ TableName: this.#tableName, Key: this.#budgetKey(teamId), ConsistentRead: true }),
      ),
    );
    return Number(Item?.tokens ?? 0);
  }

  async addWorkspaceTokens(teamId: string, tokens: number): Promise<void> {
    const dayEnd = new Date(this.#now());
    dayEnd.setUTCHours(24, 0, 0, 0);
    await this.#call('addWorkspaceTokens', 'UpdateItem', () =>
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: this.#budgetKey(teamId),
          UpdateExpression: 'ADD tokens :tokens SET #expiresAt = :expiresAt',
          ExpressionAttributeNames: { '#expiresAt': NAMES['#expiresAt'] },
          ExpressionAttributeValues: {
            ':tokens': Math.max(0, Math.round(tokens)),
            ':expiresAt': epochSeconds(dayEnd) + 86_400,
          },
        }),
      ),
    );
  }

  /** One counter a workspace and UTC day. */
  #budgetKey(teamId: string): Record<string, string> {
    return {
      [PARTITION_KEY]: `BUDGET#${teamId}`,
      [SORT_KEY]: `DAY#${this.#now().toISOString().slice(0, 10)}`,
    };
  }

  async listTurns(thread: ThreadRef): Promise<Turn[]> {
    const nowSeconds = epochSeconds(this.#now());
    const items: Record<string, unknown>[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    for (let page = 0; page < MAX_QUERY_PAGES; page++) {
      const output = await this.#call('listTurns', 'Query', () =>
        this.#client.send(
          new QueryCommand({
            TableName: this.#tableName,
            KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :turnPrefix)',
            FilterExpression: '#expiresAt > :now',
            ExpressionAttributeNames: NAMES,
            ExpressionAttributeValues: {
              ':pk': threadPartitionKey(thread.channelId, thread.threadTs),
              ':turnPrefix': TURN_PREFIX,
              ':now': nowSeconds,
            },
            ScanIndexForward: true,
            ConsistentRead: true,
            ExclusiveStartKey: exclusiveStartKey,
          }),
        ),
      );
      items.push(...(output.Items ?? []));
      exclusiveStartKey = output.LastEvaluatedKey;
      if (exclusiveStartKey === undefined) {
        return items.map((item) => this.#toTurn(item));
      }
    }
    throw new StoreError(
      `DynamoDB Query for listTurns on table ${this.#tableName} returned more than ${MAX_QUERY_PAGES} pages`,
    );
  }

  #toTurn(item: Record<string, unknown>): Turn {
    const parsed = turnItemSchema.safeParse(item);
    if (!parsed.success) {
      throw this.#corrupt('turn', item, parsed.error);
    }
    const { role, postTs, text, userId, postedTs, truncated } = parsed.data;
    return {
      role,
      postTs,
      text,
      ...(userId === undefined ? {} : { userId }),
      ...(postedTs === undefined ? {} : { postedTs }),
      ...(truncated ? { truncated } : {}),
    };
  }

  /** Names the item by its key and the failing fields only: never its contents. */
  #corrupt(kind: string, item: Record<string, unknown>, error: z.core.$ZodError): CorruptRecordError {
    const fields = [...new Set(error.issues.map((issue) => issue.path.join('.') || '(item)'))].join(', ');
    return new CorruptRecordError(
      `Corrupt ${kind} item (${PARTITION_KEY}=${String(item[PARTITION_KEY])}, ${SORT_KEY}=${String(item[SORT_KEY])}) ` +
        `in table ${this.#tableName}: bad ${fields}`,
      { cause: error },
    );
  }

  async #call<T>(method: string, operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.#storeError(method, operation, error);
    }
  }

  /** Resolves false when the write's condition did not hold, true when it was written. */
  async #conditionalWrite(method: string, operation: string, run: () => Promise<unknown>): Promise<boolean> {
    try {
      await run();
      return true;
    } catch (error) {
      if (isDynamoDBError(error, 'ConditionalCheckFailedException')) {
        return false;
      }
      throw this.#storeError(method, operation, error);
    }
  }

  #storeError(method: string, operation: string, error: unknown): StoreError {
    const reason = error instanceof Error ? ` (${error.name})` : '';
    return new StoreError(`${method}: DynamoDB ${operation} on table ${this.#tableName} failed${reason}`, {
      cause: error,
    });
  }
}

function threadPartitionKey(channelId: string, threadTs: string): string {
  return `THREAD#${channelId}#${threadTs}`;
}

function userThreadsPartitionKey(teamId: string, userId: string): string {
  return `USER#${teamId}#${userId}`;
}

function turnSortKey(postTs: string, role: Role): string {
  return `${TURN_PREFIX}${postTs}#${role === 'user' ? 1 : 2}`;
}

function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
