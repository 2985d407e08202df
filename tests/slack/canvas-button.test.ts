import { describe, expect, it } from 'vitest';
import {
  CANVAS_ACTION_ID,
  canvasButtonBlock,
  parseCanvasValue,
  withCanvasButton,
} from '../../src/slack/canvas-button.js';
import { SLACK_MAX_BLOCKS_PER_MESSAGE } from '../../src/slack/render/slack-limits.js';
import type { SlackMessagePayload } from '../../src/slack/render/slack-message-payload.js';

const thread = { teamId: 'T1', channelId: 'C1', threadTs: '1700000000.000100' };

function buttonOf(block: unknown): { action_id?: string; value?: string } | undefined {
  return (block as { elements?: Array<{ action_id?: string; value?: string }> }).elements?.[0];
}

const markdown = (text: string) => ({ type: 'markdown' as const, text });

describe('canvasButtonBlock', () => {
  it('is an actions block whose button carries the thread, read back by parseCanvasValue', () => {
    const block = canvasButtonBlock(thread);
    expect(block.type).toBe('actions');
    const button = buttonOf(block);
    expect(button?.action_id).toBe(CANVAS_ACTION_ID);
    expect(parseCanvasValue(button?.value)).toEqual({
      team: 'T1',
      channel: 'C1',
      thread: '1700000000.000100',
    });
  });

  it('reads values that are not ours as null', () => {
    expect(parseCanvasValue('{"team":"T1","channel":"C1","thread":"yesterday"}')).toBeNull();
    expect(parseCanvasValue('not json')).toBeNull();
    expect(parseCanvasValue(undefined)).toBeNull();
  });
});

describe('withCanvasButton', () => {
  it('adds the button under the last message only', () => {
    const messages: SlackMessagePayload[] = [
      { text: 'one', blocks: [markdown('one')] },
      { text: 'two', blocks: [markdown('two')] },
    ];
    const result = withCanvasButton(messages, thread);
    expect(result).toHaveLength(2);
    expect(result[0]?.blocks).toHaveLength(1);
    expect(buttonOf(result[1]?.blocks.at(-1))?.action_id).toBe(CANVAS_ACTION_ID);
  });

  it('puts the button in a message of its own when the last message is full', () => {
    const full: SlackMessagePayload = {
      text: 'full',
      blocks: Array.from({ length: SLACK_MAX_BLOCKS_PER_MESSAGE }, (_, i) => markdown(`part ${i}`)),
    };
    const result = withCanvasButton([full], thread);
    expect(result).toHaveLength(2);
    expect(result[0]?.blocks).toHaveLength(SLACK_MAX_BLOCKS_PER_MESSAGE);
    expect(result[1]?.text).not.toBe('');
    expect(buttonOf(result[1]?.blocks[0])?.action_id).toBe(CANVAS_ACTION_ID);
  });
});
