import { describe, expect, it } from 'vitest';
import { segmentSectionBody } from '../../../src/slack/render/segment-section-body.js';

describe('segmentSectionBody', () => {
  it('separates text, a pipe table and a mermaid block, in order', () => {
    const body = [
      'Intro',
      '',
      '| A | B |',
      '|---|---|',
      '| 1 | 2 |',
      '',
      '```mermaid',
      'graph TD',
      '  A --> B',
      '```',
      'After',
    ].join('\n');

    expect(segmentSectionBody(body)).toEqual([
      { kind: 'markdown', text: 'Intro\n' },
      { kind: 'table', lines: ['| A | B |', '|---|---|', '| 1 | 2 |'] },
      { kind: 'mermaid', text: '```mermaid\ngraph TD\n  A --> B\n```', source: 'graph TD\n  A --> B' },
      { kind: 'markdown', text: 'After' },
    ]);
  });

  it('leaves a table or a mermaid fence inside another code block as code', () => {
    const body = '````md\n| A | B |\n|---|---|\n```mermaid\ngraph TD\n```\n````';

    expect(segmentSectionBody(body)).toEqual([{ kind: 'markdown', text: body }]);
  });

  it('takes the rest of the body as the diagram when its fence never closes', () => {
    expect(segmentSectionBody('```mermaid\ngraph TD\n  A --> B')).toEqual([
      { kind: 'mermaid', text: '```mermaid\ngraph TD\n  A --> B', source: 'graph TD\n  A --> B' },
    ]);
  });
});
