import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderAnswer, type SlackMessagePayload } from '../../../src/slack/render/render-answer.js';
import { findLimitViolations } from '../../../src/slack/render/slack-limits.js';
import { blockTextChars, cellText, isFenceLine } from './rendered-message-text.js';

// Markdown-ish answers: text with no Markdown markup of its own (so the expected output is easy to state),
// headings of every level, code fences that may never close, rules, and lines longer than a message.
const word = fc.constantFrom(
  'service',
  'queue',
  'latency',
  'p99',
  'SELECT',
  'café',
  '東京',
  '🚀',
  'a<b',
  'x&y',
  '42.',
);
const words = (minLength: number, maxLength: number) =>
  fc.array(word, { minLength, maxLength }).map((items) => items.join(' '));
const answerLine = fc.oneof(
  { weight: 6, arbitrary: words(0, 16) },
  { weight: 3, arbitrary: fc.constant('') },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('```', '~~~'), fc.constantFrom('', 'sql', 'mermaid'))
      .map(([m, l]) => m + l),
  },
  { weight: 1, arbitrary: fc.constantFrom('```', '~~~') },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom('#', '##', '###'), words(0, 12)).map(([h, t]) => `${h} ${t}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('---', '***', '___') },
  { weight: 1, arbitrary: words(100, 500) },
);
const answer = fc.array(answerLine, { maxLength: 150 }).map((lines) => lines.join('\n'));
const options = fc.record({
  maxMarkdownCharsPerMessage: fc.integer({ min: 170, max: 4_000 }),
  maxBlocksPerMessage: fc.integer({ min: 2, max: 12 }),
});

/** What the answer should show, in order: heading texts, then every other line outside rules and fences. */
function expectedContent(markdown: string): string {
  let fence: string | undefined;
  const shown: string[] = [];
  for (const line of markdown.split('\n')) {
    const marker = /^(```|~~~)/.exec(line)?.[1];
    if (fence !== undefined) {
      if (line === fence) fence = undefined;
      else if (!isFenceLine(line)) shown.push(line); // "```sql" inside a ``` block is code, but looks like a fence.
    } else if (marker !== undefined) {
      fence = marker;
    } else if (/^#{1,2} /.test(line)) {
      shown.push(line.replace(/^#{1,2} /, ''));
    } else if (!/^(---|\*\*\*|___)$/.test(line)) {
      shown.push(line);
    }
  }
  return shown.join('');
}

/** What the messages show, in order: header texts and markdown lines other than fence lines. */
function renderedContent(messages: readonly SlackMessagePayload[]): string {
  return messages
    .flatMap((message) => message.blocks)
    .map((block) => {
      if (block.type === 'header') return block.text.text;
      if (block.type === 'markdown')
        return block.text
          .split('\n')
          .filter((line) => !isFenceLine(line))
          .join('');
      return '';
    })
    .join('');
}

const withoutWhitespace = (text: string) => text.replace(/\s+/g, '');

