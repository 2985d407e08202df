import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type MarkdownPiece,
  splitMarkdown,
  splitMarkdownPieces,
} from '../../../src/slack/render/split-markdown.js';
import { isFenceLine, nonBlankLines } from './rendered-message-text.js';

/** The input as the pieces carry it: synthetic fence lines removed, pieces joined as they were split. */
function reassemble(pieces: readonly MarkdownPiece[]): string {
  return pieces
    .map((piece, index) => {
      let lines = piece.text.split('\n');
      if (piece.reopenedFence !== undefined) {
        expect(lines[0]).toBe(piece.reopenedFence);
        lines = lines.slice(1);
      }
      if (piece.closingFence !== undefined) {
        expect(lines.at(-1)).toBe(piece.closingFence);
        lines = lines.slice(0, -1);
      }
      const separator = index === 0 || pieces[index - 1]?.endsMidLine ? '' : '\n';
      return separator + lines.join('\n');
    })
    .join('');
}

/** True when every fence the text opens is closed again (fences of the generated inputs only). */
function fencesBalanced(text: string): boolean {
  let open: string | undefined;
  for (const line of text.split('\n')) {
    const marker = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker === undefined) continue;
    const closes =
      open !== undefined && line.trim() === marker && marker[0] === open[0] && marker.length >= open.length;
    if (open === undefined) open = marker;
    else if (closes) open = undefined;
  }
  return open === undefined;
}

const sqlLines = (count: number) =>
  Array.from({ length: count }, (_, index) => `INSERT INTO t VALUES (${index});`);

describe('splitMarkdown', () => {
  it('returns the text as one piece when it fits', () => {
    expect(splitMarkdown('Short answer.\n\n- one\n- two', 100)).toEqual(['Short answer.\n\n- one\n- two']);
  });

  it('splits at a paragraph break rather than inside a paragraph', () => {
    const first = 'First paragraph line one.\nFirst paragraph line two.';
    const second = 'Second paragraph line one.\nSecond paragraph line two.';

    expect(splitMarkdown(`${first}\n\n${second}`, 70)).toEqual([first, second]);
  });

  it('closes a code fence at a split and reopens it with the same marker and language', () => {
    const markdown = ['```sql', ...sqlLines(6), '```'].join('\n');

    const pieces = splitMarkdown(markdown, 90);

    expect(pieces).toEqual([
      ['```sql', ...sqlLines(6).slice(0, 3), '```'].join('\n'),
      ['```sql', ...sqlLines(6).slice(3), '```'].join('\n'),
    ]);
  });

  it('reopens a tilde fence with the same tildes', () => {
    const markdown = [
      '~~~~json',
      ...Array.from({ length: 8 }, (_, index) => `  "key${index}": ${index},`),
      '~~~~',
    ].join('\n');

    const pieces = splitMarkdown(markdown, 60);

    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.every((piece) => piece.startsWith('~~~~json\n') && piece.endsWith('\n~~~~'))).toBe(true);
  });

  it('reopens a fence that was indented in a list item without the indentation', () => {
    const markdown = ['1. Run:', '    ```bash', ...sqlLines(6).map((line) => `    ${line}`), '    ```'].join(
      '\n',
    );

    const pieces = splitMarkdownPieces(markdown, 120);

    expect(pieces[0]?.closingFence).toBe('    ```');
    expect(pieces[1]?.reopenedFence).toBe('```bash');
    expect(pieces[1]?.closingFence).toBeUndefined();
  });

  it('closes an unterminated fence at the end of the last piece', () => {
    const pieces = splitMarkdownPieces('```python\nprint("hi")', 100);

    expect(pieces.map((piece) => piece.text)).toEqual(['```python\nprint("hi")\n```']);
    expect(pieces[0]?.closingFence).toBe('```');
  });

  it('cuts a line longer than the limit at whitespace', () => {
    const line = Array.from({ length: 30 }, (_, index) => `word${index}`).join(' ');

    const pieces = splitMarkdownPieces(line, 50);

    expect(pieces.every((piece) => piece.text.length <= 50)).toBe(true);
    expect(pieces.slice(0, -1).every((piece) => piece.endsMidLine && piece.text.endsWith(' '))).toBe(true);
    expect(pieces.map((piece) => piece.text).join('')).toBe(line);
  });

  it('cuts a line with no whitespace hard, without splitting an emoji in half', () => {
    const line = '🚀'.repeat(40);

    const pieces = splitMarkdown(line, 25);

    expect(pieces.every((piece) => piece.length <= 25 && piece.length % 2 === 0)).toBe(true);
    expect(pieces.join('')).toBe(line);
  });

  it('drops the blank lines at the edges of each piece', () => {
    const pieces = splitMarkdown(`\n\n${'a'.repeat(30)}\n\n\n\n${'b'.repeat(30)}\n\n`, 40);

    expect(pieces).toEqual(['a'.repeat(30), 'b'.repeat(30)]);
  });

  it('does not end a piece right after a fence opening line when it can avoid it', () => {
    const markdown = ['Intro paragraph that takes some room.', '', '```sql', ...sqlLines(3), '```'].join(
      '\n',
    );

    const pieces = splitMarkdown(markdown, 90);

    expect(pieces.some((piece) => piece.endsWith('```sql\n```'))).toBe(false);
  });

  it('rejects a maxChars too small to hold a reopened fence', () => {
    expect(() => splitMarkdown('text', 19)).toThrow(RangeError);
  });
});

