import { describe, expect, it } from 'vitest';
import { withoutImageBlocks } from '../../../src/slack/render/without-image-blocks.js';

describe('withoutImageBlocks', () => {
  it('drops the image blocks and keeps every other block and the text', () => {
    const message = {
      text: 'Architecture',
      blocks: [
        { type: 'markdown' as const, text: '```mermaid\ngraph TD\n```' },
        { type: 'image' as const, image_url: 'https://kroki.io/mermaid/png/x', alt_text: 'Diagram' },
        { type: 'markdown' as const, text: 'After' },
      ],
    };

    expect(withoutImageBlocks(message)).toEqual({
      text: 'Architecture',
      blocks: [
        { type: 'markdown', text: '```mermaid\ngraph TD\n```' },
        { type: 'markdown', text: 'After' },
      ],
    });
  });

  it('gives undefined for a message without images, so there is nothing to try again', () => {
    expect(withoutImageBlocks({ text: 'x', blocks: [{ type: 'markdown', text: 'x' }] })).toBeUndefined();
  });
});
