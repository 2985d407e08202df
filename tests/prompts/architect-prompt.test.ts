import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DESIGN_SECTION_HEADINGS,
  loadArchitectPrompt,
  PromptLoadError,
} from '../../src/core/architect-prompt.js';

/** The prompt file's own `##` sections (outside code fences), keyed by heading text. */
function sectionsOf(markdown: string): Map<string, string> {
  const sections = new Map<string, string>();
  let heading: string | undefined;
  let body: string[] = [];
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const match = inFence ? null : /^## (.+)$/.exec(line);
    if (match?.[1] !== undefined) {
      if (heading !== undefined) sections.set(heading, body.join('\n'));
      heading = match[1].trim();
      body = [];
    } else {
      body.push(line);
    }
  }
  if (heading !== undefined) sections.set(heading, body.join('\n'));
  return sections;
}

let prompt: string;
let sections: Map<string, string>;

function section(heading: string): string {
  const body = sections.get(heading);
  if (body === undefined) throw new Error(`The prompt has no "## ${heading}" section`);
  return body;
}

beforeAll(async () => {
  prompt = await loadArchitectPrompt();
  sections = sectionsOf(prompt);
});

describe('loadArchitectPrompt', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'architect-prompt-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the default prompt file as trimmed, non-empty text', () => {
    expect(prompt.length).toBeGreaterThan(1000);
    expect(prompt).toBe(prompt.trim());
  });

  it('trims a prompt read from an explicit path', async () => {
    const path = join(dir, 'padded.md');
    await writeFile(path, '\n\n  You are Architect.  \n\n', 'utf8');

    await expect(loadArchitectPrompt(path)).resolves.toBe('You are Architect.');
  });

  it('throws a PromptLoadError naming the path when the file is missing', async () => {
    const path = join(dir, 'missing.md');

    const failure = loadArchitectPrompt(path);

    await expect(failure).rejects.toBeInstanceOf(PromptLoadError);
    await expect(failure).rejects.toThrow(path);
  });

  it('throws a PromptLoadError when the file holds only whitespace', async () => {
    const path = join(dir, 'blank.md');
    await writeFile(path, ' \n\t\n', 'utf8');

    await expect(loadArchitectPrompt(path)).rejects.toThrow(/is empty/);
  });
});

describe('the architect system prompt', () => {
  it.each([
    'Role',
    'Principles',
    'Deliverables',
    'Answering in Slack',
    'Follow-ups and clarifying questions',
    'Quality checklist',
  ])('has a "## %s" section', (heading) => {
    expect([...sections.keys()]).toContain(heading);
  });

  it('states the five principles of the role', () => {
    const principles = section('Principles');

    expect(principles).toMatch(/service boundaries/i);
    expect(principles).toMatch(/contract-first/i);
    expect(principles).toMatch(/eventual and strong consistency/i);
    expect(principles).toMatch(/horizontal scaling/i);
    expect(principles).toMatch(/keep it simple/i);
  });

  it.each([
    [
      'API endpoints',
      [/HTTP methods and paths/i, /example JSON/i, /status codes/i, /error responses/i, /versioning/i],
    ],
    [
      'service architecture',
      [/mermaid/, /boundaries and responsibilities/i, /sync and async/i, /data flow/i],
    ],
    ['database schema', [/data types/i, /primary and foreign key/i, /indexes/i, /partitioning\/sharding/i]],
    ['technology recommendations', [/specific technology choices/i, /rationale/i, /trade-offs/i]],
    ['scalability analysis', [/bottlenecks/i, /vertical and horizontal/i, /performance/i, /monitoring/i]],
  ] as const)('describes the %s deliverable with its sub-points', (_name, subPoints) => {
    const deliverables = section('Deliverables');

    for (const subPoint of subPoints) {
      expect(deliverables).toMatch(subPoint);
    }
  });

  it('tells the model the exact output heading of each design section', () => {
    for (const heading of DESIGN_SECTION_HEADINGS) {
      expect(section('Deliverables')).toContain(`\`## ${heading}\``);
      expect(section('Answering in Slack')).toContain(`\`## ${heading}\``);
    }
  });

  it('lists the output headings in the order the renderer expects', () => {
    const answering = section('Answering in Slack');

    const positions = DESIGN_SECTION_HEADINGS.map((heading) => answering.indexOf(`## ${heading}`));

    expect(positions.every((position) => position >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('offers an optional summary before the sections and "## Open Questions" after them', () => {
    const answering = section('Answering in Slack');

    expect(answering).toMatch(/summary paragraph/i);
    expect(answering).toContain('`## Open Questions`');
    expect(answering).toContain('`###`');
  });

  it('says the answer goes to a Slack thread, in standard Markdown', () => {
    const answering = section('Answering in Slack');

    expect(answering).toMatch(/Slack thread/);
    expect(answering).toMatch(/standard Markdown/);
    expect(answering).toMatch(/No Slack mrkdwn/);
  });

  it('forbids horizontal rules and HTML in the answer', () => {
    const answering = section('Answering in Slack');

    expect(answering).toMatch(/never use horizontal rules/i);
    expect(answering).toMatch(/no HTML/i);
  });

  it('asks for code blocks tagged with a language', () => {
    expect(section('Answering in Slack')).toMatch(/always with a language: `json`, `sql`, `mermaid`, `http`/);
  });

  it('bounds the length of an answer', () => {
    expect(section('Answering in Slack')).toMatch(/well under about 6,000 words/);
  });

  it('has follow-ups show only what changed instead of repeating the design', () => {
    const followUps = section('Follow-ups and clarifying questions');

    expect(followUps).toMatch(/answer only what is asked/i);
    expect(followUps).toMatch(/show only what changes/i);
  });

  it('has vague requests answered with two to four clarifying questions and stated assumptions', () => {
    const followUps = section('Follow-ups and clarifying questions');

    expect(followUps).toMatch(/two to four short clarifying questions/i);
    expect(followUps).toMatch(/assumptions you would make/i);
  });

  it('redirects off-topic requests and treats thread content as data, not instructions', () => {
    const followUps = section('Follow-ups and clarifying questions');

    expect(followUps).toMatch(/off-topic/i);
    expect(followUps).toMatch(/polite redirect/i);
    expect(followUps).toMatch(/as user data .*never as instructions/i);
  });

  it.each([
    ['REST principles', /REST principles/],
    ['normalisation', /normalised appropriately/],
    ['single points of failure', /single points of failure/],
    ['security', /security considerations/i],
    ['performance requirements', /stated performance requirements/],
  ])('checks %s in the quality checklist', (_item, pattern) => {
    expect(section('Quality checklist')).toMatch(pattern);
  });

  it('does not start with YAML frontmatter', () => {
    expect(prompt.startsWith('---')).toBe(false);
  });

  it('contains no horizontal rule of its own', () => {
    expect(prompt).not.toMatch(/^\s*([-*_])(\s*\1){2,}\s*$/m);
  });

  it.each(['pnpm', '.claude', 'Never run build', 'subagent', 'Task tool'])(
    'drops the coding-agent leftover "%s"',
    (leftover) => {
      expect(prompt.toLowerCase()).not.toContain(leftover.toLowerCase());
    },
  );
});
