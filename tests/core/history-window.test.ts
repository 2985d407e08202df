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
      perChar,
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
    const window = buildHistoryWindow(turns, 400, perChar);
    const contents = window.messages.map((message) => message.content);
    expect(contents[0]).toContain('FIRST');
    expect(contents.at(-1)).toBe('NEWEST');
    expect(contents.join('')).not.toContain('a'.repeat(400));
    expect(contents.join('')).not.toContain('b'.repeat(400));
    expect(window.omittedMessages).toBe(4);
  });

  it('tells the model how many messages were left out', () => {
    const turns = thread('FIRST', 'x'.repeat(500), 'NEWEST');
    const window = buildHistoryWindow(turns, 300, perChar);
    expect(window.messages[0]?.content).toMatch(/1 earlier message\(s\) of this thread were left out/);
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
      const roles = buildHistoryWindow(turns, budget, perChar).messages.map((message) => message.role);
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
    const window = buildHistoryWindow(turns, 1_000, perChar);
    expect(window.messages).toEqual([{ role: 'user', content: 'design a cart\n\ntry again' }]);
  });

  it('stays within the budget whenever the first and newest messages fit in it', () => {
    const turns = thread('FIRST', 'a'.repeat(140), 'q2', 'b'.repeat(140), 'q3', 'c'.repeat(140), 'NEWEST');
    const window = buildHistoryWindow(turns, 400, perChar);
    const total = window.messages.reduce((sum, message) => sum + message.content.length, 0);
    expect(total).toBeLessThanOrEqual(400);
    expect(window.omittedMessages).toBeGreaterThan(0);
  });
});
