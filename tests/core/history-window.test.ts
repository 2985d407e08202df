import { describe, expect, it } from 'vitest';
import type { Turn } from '../../src/core/conversation.js';
import { buildHistoryWindow } from '../../src/core/history-window.js';

/** One token per character keeps the arithmetic of these tests readable. */
const perChar = (text: string) => text.length;

function thread(...texts: string[]): Turn[] {
  return texts.map((text, index) => ({
    role: index % 2 === 0 ? 'user' : 'assistant',
    postTs: `1700000000.${String(Math.floor(index / 2)).padStart(6, '0')}`,
    text,
  }));
}

describe('buildHistoryWindow', () => {
  it('sends the whole thread when it fits the budget', () => {
    const window = buildHistoryWindow(
      thread('design a cart', 'the design', 'what about multi-region?'),
      1_000,
      {
        estimate: perChar,
      },
    );
    expect(window.omittedMessages).toBe(0);
    expect(window.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(window.messages[2]?.content).toBe('what about multi-region?');
  });

  it('keeps the first request and the newest messages and drops whole middle messages when over budget', () => {
    const turns = thread(
      'FIRST',
      'a'.repeat(400),
      'second question',
      'b'.repeat(400),
      'third question',
      'c'.repeat(100),
      'NEWEST',
    );
    const window = buildHistoryWindow(turns, 400, { estimate: perChar, trimToFraction: 1 });
    const contents = window.messages.map((message) => message.content);
    expect(contents[0]).toContain('FIRST');
    expect(contents.at(-1)).toBe('NEWEST');
    expect(contents.join('')).not.toContain('a'.repeat(400));
    expect(contents.join('')).not.toContain('b'.repeat(400));
    expect(window.omittedMessages).toBe(4);
  });

  it('tells the model how many messages were left out', () => {
    const turns = thread('FIRST', 'x'.repeat(500), 'NEWEST');
    const window = buildHistoryWindow(turns, 300, { estimate: perChar, trimToFraction: 1 });
    expect(window.messages[0]?.notice).toMatch(/1 earlier message\(s\) of this thread were left out/);
    expect(window.messages[0]?.content).not.toContain('left out');
  });

  it('keeps user and assistant messages alternating, starting and ending with the user', () => {
    const turns = thread(
      'FIRST',
      'x'.repeat(50),
      'q2',
      'y'.repeat(50),
      'q3',
      'z'.repeat(50),
      'q4',
      'w'.repeat(300),
      'NEWEST',
    );
    for (const budget of [100, 300, 500, 700, 5_000]) {
      const roles = buildHistoryWindow(turns, budget, { estimate: perChar, trimToFraction: 1 }).messages.map(
        (message) => message.role,
      );
      expect(roles[0]).toBe('user');
      expect(roles.at(-1)).toBe('user');
      roles.forEach((role, index) => {
        if (index > 0) expect(role).not.toBe(roles[index - 1]);
      });
    }
  });

  it('merges a request whose answer failed with the next request instead of sending two user turns', () => {
    const turns: Turn[] = [
      { role: 'user', postTs: '1700000000.000001', text: 'design a cart' },
      { role: 'user', postTs: '1700000000.000002', text: 'try again' },
    ];
    const window = buildHistoryWindow(turns, 1_000, { estimate: perChar, trimToFraction: 1 });
    expect(window.messages).toEqual([{ role: 'user', content: 'design a cart\n\ntry again' }]);
  });

  it('stays within the budget whenever the first and newest messages fit in it', () => {
    const turns = thread('FIRST', 'a'.repeat(140), 'q2', 'b'.repeat(140), 'q3', 'c'.repeat(140), 'NEWEST');
    const window = buildHistoryWindow(turns, 400, { estimate: perChar, trimToFraction: 1 });
    const total = window.messages.reduce((sum, message) => sum + message.content.length, 0);
    expect(total).toBeLessThanOrEqual(400);
    expect(window.omittedMessages).toBeGreaterThan(0);
  });

  it('keeps the same cut, and so the same bytes, for the following turns until the budget is exceeded again', () => {
    const answer = (n: number) => `answer ${n} ${'x'.repeat(90)}`;
    const texts = ['FIRST'];
    const windows = [];
    for (let turn = 1; turn <= 12; turn += 1) {
      texts.push(answer(turn), `question ${turn + 1}`);
      windows.push(buildHistoryWindow(thread(...texts), 1_000, { estimate: perChar, trimToFraction: 0.5 }));
    }
    const cuts = windows.map((window) => window.omittedMessages);
    // The cut moves rarely, in steps, and never back.
    expect(cuts.filter((cut, index) => index > 0 && cut !== cuts[index - 1]).length).toBeLessThanOrEqual(3);
    expect([...cuts].sort((a, b) => a - b)).toEqual(cuts);
    for (const [index, window] of windows.entries()) {
      const next = windows[index + 1];
      if (!next || next.omittedMessages !== window.omittedMessages) continue;
      // Same cut: this turn's messages are the exact prefix of the next turn's.
      expect(next.messages.slice(0, window.messages.length - 1)).toEqual(window.messages.slice(0, -1));
    }
  });

  it('always keeps the first request, unchanged, as the first message', () => {
    const texts = ['FIRST REQUEST'];
    for (let turn = 1; turn <= 20; turn += 1) texts.push('y'.repeat(150), `question ${turn}`);
    for (let length = 3; length <= texts.length; length += 2) {
      const window = buildHistoryWindow(thread(...texts.slice(0, length)), 800, { estimate: perChar });
      expect(window.messages[0]?.content.startsWith('FIRST REQUEST')).toBe(true);
      const total = window.messages.reduce((sum, m) => sum + m.content.length + (m.notice?.length ?? 0), 0);
      expect(total).toBeLessThanOrEqual(800);
    }
  });
});
