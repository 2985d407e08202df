import { describe, expect, it } from 'vitest';
import type { KnownBlock, SlackMessagePayload } from '../../../src/slack/render/slack-message-payload.js';
import { withFooter } from '../../../src/slack/render/with-footer.js';

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const message = (blocks: number, text = 'part'): SlackMessagePayload => ({
  text,
  blocks: Array.from({ length: blocks }, (_, n) => section(`${text} ${n}`)),
});
const footer: KnownBlock[] = [
  { type: 'context', elements: [{ type: 'mrkdwn', text: 'footer' }] },
  section('buttons'),
];

describe('withFooter', () => {
  it('appends the footer to the last message only', () => {
    const result = withFooter([message(3, 'one'), message(2, 'two')], footer);

    expect(result).toHaveLength(2);
    expect(result[0]).toEqual(message(3, 'one'));
    expect(result[1]?.blocks.slice(-2)).toEqual(footer);
    expect(result[1]?.text).toBe('two');
  });

  it('sends the footer as a message of its own when the last message has no room for it', () => {
    const result = withFooter([message(49)], footer);

    expect(result).toHaveLength(2);
    expect(result[0]?.blocks).toHaveLength(49);
    expect(result[1]?.blocks).toEqual(footer);
    expect(result[1]?.text).not.toBe('');
  });

  it('fills the last message up to exactly 50 blocks', () => {
    expect(withFooter([message(48)], footer)[0]?.blocks).toHaveLength(50);
  });
});
