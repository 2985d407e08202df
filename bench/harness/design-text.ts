// Deterministic stand-ins for the long Markdown designs the model writes: the five sections the system
// prompt asks for, with prose, tables and code, different for every turn, about `targetChars` long.

import { DESIGN_SECTION_HEADINGS } from '../../src/core/architect-prompt.js';

/** A small deterministic generator (mulberry32), so every run sends the same bytes. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SUBJECTS = [
  'The ledger service',
  'The posting API',
  'Each account partition',
  'The outbox relay',
  'The balance projector',
  'The reconciliation job',
  'The idempotency table',
  'The read replica in each region',
  'The audit archive',
  'The currency conversion step',
  'The rate limiter in front of the API',
  'The settlement worker',
];
const VERBS = [
  'writes',
  'reads',
  'batches',
  'validates',
  'replays',
  'partitions',
  'checksums',
  'streams',
  'locks',
  'compacts',
];
const OBJECTS = [
  'every journal entry in one transaction',
  'the postings of one account in sequence order',
  'balance snapshots every 10,000 entries',
  'outbound events to the message bus',
  'idempotency keys for 24 hours',
  'the audit trail into object storage with a 7-year retention lock',
  'currency amounts as integer minor units',
  'per-tenant quotas from the configuration service',
  'cross-region replication lag as a metric',
  'the double-entry invariant before commit',
];
const REASONS = [
  'so a retried request can never post twice',
  'which keeps the hot path to a single round trip',
  'because the balance must be exact at every read',
  'so one busy tenant cannot starve the others',
  'which lets the auditors replay any day from the archive',
  'so a regional outage degrades reads, never writes',
  'which bounds recovery time after a crash to minutes',
  'because the regulator asks for immutable history',
  'so the p99 stays under 50 ms at 5,000 writes per second',
  'which makes the schema easy to shard later',
];
const TECHNOLOGIES = [
  ['PostgreSQL 16', 'primary ledger store', 'serializable per account, mature tooling'],
  ['Kafka', 'event bus', 'ordered per partition, replayable'],
  ['Redis', 'idempotency and rate limits', 'sub-millisecond, TTL built in'],
  ['S3 Object Lock', 'audit archive', 'WORM retention for 7 years'],
  ['Envoy', 'edge proxy', 'mTLS, retries with budgets'],
  ['OpenTelemetry', 'tracing', 'vendor-neutral, one SDK'],
  ['Debezium', 'change data capture', 'outbox without dual writes'],
  ['ClickHouse', 'reporting', 'columnar scans over billions of rows'],
];

/** One English sentence about the design, ending in a full stop. */
function sentence(random: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  return `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)}, ${pick(REASONS)}.`;
}

function paragraph(random: () => number, topic: string): string {
  const count = 3 + Math.floor(random() * 3);
  const sentences = Array.from({ length: count }, () => sentence(random));
  return `Regarding ${topic}: ${sentences.join(' ')}`;
}

function endpointTable(random: () => number, turn: number): string {
  const rows = ['| Method | Path | Purpose | p99 target |', '|---|---|---|---|'];
  const paths = ['accounts', 'postings', 'balances', 'transfers', 'statements', 'holds', 'reversals'];
  for (const [index, path] of paths.entries()) {
    const method = index % 3 === 0 ? 'POST' : 'GET';
    const target = 20 + Math.floor(random() * 80);
    rows.push(`| ${method} | /v${1 + (turn % 2)}/${path}/{id} | ${path} of one account | ${target} ms |`);
  }
  return rows.join('\n');
}

function schemaBlock(random: () => number, turn: number): string {
  const columns = [
    'id BIGINT PRIMARY KEY',
    'account_id BIGINT NOT NULL',
    'amount_minor BIGINT NOT NULL',
    'currency CHAR(3) NOT NULL',
    `sequence_no BIGINT NOT NULL -- turn ${turn}`,
    'idempotency_key TEXT NOT NULL',
    'created_at TIMESTAMPTZ NOT NULL DEFAULT now()',
  ];
  const table = `postings_t${turn}_${Math.floor(random() * 1000)}`;
  return [
    '```sql',
    `CREATE TABLE ${table} (`,
    columns.map((column) => `  ${column}`).join(',\n'),
    ');',
    `CREATE UNIQUE INDEX ${table}_idem ON ${table} (account_id, idempotency_key);`,
    '```',
  ].join('\n');
}

function technologyTable(random: () => number): string {
  const rows = ['| Technology | Role | Why |', '|---|---|---|'];
  for (const [name, role, why] of TECHNOLOGIES) {
    if (random() < 0.8) rows.push(`| ${name} | ${role} | ${why} |`);
  }
  return rows.join('\n');
}

/**
 * A full design answer for `turn` (1 = the first request), about `targetChars` characters: the five
 * `##` sections in order, repeated with new prose until the length is reached.
 */
export function designAnswer(turn: number, topic: string, targetChars: number): string {
  const random = generator(0x5eed + turn * 7919);
  const parts: string[] = [`# Design, turn ${turn}: ${topic}`];
  let length = parts[0]?.length ?? 0;
  const add = (text: string) => {
    parts.push(text);
    length += text.length + 2;
  };
  for (let round = 1; length < targetChars && round <= 100; round += 1) {
    for (const heading of DESIGN_SECTION_HEADINGS) {
      if (length >= targetChars) break;
      add(`## ${heading}${round > 1 ? ` (part ${round})` : ''}`);
      add(paragraph(random, topic));
      if (heading === 'API Endpoints') add(endpointTable(random, turn));
      if (heading === 'Database Schema') add(schemaBlock(random, turn));
      if (heading === 'Technology Recommendations') add(technologyTable(random));
      add(paragraph(random, heading.toLowerCase()));
    }
  }
  return parts.join('\n\n');
}
