import { DESIGN_SECTION_HEADINGS, type DesignSectionHeading } from './architect-prompt.js';
import type { IncomingRequest } from './conversation.js';

// Decides when an answer to a full design request left out some of the five deliverables, so the model
// can be asked once more for just those. Every rule here leans towards "present" and "not a design
// request": a missed supplement costs nothing, a needless one costs a model call and repeats content.

/** Fewer recognised deliverables than this: the model chose a short answer or asked questions back. */
export const MIN_DELIVERABLES_OF_A_DESIGN = 2;

/** What the completeness check needs to know about the request. */
export interface DesignRequestFacts {
  /** `request` for the first post of a thread, `follow-up` for a reply in it. */
  readonly kind: IncomingRequest['kind'];
  readonly text: string;
}

/**
 * True when the post is the first request of a thread and asks for a system to be designed ("design a
 * shopping cart service", "we need an auth service"), not a narrow question ("which index for X?", "Kafka or
 * SQS?"), a design of one part only ("design the schema for …") or a review.
 */
export function isFullDesignRequest(request: DesignRequestFacts): boolean {
  if (request.kind !== 'request') return false;
  const text = request.text.toLowerCase().replace(/\s+/g, ' ').trim();
  if (text === '' || REVIEW.test(text) || NARROW_QUESTION_START.test(text)) return false;
  if (CHOICE.test(text) && text.endsWith('?')) return false;
  // What an ask is about: the words after its verb up to a preposition or a stop ("the schema" in
  // "design the schema for a cart service", "an authentication service" in "create an authentication service").
  const objectAfter = (ask: RegExpExecArray) =>
    text.slice(ask.index + ask[0].length).split(END_OF_OBJECT)[0] ?? '';
  const verbs = [...text.matchAll(DESIGN_VERB)];
  const asks = [...verbs, ...text.matchAll(SYSTEM_ASK)];
  if (asks.some((ask) => WHOLE_SYSTEM.test(objectAfter(ask)))) return true;
  // Otherwise only a design verb counts, and not for a part of a design ("the schema", "pagination"):
  // "we need help" or "implement rate limiting" is no design request.
  const verb = verbs[0];
  return verb !== undefined && !PART_OF_A_DESIGN.test(objectAfter(verb));
}

/**
 * The deliverables an answer contains, in the prompt's order: by heading (`##`, also `#`/`###` or a line
 * in bold, whatever the numbering, emoji or case), or by content where the headings differ (a mermaid
 * fence is the diagram, `CREATE TABLE` or a column/type table is the schema, …).
 */
export function deliverablesIn(answer: string): DesignSectionHeading[] {
  const { headings, prose, fences } = splitMarkdown(answer);
  return DESIGN_SECTION_HEADINGS.filter(
    (section) =>
      headings.some((heading) => HEADING_KEYWORDS[section].test(heading)) ||
      CONTENT_SIGNS[section]({ prose, fences, tableHeaders: tableHeadersOf(prose) }),
  );
}

/**
 * The deliverables a full design answer left out, in the prompt's order; empty when the request was
 * not for a full design, when the answer is not a design (a clarifying question, a short answer) or
 * when nothing is missing.
 */
export function missingDeliverables(request: DesignRequestFacts, answer: string): DesignSectionHeading[] {
  if (!isFullDesignRequest(request)) return [];
  const present = deliverablesIn(answer);
  if (present.length < MIN_DELIVERABLES_OF_A_DESIGN) return [];
  return DESIGN_SECTION_HEADINGS.filter((section) => !present.includes(section));
}

/**
 * The bot's short follow-on request for the sections a design left out, sent after the conversation
 * and the first answer (so the cached prefix is reused): those sections only, same format, nothing repeated.
 */
export function missingSectionsInstruction(sections: readonly DesignSectionHeading[]): string {
  const headings = sections.map((section) => `\`## ${section}\``).join(', ');
  return (
    `[Note from the Architect bot: your design above is missing ${sections.length === 1 ? 'this section' : 'these sections'}: ${headings}. ` +
    'Write only the missing section(s) now, with exactly those headings, in the order given, following the same rules and format as the rest of the design. ' +
    'Build on the design above and keep its names. Do not repeat or summarise anything already written, and add no introduction or closing remarks.]'
  );
}

