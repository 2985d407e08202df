import { describe, expect, it } from 'vitest';
import { SlackWritePacer } from '../../src/slack/slack-write-pacer.js';

describe('SlackWritePacer', () => {
  it('lets calls within the limit through at once', async () => {
    const pacer = new SlackWritePacer({ 'chat.update': { calls: 3, perMs: 1_000 } });
    const started = Date.now();
    await Promise.all([1, 2, 3].map(() => pacer.take('T1', 'chat.update')));
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('holds a call over the limit until the window has room, in order', async () => {
    const pacer = new SlackWritePacer({ 'chat.update': { calls: 2, perMs: 300 } });
    const done: number[] = [];
    const started = Date.now();
    await Promise.all(
      [0, 1, 2].map((n) =>
        pacer.take('T1', 'chat.update').then(() => {
          done.push(n);
        }),
      ),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(done).toEqual([0, 1, 2]);
  });

  it('keeps workspaces and methods apart, and never holds an unlimited method', async () => {
    const pacer = new SlackWritePacer({ 'chat.update': { calls: 1, perMs: 10_000 } });
    await pacer.take('T1', 'chat.update');
    expect(pacer.waitMs('T1', 'chat.update')).toBeGreaterThan(9_000);
    expect(pacer.waitMs('T2', 'chat.update')).toBe(0);
    const started = Date.now();
    await pacer.take('T2', 'chat.update');
    await pacer.take('T1', 'chat.postMessage');
    expect(Date.now() - started).toBeLessThan(100);
  });
});
