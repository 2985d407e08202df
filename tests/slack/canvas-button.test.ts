import { describe, expect, it } from 'vitest';
import { CANVAS_ACTION_ID, canvasButtonBlock, parseCanvasValue } from '../../src/slack/canvas-button.js';

const thread = { teamId: 'T1', channelId: 'C1', threadTs: '1700000000.000100' };

function buttonOf(block: unknown): { action_id?: string; value?: string } | undefined {
  return (block as { elements?: Array<{ action_id?: string; value?: string }> }).elements?.[0];
}

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