const REVIEW =
  /\b(review|critique|audit|feedback on|sanity[- ]check|look over|thoughts on|what do you think)\b/;
const NARROW_QUESTION_START = /^(which|should|is|are|does|do|did|why|when|where|who)\b/;
/** "Kafka or SQS", "Postgres vs DynamoDB": a choice between two things. */
const CHOICE = /\b[\w.-]+ (or|vs\.?|versus) [\w.-]+\b/;
/** Verbs that ask for a design whatever follows them, unless it is a part of one. */
const DESIGN_VERB =
  /\b(design|architect|build|create|plan|propose|sketch|draft|develop|spin up|put together|come up with|lay out)(s|ed|ing)?\b/g;
/** Words that ask for a design only when what follows is named as a system ("add a cart feature"). */
const SYSTEM_ASK =
  /\b(add|adding|implement|implementing|need|want|looking for|starting|set up|setting up)\b/g;
const END_OF_OBJECT = /\b(?:for|of|in|on|to|with|that|which|where|so|using|at|like)\b|[,.;:?!(]/;
const WHOLE_SYSTEM =
  /\b(services?|systems?|platforms?|backends?|back-end|apps?|applications?|products?|features?|microservices?|architectures?|infrastructure|marketplace|engine|saas|clone)\b/;
const PART_OF_A_DESIGN =
  /\b(schemas?|tables?|index(es)?|indices|endpoints?|apis?|quer(y|ies)|diagrams?|columns?|migrations?|data models?|keys?|sql|pagination|caching|cache|rate limit(s|ing)?|retries|webhooks?|fields?|filters?|validation|versioning|idempotency|error handling)\b/;

const HEADING_KEYWORDS: Record<DesignSectionHeading, RegExp> = {
  'API Endpoints':
    /\b(apis?|endpoints?|rest(ful)?|routes?|http interface|interfaces?|contracts?|graphql|grpc)\b/,
  'Service Architecture':
    /\b(architecture|diagram|services|service (design|boundaries|map)|system design|components?|topology|high-level design)\b/,
  'Database Schema':
    /\b(schemas?|database|databases|data models?|data modell?ing|tables?|storage|persistence|data layer|ddl|entities)\b/,
  'Technology Recommendations':
    /\b(technology|technologies|tech( stack| choices)?|stack|tooling|tools|choices|recommendations?)\b/,
  'Scalability Analysis':
    /\b(scal\w*|performance|capacity|bottlenecks?|throughput|load|observability|monitoring|reliability)\b/,
};

interface AnswerParts {
  /** Prose outside code fences. */
  readonly prose: string;
  /** Each fence: its info string (language) and its content. */
  readonly fences: ReadonlyArray<{ readonly info: string; readonly body: string }>;
  /** Lower-cased cell texts of each pipe table's header row. */
  readonly tableHeaders: ReadonlyArray<readonly string[]>;
}

const METHOD_AND_PATH = /\b(GET|POST|PUT|PATCH|DELETE)`?\s*(\|\s*)?`?\/[\w{}:.~/-]*/g;
const DIAGRAM_LINE = /(-{2,}>|<-{2,}|={2,}>|\.->|[─│┌┐└┘▶►]|\+-{3,}\+)/;
const SCALABILITY_SIGNS = [
  /\bbottlenecks?\b/i,
  /\b((horizontal|vertical)(ly)? scal|scale (out|up|horizontally|vertically)|auto-?scal)/i,
  /\b(slos?|p9[059](\.9)?)\b/i,
  /\b(rps|qps|tps|requests? (per|a|\/) ?second|writes? (per|a) second|reads? (per|a) second)\b/i,
];

const CONTENT_SIGNS: Record<DesignSectionHeading, (parts: AnswerParts) => boolean> = {
  'API Endpoints': ({ prose, fences }) =>
    ([prose, ...fences.map((fence) => fence.body)].join('\n').match(METHOD_AND_PATH)?.length ?? 0) >= 2,
  'Service Architecture': ({ fences }) =>
    fences.some(
      (fence) =>
        /^(mermaid|plantuml)\b/i.test(fence.info) ||
        fence.body.split('\n').filter((line) => DIAGRAM_LINE.test(line)).length >= 2,
    ),
  'Database Schema': ({ prose, fences, tableHeaders }) =>
    [prose, ...fences.map((fence) => fence.body)].some((text) => /\bcreate\s+table\b/i.test(text)) ||
    tableHeaders.some(
      (cells) =>
        (cells.some((cell) => /^(column|field|attribute|name)s?$/.test(cell)) &&
          cells.some((cell) => /\btype\b/.test(cell))) ||
        (cells.some((cell) => /^(pk|partition key|hash key)\b/.test(cell)) &&
          cells.some((cell) => /^(sk|sort key|range key)\b/.test(cell))),
    ),
  'Technology Recommendations': ({ tableHeaders }) =>
    tableHeaders.some(
      (cells) =>
        cells.some((cell) =>
          /^(technology|tech|tool|choice|pick|option|component|concern|need)\b/.test(cell),
        ) && cells.some((cell) => /\b(rationale|why|reason|trade-?offs?)\b/.test(cell)),
    ),
  'Scalability Analysis': ({ prose }) => SCALABILITY_SIGNS.filter((sign) => sign.test(prose)).length >= 2,
};

/** Headings (normalised), prose and fences of a Markdown answer. */
function splitMarkdown(answer: string): { headings: string[]; prose: string; fences: AnswerParts['fences'] } {
  const headings: string[] = [];
  const proseLines: string[] = [];
  const fences: Array<{ info: string; body: string }> = [];
  let fence: { marker: string; info: string; lines: string[] } | undefined;
  for (const line of answer.split('\n')) {
    const fenceMark = /^\s{0,3}(`{3,}|~{3,})\s*([^`\s]*)/.exec(line);
    if (fence) {
      if (fenceMark?.[1]?.startsWith(fence.marker) && line.trim() === fenceMark[1]) {
        fences.push({ info: fence.info, body: fence.lines.join('\n') });
        fence = undefined;
      } else {
        fence.lines.push(line);
      }
      continue;
    }
    if (fenceMark?.[1]) {
      fence = { marker: fenceMark[1], info: fenceMark[2] ?? '', lines: [] };
      continue;
    }
    proseLines.push(line);
    const heading =
      /^\s{0,3}#{1,3}\s+(.+?)\s*#*\s*$/.exec(line) ?? /^\s{0,3}(\*\*|__)(.+?)\1:?\s*$/.exec(line);
    const title = heading?.[2] ?? heading?.[1];
    if (title) headings.push(normaliseHeading(title));
  }
  // An unclosed fence (a cut answer) still counts as a fence.
  if (fence) fences.push({ info: fence.info, body: fence.lines.join('\n') });
  return { headings, prose: proseLines.join('\n'), fences };
}

/** "## 3️⃣ **Data Model & Storage**" -> "data model and storage". */
function normaliseHeading(title: string): string {
  return title
    .replace(/\p{Extended_Pictographic}|\u20e3|\ufe0f|\u200d/gu, ' ')
    .replace(/[*_`[\]()]/g, ' ')
    .replace(/&/g, ' and ')
    .toLowerCase()
    .replace(/^\s*((step|part|section)\s+)?(\d+|[ivx]+)\s*([.):-]|\s)\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The header row of each pipe table: a `|` line followed by a `|---|` separator line. */
function tableHeadersOf(prose: string): string[][] {
  const lines = prose.split('\n');
  const headers: string[][] = [];
  for (const [index, line] of lines.entries()) {
    const next = lines[index + 1] ?? '';
    if (!line.includes('|') || !/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(next)) continue;
    headers.push(
      line
        .split('|')
        .map((cell) => cell.replace(/[*_`]/g, '').trim().toLowerCase())
        .filter((cell) => cell !== ''),
    );
  }
  return headers;
}
