import { describe, expect, it } from 'vitest';
import { styledCellRuns } from '../../../src/slack/render/table-cell-rich-text.js';

describe('styledCellRuns', () => {
  it('styles code spans and bold text and keeps the spaces between runs', () => {
    expect(styledCellRuns('Postgres `SKIP LOCKED` queue, **fine** below 5M/day')).toEqual([
      { text: 'Postgres ' },
      { text: 'SKIP LOCKED', style: { code: true } },
      { text: ' queue, ' },
      { text: 'fine', style: { bold: true } },
      { text: ' below 5M/day' },
    ]);
  });

  it('reduces links and italics in plain runs to their text, and bold inside a code span stays code', () => {
    expect(styledCellRuns('**SQS** via [docs](https://aws.amazon.com) _managed_ `a**b**`')).toEqual([
      { text: 'SQS', style: { bold: true } },
      { text: ' via docs managed ' },
      { text: 'a**b**', style: { code: true } },
    ]);
  });

  it('gives undefined for a cell without code or bold, and for one with only stray marks', () => {
    expect(styledCellRuns('plain _italic_ text')).toBeUndefined();
    expect(styledCellRuns('snake__case__name')).toEqual([
      { text: 'snake' },
      { text: 'case', style: { bold: true } },
      { text: 'name' },
    ]);
    expect(styledCellRuns('``')).toBeUndefined();
  });
});
