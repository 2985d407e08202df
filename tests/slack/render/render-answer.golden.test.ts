import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type RenderOptions, renderAnswer } from '../../../src/slack/render/render-answer.js';
import { findLimitViolations } from '../../../src/slack/render/slack-limits.js';
import { readFixture } from './fixtures/read-fixture.js';

// Each fixture is a realistic answer; its golden file is the exact Slack payloads it renders to, checked by eye
// (they are the spec). `UPDATE_GOLDEN=1 pnpm vitest run tests/slack/render/render-answer.golden.test.ts` rewrites
// them after a deliberate change: review the diff before committing.
const GOLDEN_DIR = new URL('./golden/', import.meta.url);
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const CASES: readonly { golden: string; fixture: string; options?: RenderOptions }[] = [
  { golden: 'full-design-five-sections', fixture: 'full-design-five-sections.md' },
  {
    golden: 'full-design-five-sections.kroki',
    fixture: 'full-design-five-sections.md',
    options: { diagramRenderUrl: 'https://kroki.io' },
  },
  { golden: 'five-section-design', fixture: 'five-section-design.md' },
  { golden: 'follow-up-no-headings', fixture: 'follow-up-no-headings.md' },
  { golden: 'clarifying-questions', fixture: 'clarifying-questions.md' },
  { golden: 'deep-headings', fixture: 'deep-headings.md' },
  { golden: 'nested-lists', fixture: 'nested-lists.md' },
  { golden: 'wide-table', fixture: 'wide-table.md' },
  { golden: 'table-120-rows', fixture: 'table-120-rows.md' },
  { golden: 'two-tables', fixture: 'two-tables.md' },
  { golden: 'sql-migration-15k', fixture: 'sql-migration-15k.md' },
  { golden: 'unicode-emoji', fixture: 'unicode-emoji.md' },
  { golden: 'html-special-chars', fixture: 'html-special-chars.md' },
  { golden: 'mermaid-diagram', fixture: 'mermaid-diagram.md' },
  {
    golden: 'mermaid-diagram.mermaid-ink',
    fixture: 'mermaid-diagram.md',
    options: { diagramRenderUrl: 'https://mermaid.ink' },
  },
  { golden: 'odd-headings', fixture: 'odd-headings.md' },
  { golden: 'unterminated-fence', fixture: 'unterminated-fence.md' },
];

describe('renderAnswer golden outputs', () => {
  it.each(CASES)('renders $fixture as its golden file $golden', ({ golden, fixture, options }) => {
    const messages = renderAnswer(readFixture(fixture), options);
    const file = new URL(`${golden}.json`, GOLDEN_DIR);
    const rendered = `${JSON.stringify(messages, null, 2)}\n`;
    if (UPDATE) {
      mkdirSync(GOLDEN_DIR, { recursive: true });
      writeFileSync(file, rendered);
    }

    expect(existsSync(file), `golden/${golden}.json is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(
      true,
    );
    expect(rendered).toBe(readFileSync(file, 'utf8'));
  });

  it.each(CASES)('keeps every message of $golden within Slack limits', ({ fixture, options }) => {
    const messages = renderAnswer(readFixture(fixture), options);

    expect(messages.flatMap(findLimitViolations)).toEqual([]);
  });
});