const word = fc.constantFrom(
  'design',
  'queue',
  'SELECT',
  'id,',
  'é',
  '日本',
  '🚀',
  '|',
  '*x*',
  '`k`',
  '<a>',
  '&',
  '1.',
);
const textLine = fc.array(word, { maxLength: 14 }).map((words) => words.join(' '));
const longLine = fc.array(word, { minLength: 60, maxLength: 300 }).map((words) => words.join(' '));
const unbrokenLine = fc
  .array(fc.constantFrom('a', 'Z', '0', '🚀', '日'), { minLength: 50, maxLength: 900 })
  .map((chars) => chars.join(''));
const fenceLine = fc
  .tuple(fc.constantFrom('```', '~~~', '````'), fc.constantFrom('', 'sql', 'json', 'mermaid', 'typescript'))
  .map(([marker, language]) => marker + language);
const headingLine = fc
  .tuple(fc.constantFrom('#', '##', '###', '##'), textLine)
  .map(([hashes, text]) => `${hashes} ${text}`);
const markdownLine = fc.oneof(
  { weight: 6, arbitrary: textLine },
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 2, arbitrary: fenceLine },
  { weight: 1, arbitrary: headingLine },
  { weight: 1, arbitrary: fc.constantFrom('---', '***', '   ') },
  { weight: 1, arbitrary: longLine },
  { weight: 1, arbitrary: unbrokenLine },
);
const markdownText = fc.array(markdownLine, { maxLength: 120 }).map((lines) => lines.join('\n'));

describe('splitMarkdown properties', () => {
  it('loses and repeats no content: pieces without their added fence lines join back to the input', () => {
    fc.assert(
      fc.property(markdownText, fc.integer({ min: 60, max: 1_500 }), (markdown, maxChars) => {
        const pieces = splitMarkdownPieces(markdown, maxChars);

        const reassembled = reassemble(pieces);
        expect(nonBlankLines(reassembled)).toEqual(nonBlankLines(markdown));
        expect(reassembled.split('\n').length).toBeLessThanOrEqual(markdown.split('\n').length);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps every piece non-blank and within maxChars', () => {
    fc.assert(
      fc.property(markdownText, fc.integer({ min: 20, max: 1_500 }), (markdown, maxChars) => {
        const pieces = splitMarkdown(markdown, maxChars);

        for (const piece of pieces) {
          expect(piece.length).toBeLessThanOrEqual(maxChars);
          expect(piece.trim()).not.toBe('');
        }
      }),
      { numRuns: 400 },
    );
  });

  it('closes in every piece each code fence that the piece opens', () => {
    fc.assert(
      fc.property(markdownText, fc.integer({ min: 60, max: 1_500 }), (markdown, maxChars) => {
        const pieces = splitMarkdown(markdown, maxChars);

        expect(pieces.filter((piece) => !fencesBalanced(piece))).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('puts the content of a code block split across pieces inside a reopened fence', () => {
    fc.assert(
      fc.property(
        fc.array(textLine, { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 60, max: 400 }),
        (code, maxChars) => {
          const pieces = splitMarkdown(['```sql', ...code, '```'].join('\n'), maxChars);

          for (const piece of pieces) {
            const lines = piece.split('\n');
            expect(lines[0]).toBe('```sql');
            expect(lines.at(-1)).toBe('```');
            expect(lines.slice(1, -1).filter(isFenceLine)).toEqual([]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
