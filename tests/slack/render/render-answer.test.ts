import { describe, expect, it } from 'vitest';
import { krokiPngUrl, mermaidLiveEditUrl } from '../../../src/slack/render/diagram-urls.js';
import { renderAnswer } from '../../../src/slack/render/render-answer.js';
import { findLimitViolations } from '../../../src/slack/render/slack-limits.js';
import type { KnownBlock } from '../../../src/slack/render/slack-message-payload.js';
import {
  buildFifteenThousandCharSqlBlock,
  buildFortyThousandCharDesign,
  buildSqlSchemaLines,
} from './fixtures/large-answers.js';
import { readFixture } from './fixtures/read-fixture.js';
import {
  blockTextChars,
  cellText,
  headerTexts,
  isFenceLine,
  markdownTexts,
  nonBlankLines,
  tableBlocks,
} from './rendered-message-text.js';

const FIXTURE_FILES = [
  'five-section-design.md',
  'follow-up-no-headings.md',
  'clarifying-questions.md',
  'unterminated-fence.md',
  'unicode-emoji.md',
  'html-special-chars.md',
  'odd-headings.md',
];

describe('renderAnswer: sections', () => {
  it('turns each level-2 heading of a design into a header block, in order', () => {
    const messages = renderAnswer(readFixture('five-section-design.md'));

    expect(headerTexts(messages)).toEqual([
      '1. Summary',
      ':building_construction: 2. Architecture',
      ':card_file_box: 3. Data model',
      ':electric_plug: 4. API',
      ':toolbox: 5. Technology choices',
    ]);
  });

  it('renders headers as plain text with emoji enabled', () => {
    const [message] = renderAnswer('## 🚀 Launch plan\n\nShip it.');

    expect(message?.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '🚀 Launch plan', emoji: true },
    });
  });

  it('puts the text before the first heading in a markdown block with no header before it', () => {
    const [message] = renderAnswer(readFixture('five-section-design.md'));

    expect(message?.blocks[0]).toEqual({
      type: 'markdown',
      text: expect.stringMatching(/^Here is a design for/),
    });
  });

  it('renders a clarifying-questions answer as its two sections with the numbered list intact', () => {
    const messages = renderAnswer(readFixture('clarifying-questions.md'));

    expect(messages).toHaveLength(1);
    expect(messages[0]?.blocks.map((block) => block.type)).toEqual([
      'markdown',
      'header',
      'markdown',
      'header',
      'markdown',
    ]);
    expect(headerTexts(messages)).toEqual(['Questions', 'What I would assume otherwise']);
    expect(markdownTexts(messages)[1]).toMatch(/^1\. \*\*Read\/write ratio\*\*:[\s\S]*\n5\. \*\*Team\*\*:/);
  });

  it('renders an answer without headings as markdown blocks only', () => {
    const messages = renderAnswer(readFixture('follow-up-no-headings.md'));

    expect(messages).toHaveLength(1);
    expect(messages[0]?.blocks.map((block) => block.type)).toEqual(['markdown']);
  });

  it('turns a level-1 heading into a header and leaves a level-3 heading in the markdown text', () => {
    const messages = renderAnswer(readFixture('odd-headings.md'));

    expect(headerTexts(messages)).toContain('Level one heading');
    expect(markdownTexts(messages).join('\n')).toContain('### Level three stays in the text');
  });

  it('leaves "##No space" and "#hashtag" lines as text, not headings', () => {
    const messages = renderAnswer(readFixture('odd-headings.md'));
    const text = markdownTexts(messages).join('\n');

    expect(text).toContain('##No space is not a heading');
    expect(text).toContain('#hashtag is text, not a heading');
  });

  it('strips emphasis, backticks and closing hashes from header text', () => {
    const messages = renderAnswer(readFixture('odd-headings.md'));

    expect(headerTexts(messages)).toEqual([
      'Bold and code in a heading',
      'Level one heading',
      'Padded heading with trailing hashes',
    ]);
  });

  it('emits no header block for an empty heading', () => {
    const messages = renderAnswer('## \n\nBody after an empty heading.');

    expect(messages[0]?.blocks).toEqual([{ type: 'markdown', text: 'Body after an empty heading.' }]);
  });

  it('truncates a header longer than 150 characters to 150 with an ellipsis', () => {
    const heading = `Decision record: ${'why we chose event sourcing for the ledger '.repeat(6)}`;

    const [header] = headerTexts(renderAnswer(`## ${heading}\n\nBody.`));

    expect(heading.length).toBeGreaterThan(150);
    expect(header).toHaveLength(150);
    expect(header?.endsWith('…')).toBe(true);
    expect(heading.startsWith(header?.slice(0, -1) ?? '-')).toBe(true);
  });

  it('keeps a heading of exactly 150 characters whole', () => {
    const heading = 'x'.repeat(150);

    expect(headerTexts(renderAnswer(`## ${heading}\n\nBody.`))).toEqual([heading]);
  });
});

