import { describe, expect, it } from 'vitest';
import type { Turn } from '../../src/core/conversation.js';
import { designDocument, designTitle, MAX_TITLE_CHARS } from '../../src/core/design-document.js';

const ts = (n: number) => `1700000000.${String(n).padStart(6, '0')}`;
const user = (n: number, text: string): Turn => ({ role: 'user', postTs: ts(n), text, userId: 'U1' });
const answer = (n: number, text: string, extra: Partial<Turn> = {}): Turn => ({
  role: 'assistant',
  postTs: ts(n),
  text,
  ...extra,
});

const FIRST_DESIGN = [
  '## API Endpoints',
  '`POST /v1/carts`',
  '### Errors',
  '```sql',
  '# not a heading inside a fence',
  'CREATE TABLE carts (id uuid);',
  '```',
  '#### Deep detail',
].join('\n');

describe('designDocument', () => {
  it('puts the first answer whole under Design, then each follow-up as a heading, its question quoted and its answer', () => {
    const document = designDocument([
      user(1, 'design a shopping cart service'),
      answer(1, FIRST_DESIGN),
      user(2, 'what if we need multi-region?\nwe serve EU and US'),
      answer(2, '## Database Schema\nReplicate `carts` per region.'),
    ]);

    expect(document?.answers).toBe(2);
    const markdown = document?.markdown ?? '';
    const order = [
      '> design a shopping cart service',
      '# Design',
      '## API Endpoints',
      '### Errors',
      '# not a heading inside a fence',
      '### Deep detail',
      '# Follow-ups',
      '## 1. what if we need multi-region?',
      '> what if we need multi-region?\n> we serve EU and US',
      '### Database Schema',
      'Replicate `carts` per region.',
    ].map((part) => markdown.indexOf(part));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Whole lines: a fenced "# …" moved down a level would still contain the text as a substring.
    expect(markdown.split('\n')).toContain('# not a heading inside a fence');
  });

  it('never emits a heading deeper than h3, which is as deep as a canvas shows', () => {
    const markdown = designDocument([user(1, 'x'), answer(1, '###### tiny\n# Top')])?.markdown ?? '';
    expect(markdown).toContain('### tiny');
    expect(markdown).toContain('## Top');
    expect(markdown).not.toMatch(/^#{4,} /m);
  });

  it('quotes questions left unanswered by a failed attempt before the answer that followed them', () => {
    const markdown =
      designDocument([
        user(1, 'design a ledger'),
        answer(1, 'LEDGER'),
        user(2, 'add audit logs'),
        user(3, 'try again'),
        answer(3, 'AUDIT'),
      ])?.markdown ?? '';
    expect(markdown).toContain('## 1. try again');
    expect(markdown.indexOf('> add audit logs')).toBeLessThan(markdown.indexOf('AUDIT'));
    expect(markdown.indexOf('> try again')).toBeLessThan(markdown.indexOf('AUDIT'));
  });

  it('is null when the thread has no stored answer', () => {
    expect(designDocument([])).toBeNull();
    expect(designDocument([user(1, 'design a cart')])).toBeNull();
  });

  it('marks an answer that stopped at the length limit', () => {
    const markdown = designDocument([user(1, 'x'), answer(1, 'PART', { truncated: true })])?.markdown ?? '';
    expect(markdown).toContain('length limit');
  });
});

describe('designTitle', () => {
  it('is the first non-empty line of the request, without mentions', () => {
    expect(designTitle('<@U123> @Architect  design a cart\nwith details')).toBe('design a cart');
    expect(designTitle('\n\n  @architect: a rate limiter for <@U9|bob>')).toBe('a rate limiter for');
    expect(designTitle('ask @bob.smith about carts, mail ops@example.com')).toBe(
      'ask about carts, mail ops@example.com',
    );
  });

  it(`is cut to ${MAX_TITLE_CHARS} characters with an ellipsis`, () => {
    const title = designTitle(`design ${'very '.repeat(40)}long`);
    expect(Array.from(title)).toHaveLength(MAX_TITLE_CHARS);
    expect(title.endsWith('…')).toBe(true);
  });

  it('falls back to a fixed title when the request has no words', () => {
    expect(designTitle('<@U123>')).toBe('Architect design');
  });
});
