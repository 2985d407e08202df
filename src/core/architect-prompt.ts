import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ArchitectError } from './errors.js';

/** The system prompt file, `prompts/architect.md` at the repository root. */
export const ARCHITECT_PROMPT_PATH: URL = new URL('../../prompts/architect.md', import.meta.url);

/** The `##` heading texts of a full design, in the order the system prompt tells the model to use them. */
export const DESIGN_SECTION_HEADINGS = [
  'API Endpoints',
  'Service Architecture',
  'Database Schema',
  'Technology Recommendations',
  'Scalability Analysis',
] as const;

export type DesignSectionHeading = (typeof DESIGN_SECTION_HEADINGS)[number];

/** The system prompt file could not be read or is empty. */
export class PromptLoadError extends ArchitectError {}

/** Reads the system prompt (by default `prompts/architect.md`) as UTF-8, trimmed. */
export async function loadArchitectPrompt(path: string | URL = ARCHITECT_PROMPT_PATH): Promise<string> {
  const shownPath = path instanceof URL ? fileURLToPath(path) : path;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new PromptLoadError(`Cannot read the system prompt at ${shownPath}`, { cause: error });
  }
  const prompt = text.trim();
  if (prompt === '') {
    throw new PromptLoadError(`The system prompt at ${shownPath} is empty`);
  }
  return prompt;
}
