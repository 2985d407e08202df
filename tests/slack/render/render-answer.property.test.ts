import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderAnswer, type SlackMessagePayload } from '../../../src/slack/render/render-answer.js';
import { findLimitViolations } from '../../../src/slack/render/slack-limits.js';
import { blockTextChars, isFenceLine } from './rendered-message-text.js';

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