describe('renderAnswer: Markdown content', () => {
  it('keeps a mermaid diagram as a fenced code block with its language tag', () => {
    const text = markdownTexts(renderAnswer(readFixture('five-section-design.md'))).join('\n');

    expect(text).toContain(
      '```mermaid\nflowchart LR\n    API[Product API] -->|same transaction| OUTBOX[(outbox table)]',
    );
  });

  it('keeps SQL and JSON examples as fenced code blocks', () => {
    const text = markdownTexts(renderAnswer(readFixture('five-section-design.md'))).join('\n');

    expect(text).toContain('```sql\nCREATE TABLE endpoints (');
    expect(text).toContain('```json\n{\n  "url": "https://hooks.example.com/billing",');
  });

  it('treats a ## line inside a code fence as code, not as a heading', () => {
    const messages = renderAnswer('## Script\n\n```bash\n## install\nnpm ci\n```');

    expect(headerTexts(messages)).toEqual(['Script']);
    expect(markdownTexts(messages)).toEqual(['```bash\n## install\nnpm ci\n```']);
  });

  it('drops horizontal rules outside code blocks', () => {
    const lines = markdownTexts(renderAnswer('Intro\n\n---\n\nMiddle\n\n***\n\n___\n\nEnd')).join('\n');

    expect(lines).toBe('Intro\n\nMiddle\n\nEnd');
  });

  it('keeps a horizontal-rule line that is inside a code block', () => {
    const text = markdownTexts(renderAnswer('```yaml\nkey: value\n---\nother: 1\n```')).join('\n');

    expect(text).toContain('key: value\n---\nother: 1');
  });

  it('renders a comparison table as a table block: header row first, plain-text cells, column alignment', () => {
    const tables = tableBlocks(renderAnswer(readFixture('five-section-design.md')));

    expect(tables).toHaveLength(1);
    expect(tables[0]?.rows.map((row) => row.map(cellText))).toEqual([
      ['Option', 'Ordering', 'Throughput per partition', 'Ops burden', 'Fit'],
      ['SQS FIFO', 'per message group', '300 msg/s (3,000 batched)', 'none (managed)', '✅ good default'],
      ['Kafka (MSK)', 'per partition', '10k+ msg/s', 'brokers, rebalancing', '⚠️ only if you already run it'],
      ['Postgres SKIP LOCKED queue', 'none', '~1k msg/s', 'reuses the database', '✅ fine below 5M/day'],
      ['Redis Streams', 'per stream', '50k msg/s', 'persistence tuning', '❌ weak durability story'],
    ]);
    expect(tables[0]?.column_settings?.map((setting) => setting.align)).toEqual([
      'left',
      'left',
      'right',
      'left',
      'left',
    ]);
    expect(markdownTexts(renderAnswer(readFixture('five-section-design.md'))).join('\n')).not.toMatch(/^\|/m);
  });

  it('closes an unterminated code fence and keeps the rest of the answer inside it', () => {
    const messages = renderAnswer(readFixture('unterminated-fence.md'));
    const text = markdownTexts(messages).join('\n');

    expect(headerTexts(messages)).toEqual(['Migration script']);
    expect(text).toContain('## This comment looks like a heading but is code');
    expect(text).toContain('\n---\n');
    expect(text.endsWith('    migrate(psycopg.connect())\n```')).toBe(true);
  });

  it('renders CRLF line endings the same as LF', () => {
    const markdown = readFixture('five-section-design.md');

    expect(renderAnswer(markdown.replaceAll('\n', '\r\n'))).toEqual(renderAnswer(markdown));
  });

  it('keeps <, > and & unchanged in markdown blocks and headers', () => {
    const messages = renderAnswer(readFixture('html-special-chars.md'));
    const text = markdownTexts(messages).join('\n');

    expect(headerTexts(messages)).toEqual(['Generics & comparisons: Map<K, V> vs List<T>']);
    expect(text).toContain('- AT&T\'s API returns `<error code="42"/>` & friends.');
    expect(text).toContain('  <!-- a < b && c > d -->');
  });

  it('escapes <, > and & in the text fallback', () => {
    const [message] = renderAnswer(readFixture('html-special-chars.md'));

    expect(message?.text).toBe('Generics &amp; comparisons: Map&lt;K, V&gt; vs List&lt;T&gt;');
  });

  it('keeps Unicode, emoji and CJK text intact', () => {
    const messages = renderAnswer(readFixture('unicode-emoji.md'));
    const text = markdownTexts(messages).join('\n');

    expect(headerTexts(messages)).toEqual(['🚀 Rollout plan für Zürich & 東京', '✅ Checklist']);
    expect(text).toContain('emoji 🎉👩‍💻 and CJK text (日本語のテキスト)');
    expect(text).toContain('Straße, naïve, café, Ελληνικά, العربية, עברית');
  });

  it('keeps emoji and CJK cells of a table intact in its table block', () => {
    const [table] = tableBlocks(renderAnswer(readFixture('unicode-emoji.md')));

    expect(table?.rows.map((row) => row.map(cellText))).toEqual([
      ['Region', 'Status', 'Notes'],
      ['Zürich 🇨🇭', '✅ live', '~12 ms p50'],
      ['東京', '⚠️ canary', '検証中'],
      ['São Paulo', '❌ blocked', 'waiting on DPA'],
    ]);
  });
});