describe('renderAnswer properties', () => {
  it('keeps every message within Slack limits and the requested limits', () => {
    fc.assert(
      fc.property(answer, options, (markdown, limits) => {
        const messages = renderAnswer(markdown, limits);

        expect(messages.length).toBeGreaterThan(0);
        for (const message of messages) {
          expect(findLimitViolations(message)).toEqual([]);
          expect(message.blocks.length).toBeLessThanOrEqual(limits.maxBlocksPerMessage);
          expect(blockTextChars(message)).toBeLessThanOrEqual(limits.maxMarkdownCharsPerMessage);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('shows all the content of the answer once and in order', () => {
    fc.assert(
      fc.property(answer, options, (markdown, limits) => {
        const expected = withoutWhitespace(expectedContent(markdown));

        const messages = renderAnswer(markdown, limits);

        // An answer with no content renders a fixed notice (or, for bare fences, an empty code block).
        if (expected !== '') expect(withoutWhitespace(renderedContent(messages))).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('never ends a message with a header when more blocks follow', () => {
    // A run of headings longer than one message cannot be kept together, so runs stay shorter here.
    const roomyOptions = fc.record({
      maxMarkdownCharsPerMessage: fc.integer({ min: 1_000, max: 4_000 }),
      maxBlocksPerMessage: fc.integer({ min: 8, max: 12 }),
    });
    fc.assert(
      fc.property(answer, roomyOptions, (markdown, limits) => {
        const messages = renderAnswer(markdown, limits);

        const lastTypes = messages.slice(0, -1).map((message) => message.blocks.at(-1)?.type);
        expect(lastTypes).not.toContain('header');
      }),
      { numRuns: 300 },
    );
  });
});

// Answers built from whole units (text, headings, closed code blocks, pipe tables), each with the content it
// must show; tables range from a block Slack takes to ones over 20 columns or 100 rows (shown as code).
const cell = words(1, 3);
const tableUnit = fc
  .tuple(fc.integer({ min: 1, max: 24 }), fc.integer({ min: 0, max: 105 }))
  .chain(([columns, rows]) =>
    fc.array(fc.array(cell, { minLength: columns, maxLength: columns }), {
      minLength: rows + 1,
      maxLength: rows + 1,
    }),
  )
  .map((rows) => {
    const [header = [], ...body] = rows;
    const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
    const markdown = [line(header), `|${'---|'.repeat(header.length)}`, ...body.map(line)].join('\n');
    return { markdown, shown: rows.flat().join('') };
  });
const codeUnit = fc
  .tuple(
    fc.constantFrom('sql', 'json', ''),
    fc.array(fc.oneof({ weight: 4, arbitrary: words(0, 12) }, { weight: 1, arbitrary: words(100, 400) }), {
      maxLength: 60,
    }),
  )
  .map(([language, lines]) => ({
    markdown: [`\`\`\`${language}`, ...lines, '```'].join('\n'),
    shown: lines.join(''),
  }));
const textUnit = fc
  .array(words(1, 16), { minLength: 1, maxLength: 5 })
  .map((lines) => ({ markdown: lines.join('\n'), shown: lines.join('') }));
const headingUnit = fc
  .tuple(fc.constantFrom('#', '##', '###'), words(1, 8))
  .map(([marks, text]) => ({ markdown: `${marks} ${text}`, shown: marks === '###' ? `### ${text}` : text }));
const structuredAnswer = fc
  .array(fc.oneof(textUnit, headingUnit, codeUnit, tableUnit), { minLength: 1, maxLength: 12 })
  .map((units) => ({
    markdown: units.map((unit) => unit.markdown).join('\n\n'),
    shown: units.map((unit) => unit.shown).join(''),
  }));

/** Everything the messages show, in order: headers (without an added emoji), markdown outside fence lines, cells. */
function shownContent(messages: readonly SlackMessagePayload[]): string {
  return messages
    .flatMap((message) => message.blocks)
    .map((block) => {
      if (block.type === 'header') return block.text.text.replace(/^:[a-z_]+: /, '');
      if (block.type === 'table') return block.rows.flat().map(cellText).join('');
      if (block.type === 'markdown') {
        return block.text
          .split('\n')
          .filter((line) => !isFenceLine(line))
          .join('');
      }
      return '';
    })
    .join('');
}

// Dashes only appear in the rule a code-block table puts under its header: the generated words have none.
const comparable = (text: string) => text.replace(/[\s-]+/g, '');

describe('renderAnswer properties: tables and code', () => {
  it('shows every table cell and code line once and in order, within all limits', () => {
    fc.assert(
      fc.property(structuredAnswer, options, ({ markdown, shown }, limits) => {
        const messages = renderAnswer(markdown, limits);

        expect(comparable(shownContent(messages))).toBe(comparable(shown));
        for (const message of messages) {
          expect(findLimitViolations(message)).toEqual([]);
          expect(message.blocks.length).toBeLessThanOrEqual(limits.maxBlocksPerMessage);
          expect(blockTextChars(message)).toBeLessThanOrEqual(limits.maxMarkdownCharsPerMessage);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('keeps every code piece a closed fence of its language, with no line cut', () => {
    fc.assert(
      fc.property(fc.array(codeUnit, { minLength: 1, maxLength: 4 }), options, (units, limits) => {
        const markdown = units.map((unit) => unit.markdown).join('\n\n');
        const inputLines = new Set(markdown.split('\n'));

        const texts = renderAnswer(markdown, limits).flatMap((message) =>
          message.blocks.flatMap((block) => (block.type === 'markdown' ? [block.text] : [])),
        );

        for (const text of texts) {
          const lines = text.split('\n');
          expect(['```sql', '```json', '```']).toContain(lines[0]);
          expect(lines.at(-1)).toBe('```');
          // A line too long for one message is cut by design, so only a piece's first and last content lines may
          // be part of one; every line between them arrives whole.
          const inner = lines.slice(2, -2);
          expect(inner.filter((line) => !inputLines.has(line))).toEqual([]);
        }
      }),
      { numRuns: 150 },
    );
  });
});
