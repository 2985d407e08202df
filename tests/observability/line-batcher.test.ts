import { describe, expect, it } from 'vitest';
import { LineBatcher } from '../../src/observability/line-batcher.js';

/** Resolves after the turn of the event loop in which `setImmediate` callbacks queued now have run. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

describe('LineBatcher', () => {
  it('hands on the lines of one turn together, in order, once that turn is over', async () => {
    const batches: string[][] = [];
    const batcher = new LineBatcher((lines) => batches.push([...lines]));

    batcher.write('one');
    batcher.write('two');
    batcher.write('three');
    const beforeTheTurnEnds = batches.length;
    await nextTurn();

    expect(beforeTheTurnEnds).toBe(0);
    expect(batches).toEqual([['one', 'two', 'three']]);
  });

  it('starts a new batch for the lines of a later turn', async () => {
    const batches: string[][] = [];
    const batcher = new LineBatcher((lines) => batches.push([...lines]));

    batcher.write('first turn');
    await nextTurn();
    batcher.write('second turn, a');
    batcher.write('second turn, b');
    await nextTurn();

    expect(batches).toEqual([['first turn'], ['second turn, a', 'second turn, b']]);
  });

  it('flush hands on what is waiting at once, and nothing twice', async () => {
    const batches: string[][] = [];
    const batcher = new LineBatcher((lines) => batches.push([...lines]));

    batcher.write('before a report');
    batcher.flush();
    const afterFlush = batches.map((batch) => [...batch]);
    batcher.flush();
    await nextTurn();

    expect(afterFlush).toEqual([['before a report']]);
    expect(batches).toEqual([['before a report']]);
  });
});