describe('renderAnswer: limits and splitting', () => {
  it.each(FIXTURE_FILES)('keeps every message of %s within Slack limits', (name) => {
    const messages = renderAnswer(readFixture(name));

    expect(messages.flatMap(findLimitViolations)).toEqual([]);
  });

  it.each([
    ['the 40,000-character design', buildFortyThousandCharDesign()],
    ['the 15,000-character SQL block', buildFifteenThousandCharSqlBlock()],
  ])('keeps every message of %s within Slack limits and a 10,000-character budget', (_name, markdown) => {
    const messages = renderAnswer(markdown);

    expect(messages.flatMap(findLimitViolations)).toEqual([]);
    expect(Math.max(...messages.map(blockTextChars))).toBeLessThanOrEqual(10_000);
  });

  it('splits the 40,000-character design over several messages with every line once, in order', () => {
    const markdown = buildFortyThousandCharDesign();

    const messages = renderAnswer(markdown);

    const headingLine = /^## /;
    const expectedHeaders = nonBlankLines(markdown)
      .filter((line) => headingLine.test(line))
      .map((line) => line.slice(3));
    const expectedLines = nonBlankLines(markdown).filter(
      (line) => !headingLine.test(line) && !isFenceLine(line),
    );
    const renderedLines = markdownTexts(messages)
      .flatMap(nonBlankLines)
      .filter((line) => !isFenceLine(line));
    expect(markdown.length).toBeGreaterThan(40_000);
    expect(messages.length).toBeGreaterThanOrEqual(5);
    expect(headerTexts(messages)).toEqual(expectedHeaders);
    expect(renderedLines).toEqual(expectedLines);
  });

  it('splits the section longer than one message between lines, not inside one', () => {
    const markdown = buildFortyThousandCharDesign();
    const inputLines = new Set(markdown.split('\n'));

    const renderedLines = markdownTexts(renderAnswer(markdown)).flatMap((text) => text.split('\n'));

    expect(renderedLines.filter((line) => !inputLines.has(line))).toEqual([]);
  });

  it('splits the 15,000-character SQL block across messages, each part a sql fence', () => {
    const messages = renderAnswer(buildFifteenThousandCharSqlBlock());
    const parts = markdownTexts(messages).filter((text) => text.includes('CREATE TABLE'));

    expect(messages.length).toBeGreaterThanOrEqual(2);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    for (const part of parts) {
      expect(part.split('\n').filter(isFenceLine)).toEqual(['```sql', '```']);
      expect(part.endsWith('\n```')).toBe(true);
    }
    expect(parts.slice(1).every((part) => part.startsWith('```sql\n'))).toBe(true);
  });

  it('keeps every SQL line of the split block exactly once and in order', () => {
    const messages = renderAnswer(buildFifteenThousandCharSqlBlock());

    const sqlLines = markdownTexts(messages)
      .flatMap(nonBlankLines)
      .filter((line) => !isFenceLine(line) && line !== 'The complete schema, in migration order:');

    expect(sqlLines).toEqual(buildSqlSchemaLines().filter((line) => line.trim() !== ''));
  });

  it('puts the continuation of a split section in a later message under no repeated header', () => {
    const messages = renderAnswer(buildFifteenThousandCharSqlBlock());

    expect(headerTexts(messages)).toEqual([':card_file_box: Schema']);
    expect(messages[0]?.blocks[0]?.type).toBe('header');
  });

  it('never leaves a section header as the last block of a message', () => {
    const markdown = Array.from(
      { length: 30 },
      (_, index) => `## Step ${index + 1}\n\n${'Detail. '.repeat(40)}`,
    ).join('\n\n');

    const messages = renderAnswer(markdown, { maxMarkdownCharsPerMessage: 1_000, maxBlocksPerMessage: 5 });

    expect(messages.length).toBeGreaterThan(1);
    expect(messages.map((message) => message.blocks.at(-1)?.type)).not.toContain('header');
  });

  it('keeps a title heading with no body in the same message as the next header and its first part', () => {
    const markdown = `# Design\n\n## Overview\n\n${'The overview sentence goes on. '.repeat(30)}`;

    const messages = renderAnswer(markdown, { maxMarkdownCharsPerMessage: 300 });

    expect(messages[0]?.blocks.map((block) => block.type)).toEqual(['header', 'header', 'markdown']);
    expect(messages.map(blockTextChars).every((chars) => chars <= 300)).toBe(true);
  });

  it('starts a new message when the next block would exceed the block limit', () => {
    const markdown = Array.from(
      { length: 7 },
      (_, index) => `## Risk ${index + 1}\n\nMitigation ${index + 1}.`,
    ).join('\n\n');

    const messages = renderAnswer(markdown, { maxBlocksPerMessage: 4 });

    expect(messages.map((message) => message.blocks.length)).toEqual([4, 4, 4, 2]);
  });

  it('starts a new message when the next section would exceed the character budget', () => {
    const body = (label: string) => `${label} ${'word '.repeat(60)}`.trim();
    const markdown = ['First', 'Second', 'Third']
      .map((label) => `## ${label}\n\n${body(label)}`)
      .join('\n\n');

    const messages = renderAnswer(markdown, { maxMarkdownCharsPerMessage: 700 });

    expect(messages.map((message) => headerTexts([message]))).toEqual([['First', 'Second'], ['Third']]);
    expect(messages.map(blockTextChars)).toEqual([
      'First'.length + body('First').length + 'Second'.length + body('Second').length,
      'Third'.length + body('Third').length,
    ]);
  });

  it('rejects limits above what Slack accepts', () => {
    expect(() => renderAnswer('x', { maxMarkdownCharsPerMessage: 12_001 })).toThrow(RangeError);
    expect(() => renderAnswer('x', { maxBlocksPerMessage: 51 })).toThrow(RangeError);
    expect(() => renderAnswer('x', { maxBlocksPerMessage: 1 })).toThrow(RangeError);
  });
});

