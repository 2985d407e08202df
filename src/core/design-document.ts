import type { Turn } from './conversation.js';

/** A thread's design as one Markdown document, ready for a canvas or a file. */
export interface DesignDocument {
  readonly title: string;
  readonly markdown: string;
  /** Answers in the document (the first design plus each answered follow-up). */
  readonly answers: number;
}

/** Longest document title: long enough to name the request, short enough for a canvas list. */
export const MAX_TITLE_CHARS = 80;
const FALLBACK_TITLE = 'Architect design';

/**
 * The complete current design of a thread, built from its stored turns. Follow-up answers show
 * only what changed (see `prompts/architect.md`), so the current design is the first answer plus
 * every change in order: the first answer comes whole under "Design", then each follow-up under
 * "Follow-ups" as a heading naming the question, the question quoted, and its answer, so a reader
 * sees both what was decided and why it changed, and later sections overrule earlier ones. Canvases
 * render headings h1 to h3 only, so answer headings are fitted below the document's own.
 * Null when no answer is stored (a forgotten thread, or none written yet).
 */
export function designDocument(turns: readonly Turn[]): DesignDocument | null {
  const firstRequest = turns.find((turn) => turn.role === 'user');
  const title = designTitle(firstRequest?.text ?? '');
  const parts: string[] = [];
  let pending: Turn[] = [];
  let answers = 0;
  for (const turn of turns) {
    if (turn.role === 'user') {
      pending.push(turn);
      continue;
    }
    const asked = pending.find((question) => question.postTs === turn.postTs) ?? pending.at(-1);
    if (answers === 0) {
      parts.push(
        '_Exported by Architect from a Slack thread: the design as first answered, then each follow-up in order. Later sections change earlier ones._',
        ...pending.map((question) => quote(question.text)),
        '# Design',
        fitHeadings(turn.text, 2),
      );
    } else {
      if (answers === 1) parts.push('# Follow-ups');
      parts.push(
        `## ${answers}. ${headingText(asked?.text ?? 'Follow-up')}`,
        ...pending.map((question) => quote(question.text)),
        fitHeadings(turn.text, 3),
      );
    }
    if (turn.truncated) parts.push('_This answer reached the length limit in Slack; it may stop short._');
    answers += 1;
    pending = [];
  }
  if (answers === 0) return null;
  return { title, markdown: `${parts.join('\n\n')}\n`, answers };
}

/**
 * The document's title: the first line of the first request, without mentions, at most
 * {@link MAX_TITLE_CHARS} characters.
 */
export function designTitle(request: string): string {
  const line = withoutMentions(request)
    .split('\n')
    .map((candidate) => candidate.trim())
    .find((candidate) => candidate !== '');
  return line ? cut(line, MAX_TITLE_CHARS) : FALLBACK_TITLE;
}

function headingText(question: string): string {
  return designTitle(question).replace(/#/g, '');
}

function withoutMentions(text: string): string {
  return text
    .replace(/<[@!#][^>]*>/g, ' ')
    .replace(/(^|\s)@[\w.-]+[,:]?/g, '$1')
    .replace(/[ \t]+/g, ' ');
}

function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

function quote(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => (line === '' ? '>' : `> ${line}`))
    .join('\n');
}

/**
 * Moves the answer's ATX headings to `top` or below (never deeper than h3, the deepest a canvas
 * shows), outside code fences, keeping their order of importance where there is room.
 */
function fitHeadings(markdown: string, top: 2 | 3): string {
  let fence: string | undefined;
  return markdown
    .trim()
    .split('\n')
    .map((line) => {
      const marker = line.match(/^\s{0,3}(`{3,}|~{3,})/)?.[1];
      if (marker) {
        if (!fence) fence = marker[0];
        else if (marker[0] === fence) fence = undefined;
        return line;
      }
      if (fence) return line;
      const heading = line.match(/^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/);
      if (!heading) return line;
      const level = Math.min(3, Math.max(top, (heading[1] ?? '').length + (top - 2)));
      return `${'#'.repeat(level)} ${heading[2] ?? ''}`;
    })
    .join('\n');
}
