import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DESIGN_SECTION_HEADINGS } from '../../src/core/architect-prompt.js';
import {
  deliverablesIn,
  isFullDesignRequest,
  missingDeliverables,
  missingSectionsInstruction,
} from '../../src/core/design-completeness.js';

function answer(name: string): string {
  return readFileSync(new URL(`../fixtures/design-answers/${name}.md`, import.meta.url), 'utf8');
}

describe('isFullDesignRequest', () => {
  it.each([
    'design a shopping cart service for our e-commerce platform',
    'Design a URL shortener',
    'I need to create an authentication service for our application',
    'We need to add a shopping cart feature to our e-commerce platform',
    'can you architect a multi-tenant billing platform? ~5k tenants, Postgres shop',
    'How would you build a notification system that fans out to email, SMS and push?',
    'we need a backend for a ride-sharing app, 50k drivers',
    'Design the backend and API for a food delivery app',
    'design a rate limiter for our public API',
    "what's a good design for a URL shortener?",
    'Build an authentication service with SSO and MFA',
  ])('is true for the first request "%s"', (text) => {
    expect(isFullDesignRequest({ kind: 'request', text })).toBe(true);
  });

  it.each([
    ['a narrow question', 'which index for orders by customer and date?'],
    ['a choice between two tools', 'Kafka or SQS for this?'],
    [
      'a choice phrased around a design verb',
      'for the cart service, should we build on Postgres or DynamoDB?',
    ],
    ['a partitioning question', 'how should we partition the orders table?'],
    ['a design of one part', 'design the schema for a cart service'],
    ['an API only', 'Design the REST API for our existing inventory service'],
    ['a data model only', 'can you design the data model of our cart service?'],
    ['an index to add', 'create an index on orders.customer_id please'],
    ['a review', 'please review this design: we have one Postgres and three services …'],
    ['chat', 'thanks, that helps!'],
    ['a plea for help', 'we need help with consumer lag on our Kafka cluster'],
    ['a feature of an existing API', 'how do I add pagination to GET /orders?'],
    ['one concern to implement', 'implement rate limiting on our public API'],
    ['one layer of a system', 'design a caching layer for the product API'],
    ['an empty text', '   '],
  ])('is false for %s', (_case, text) => {
    expect(isFullDesignRequest({ kind: 'request', text })).toBe(false);
  });

  it('is false for a follow-up, even one phrased as a design ask', () => {
    expect(isFullDesignRequest({ kind: 'follow-up', text: 'now design a search service for it too' })).toBe(
      false,
    );
  });
});

describe('deliverablesIn', () => {
  it.each([
    ['the exact headings', 'complete-canonical'],
    ['numbered, emoji, bold and upper-case headings with other words', 'complete-unusual-headings'],
    ['headings that name none of them, by content', 'complete-by-content'],
  ])('finds all five deliverables with %s', (_case, fixture) => {
    expect(deliverablesIn(answer(fixture))).toEqual([...DESIGN_SECTION_HEADINGS]);
  });

  it.each([
    [
      'missing-scalability',
      ['API Endpoints', 'Service Architecture', 'Database Schema', 'Technology Recommendations'],
    ],
    ['missing-schema-and-tech', ['API Endpoints', 'Service Architecture', 'Scalability Analysis']],
    ['clarifying-question', []],
    ['narrow-index-answer', []],
  ])('finds only what %s has', (fixture, expected) => {
    expect(deliverablesIn(answer(fixture))).toEqual(expected);
  });

  it('counts a mermaid fence as the architecture diagram whatever the heading says', () => {
    const text = '## Overview\n\n```mermaid\nflowchart LR\n  a["A"] --> b["B"]\n```';
    expect(deliverablesIn(text)).toEqual(['Service Architecture']);
  });

  it('counts a column and type table as the schema', () => {
    const text = '## Items\n\n| Column | Type | Notes |\n|---|---|---|\n| `id` | `uuid` | primary key |';
    expect(deliverablesIn(text)).toEqual(['Database Schema']);
  });

  it('counts a key-value design with partition and sort keys as the schema', () => {
    const text = '## Keys\n\n| PK | SK | Attributes |\n|---|---|---|\n| `USER#<id>` | `CART` | items |';
    expect(deliverablesIn(text)).toEqual(['Database Schema']);
  });

  it('does not take headings inside code fences for sections', () => {
    const text = 'Here is a template:\n\n```markdown\n## API Endpoints\n## Database Schema\n```';
    expect(deliverablesIn(text)).toEqual([]);
  });

  it('does not take a level-4 heading or a bold phrase inside a sentence for a section', () => {
    const text = '#### Database Schema\n\nThe **scalability analysis** comes later.';
    expect(deliverablesIn(text)).toEqual([]);
  });

  it('needs two signs of scalability in the prose, not one passing word', () => {
    expect(deliverablesIn('The only bottleneck is the vendor.')).toEqual([]);
    expect(deliverablesIn('The only bottleneck is the vendor; scale out horizontally past it.')).toEqual([
      'Scalability Analysis',
    ]);
  });
});

describe('missingDeliverables', () => {
  const designRequest = { kind: 'request' as const, text: 'design a shopping cart service' };

  it('names the sections a design answer left out, in the prompt order', () => {
    expect(missingDeliverables(designRequest, answer('missing-schema-and-tech'))).toEqual([
      'Database Schema',
      'Technology Recommendations',
    ]);
    expect(missingDeliverables(designRequest, answer('missing-scalability'))).toEqual([
      'Scalability Analysis',
    ]);
  });

  it.each([
    ['a complete design', designRequest, 'complete-canonical'],
    ['a complete design with unusual headings', designRequest, 'complete-unusual-headings'],
    [
      'a clarifying question back from the model',
      { kind: 'request' as const, text: 'design a backend' },
      'clarifying-question',
    ],
    ['a narrow answer to a design request', designRequest, 'narrow-index-answer'],
    [
      'a follow-up',
      { kind: 'follow-up' as const, text: 'design a shopping cart service' },
      'missing-scalability',
    ],
    [
      'a narrow question',
      { kind: 'request' as const, text: 'which index for carts by user?' },
      'missing-scalability',
    ],
  ])('is empty for %s', (_case, request, fixture) => {
    expect(missingDeliverables(request, answer(fixture))).toEqual([]);
  });

  it('is empty for an answer with a single deliverable (a focused answer, not a design)', () => {
    expect(
      missingDeliverables(designRequest, '## API Endpoints\n\n- `POST /v1/carts` creates a cart.'),
    ).toEqual([]);
  });
});

describe('missingSectionsInstruction', () => {
  it('names each missing heading exactly and asks for those only', () => {
    const text = missingSectionsInstruction(['Database Schema', 'Scalability Analysis']);

    expect(text).toContain('`## Database Schema`, `## Scalability Analysis`');
    expect(text).not.toContain('API Endpoints');
    expect(text).toMatch(/only/i);
    expect(text).toMatch(/do not repeat/i);
  });
});