describe('renderAnswer: text fallback', () => {
  it('uses the first section title as the text of the first message', () => {
    const [message] = renderAnswer('## Caching strategy\n\nUse a write-through cache.');

    expect(message?.text).toBe('Caching strategy');
  });

  it('uses the first line of text, without Markdown, when the message starts with no header', () => {
    const [message] = renderAnswer(readFixture('follow-up-no-headings.md'));

    expect(message?.text).toBe(
      'Yes: keep the idempotency key in the same table as the payment, not in a separate cache.',
    );
  });

  it('adds "(continued)" to the text of the second and later messages', () => {
    const messages = renderAnswer(buildFifteenThousandCharSqlBlock());

    expect(messages[0]?.text).toBe('Schema');
    expect(messages.slice(1).map((message) => message.text)).toEqual(
      messages.slice(1).map(() => 'Schema (continued)'),
    );
  });

  it('keeps the text fallback to at most 300 characters', () => {
    const [message] = renderAnswer(`${'A very long opening sentence about sharding. '.repeat(20)}\n\nMore.`);

    expect(message?.text.length).toBeLessThanOrEqual(300);
    expect(message?.text.endsWith('…')).toBe(true);
  });
});

describe('renderAnswer: empty answers', () => {
  it.each([
    ['an empty string', ''],
    ['whitespace only', '  \n\r\n\t \n'],
    ['horizontal rules and an empty heading only', '---\n\n## \n\n***'],
  ])('renders %s as one message saying the model returned no text', (_name, markdown) => {
    const messages = renderAnswer(markdown);

    expect(messages).toHaveLength(1);
    expect(messages[0]?.text).toMatch(/returned no text/);
    expect(messages.flatMap(findLimitViolations)).toEqual([]);
  });
});

