import type { KnownBlock } from './slack-message-payload.js';

/** Characters of text in a block: every string under a `text` key, at any depth (labels, cells, links). */
export function countBlockText(block: KnownBlock): number {
  return countText(block);
}

function countText(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((total: number, item) => total + countText(item), 0);
  if (value === null || typeof value !== 'object') return 0;
  return Object.entries(value).reduce(
    (total, [key, item]) =>
      total + (key === 'text' && typeof item === 'string' ? item.length : countText(item)),
    0,
  );
}
