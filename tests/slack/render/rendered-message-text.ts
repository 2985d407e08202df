import type { SlackMessagePayload } from '../../../src/slack/render/render-answer.js';
import type { KnownBlock } from '../../../src/slack/render/slack-message-payload.js';

type TableBlock = Extract<KnownBlock, { type: 'table' }>;
type TableCell = TableBlock['rows'][number][number];

/** All table blocks, in order. */
export function tableBlocks(messages: readonly SlackMessagePayload[]): TableBlock[] {
  return messages.flatMap((message) =>
    message.blocks.flatMap((block) => (block.type === 'table' ? [block] : [])),
  );
}

/** The text of a table cell: raw_text or raw_number as is, rich_text as the text of its sections. */
export function cellText(cell: TableCell): string {
  if (cell.type !== 'rich_text') return cell.text;
  return cell.elements
    .flatMap((element) => (element.type === 'rich_text_section' ? element.elements : []))
    .map((element) => ('text' in element && typeof element.text === 'string' ? element.text : ''))
    .join('');
}

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

/** Total characters of block text in one message: markdown, headers, table cells, links, image alt texts. */
export function blockTextChars(message: SlackMessagePayload): number {
  return message.blocks.reduce((total, block) => {
    if (block.type === 'markdown') return total + block.text.length;
    if (block.type === 'header') return total + block.text.text.length;
    if (block.type === 'table') return total + block.rows.flat().map(cellText).join('').length;
    if (block.type === 'image') return total + block.alt_text.length;
    if (block.type === 'context') {
      return (
        total +
        block.elements.reduce((sum, element) => sum + ('text' in element ? element.text.length : 0), 0)
      );
    }
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