const pipeTable = (rows: number, columns: number, label = 'c') =>
  [
    `| ${Array.from({ length: columns }, (_, column) => `${label}${column}`).join(' | ')} |`,
    `|${'---|'.repeat(columns)}`,
    ...Array.from(
      { length: rows },
      (_, row) =>
        `| ${Array.from({ length: columns }, (_, column) => `${label}${row}.${column}`).join(' | ')} |`,
    ),
  ].join('\n');

describe('renderAnswer: tables', () => {
  it('moves the second table of a section into the next message', () => {
    const markdown = `## Endpoints\n\nPublic:\n\n${pipeTable(3, 3, 'a')}\n\nInternal:\n\n${pipeTable(3, 3, 'b')}`;

    const messages = renderAnswer(markdown);

    expect(messages.map((message) => message.blocks.map((block) => block.type))).toEqual([
      ['header', 'markdown', 'table', 'markdown'],
      ['table'],
    ]);
    expect(messages.flatMap(findLimitViolations)).toEqual([]);
  });

  it.each([
    ['more than 20 columns', pipeTable(3, 21)],
    ['more than 99 body rows', pipeTable(100, 3)],
  ])('renders a table with %s as an aligned code block, not a table block', (_name, table) => {
    const messages = renderAnswer(`Table:\n\n${table}`);

    expect(tableBlocks(messages)).toEqual([]);
    const text = markdownTexts(messages).join('\n');
    expect(text).toMatch(/^```$/m);
    expect(text).not.toMatch(/^\|/m);
    expect(messages.flatMap(findLimitViolations)).toEqual([]);
  });
});

describe('renderAnswer: mermaid diagrams', () => {
  const diagram = '## Flow\n\n```mermaid\nflowchart LR\n  A --> B\n```\n\nDone.';

  it('keeps the source as a code block and links it to the online editor by default', () => {
    const [message] = renderAnswer(diagram);

    expect(message?.blocks.map((block) => block.type)).toEqual(['header', 'markdown', 'context', 'markdown']);
    expect(message?.blocks[1]).toEqual({
      type: 'markdown',
      text: '```mermaid\nflowchart LR\n  A --> B\n```',
    });
    expect(message?.blocks[2]).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `:pencil2: <${mermaidLiveEditUrl('flowchart LR\n  A --> B')}|Open this diagram in the Mermaid Live editor>`,
        },
      ],
    });
  });

  it('adds an image of the diagram drawn by the render server when one is set', () => {
    const [message] = renderAnswer(diagram, { diagramRenderUrl: 'http://kroki:8000' });

    expect(message?.blocks[2]).toEqual({
      type: 'image',
      image_url: krokiPngUrl('http://kroki:8000', 'flowchart LR\n  A --> B'),
      alt_text: 'Diagram drawn from the mermaid source above: flowchart LR',
    });
  });

  it('falls back to the editor link when the image URL would be over 3,000 characters', () => {
    // A small diagram (its editor link fits) behind a server address long enough to push the image URL over.
    const source = 'flowchart TD\n  Client --> Gateway';
    const server = `https://kroki.example/${'x'.repeat(3_000)}`;

    const messages = renderAnswer(`\`\`\`mermaid\n${source}\n\`\`\``, { diagramRenderUrl: server });

    expect(krokiPngUrl(server, source).length).toBeGreaterThan(3_000);
    const types = messages.flatMap((message) => message.blocks.map((block) => block.type));
    expect(types).not.toContain('image');
    expect(JSON.stringify(messages)).toContain(mermaidLiveEditUrl(source));
    expect(messages.flatMap(findLimitViolations)).toEqual([]);
  });
});

describe('renderAnswer: footer blocks', () => {
  const footer: KnownBlock[] = [
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'Answered by Architect' }] },
    {
      type: 'actions',
      elements: [{ type: 'button', action_id: 'feedback_up', text: { type: 'plain_text', text: 'Helpful' } }],
    },
  ];

  it('appends the footer to the last message only', () => {
    const messages = renderAnswer(buildFifteenThousandCharSqlBlock(), { footerBlocks: footer });

    expect(messages.length).toBeGreaterThan(1);
    expect(messages.at(-1)?.blocks.slice(-2)).toEqual(footer);
    expect(messages.slice(0, -1).flatMap((message) => message.blocks)).not.toContainEqual(footer[0]);
  });

  it('moves the last piece of text into a new message with the footer when the footer does not fit', () => {
    const markdown = '## First\n\nOne.\n\n## Second\n\nTwo.';

    const messages = renderAnswer(markdown, { footerBlocks: footer, maxBlocksPerMessage: 4 });

    expect(messages.map((message) => message.blocks)).toEqual([
      [
        { type: 'header', text: { type: 'plain_text', text: 'First', emoji: true } },
        { type: 'markdown', text: 'One.' },
      ],
      [
        { type: 'header', text: { type: 'plain_text', text: 'Second', emoji: true } },
        { type: 'markdown', text: 'Two.' },
        ...footer,
      ],
    ]);
  });

  it('keeps each message within the character budget with the footer counted', () => {
    const messages = renderAnswer(buildFortyThousandCharDesign(), { footerBlocks: footer });

    expect(messages.flatMap(findLimitViolations)).toEqual([]);
    expect(Math.max(...messages.map(blockTextChars))).toBeLessThanOrEqual(10_000);
    expect(messages.at(-1)?.blocks.slice(-2)).toEqual(footer);
  });

  it('puts the footer under the notice of an empty answer', () => {
    const [message] = renderAnswer('', { footerBlocks: footer });

    expect(message?.blocks.slice(1)).toEqual(footer);
  });

  it('refuses a footer that leaves no room for a header and its body', () => {
    expect(() => renderAnswer('x', { footerBlocks: footer, maxBlocksPerMessage: 3 })).toThrow(RangeError);
  });
});

