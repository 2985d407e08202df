import type { SlackMessagePayload } from '../../../src/slack/render/render-answer.js';

/** The texts of all header blocks, in order. */
export function headerTexts(messages: readonly SlackMessagePayload[]): string[] {
  return messages.flatMap((message) =>
    message.blocks.flatMap((block) => (block.type === 'header' ? [block.text.text] : [])),
  );
}

/** The texts of all markdown blocks, in order. */
export function markdownTexts(messages: readonly SlackMessagePayload[]): string[] {
  return messages.flatMap((message) =>
    message.blocks.flatMap((block) => (block.type === 'markdown' ? [block.text] : [])),
  );
}

/** Total characters of markdown and header text in one message. */
export function blockTextChars(message: SlackMessagePayload): number {
  return message.blocks.reduce((total, block) => {
    if (block.type === 'markdown') return total + block.text.length;
    if (block.type === 'header') return total + block.text.text.length;
    return total;
  }, 0);
}

/** True when the line opens or closes a code fence. */
export function isFenceLine(line: string): boolean {
  return /^\s*(`{3,}|~{3,})/.test(line);
}

/** Lines that are not blank. */
export function nonBlankLines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}