describe('renderAnswer: footer reserve', () => {
  const foot = (text: string): KnownBlock[] => [
    { type: 'context', elements: [{ type: 'mrkdwn', text }] },
    { type: 'actions', elements: [] },
  ];
  // Paragraphs of varied length, so a few characters more or less for the footer move the cuts.
  const answer = Array.from(
    { length: 120 },
    (_, i) => `Paragraph ${i}: ${'the write path stays short and idempotent. '.repeat(1 + (i % 7))}`,
  ).join('\n\n');
  const bodies = (messages: ReturnType<typeof renderAnswer>) =>
    messages.map((message) => message.blocks.filter((block) => block.type === 'markdown'));

  it('cuts an answer at the same places under a short and a long footer when both fit the reserve', () => {
    const short = renderAnswer(answer, {
      footerBlocks: foot('Reply in this thread'),
      footerReserveChars: 300,
    });
    const long = renderAnswer(answer, {
      footerBlocks: foot(`Claude Sonnet 5.5 · in 14 min · ${'Reply in this thread to refine the design'}`),
      footerReserveChars: 300,
    });

    expect(short.length).toBeGreaterThan(2);
    expect(bodies(long)).toEqual(bodies(short));
  });

  it('without a reserve, a longer footer can move the cuts (what the reserve is for)', () => {
    const footers = [10, 60, 110, 160, 210].map((n) => foot('x'.repeat(n)));
    const splits = new Set(
      footers.map((footerBlocks) => JSON.stringify(bodies(renderAnswer(answer, { footerBlocks })))),
    );
    const reserved = new Set(
      footers.map((footerBlocks) =>
        JSON.stringify(
          bodies(renderAnswer(answer, { footerBlocks, footerReserveChars: 300 })).map(
            (blocks) => blocks.length,
          ),
        ),
      ),
    );

    expect(splits.size).toBeGreaterThan(1);
    expect(reserved.size).toBe(1);
  });
});
