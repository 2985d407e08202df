import { describe, expect, it } from 'vitest';
import type { UserThreadSummary } from '../../src/core/feedback.js';
import { homeView, threadLink } from '../../src/slack/home-view.js';
import { HOME_EMPTY_TEXT, HOME_EXAMPLES, HOME_UNAVAILABLE_TEXT } from '../../src/slack/user-messages.js';

const summary = (overrides: Partial<UserThreadSummary> = {}): UserThreadSummary => ({
  thread: { teamId: 'T0001', channelId: 'C0001', threadTs: '1700000000.000100' },
  title: 'design a shopping cart service',
  answers: 3,
  costMicroUsd: 420_000,
  ...overrides,
});

const texts = (view: ReturnType<typeof homeView>) =>
  view.blocks.map((block) => {
    const text = (block as { text?: { text?: string } }).text;
    return text?.text ?? '';
  });

describe('homeView', () => {
  it('says what Architect does and shows the example requests', () => {
    const view = homeView([]);

    expect(view.type).toBe('home');
    const all = texts(view).join('\n');
    for (const example of HOME_EXAMPLES) expect(all).toContain(example);
  });

  it('has a friendly line when the user has no design threads yet', () => {
    expect(texts(homeView([]))).toContain(HOME_EMPTY_TEXT);
  });

  it('says the list could not be loaded, rather than that there is none, when the store failed', () => {
    const lines = texts(homeView(null));
    expect(lines).toContain(HOME_UNAVAILABLE_TEXT);
    expect(lines).not.toContain(HOME_EMPTY_TEXT);
  });

  it('lists each thread with its link, channel, answers and cost, in the order given', () => {
    const view = homeView([
      summary({ permalink: 'https://acme.slack.com/archives/C0001/p1700000000000100' }),
      summary({
        thread: { teamId: 'T0001', channelId: 'C0002', threadTs: '1690000000.000100' },
        title: 'partition the orders table',
        answers: 1,
        costMicroUsd: 0,
      }),
    ]);

    const lines = texts(view).slice(-2);
    expect(lines[0]).toBe(
      '*<https://acme.slack.com/archives/C0001/p1700000000000100|design a shopping cart service>*\n' +
        '<#C0001> · started <!date^1700000000^{date_short}|2023-11-14> · 3 answers · about $0.42',
    );
    expect(lines[1]).toContain(
      '<https://slack.com/app_redirect?team=T0001&channel=C0002|partition the orders table>',
    );
    expect(lines[1]).toContain('1 answer');
    expect(lines[1]).not.toContain('$');
    expect(texts(view)).not.toContain(HOME_EMPTY_TEXT);
  });

  it('writes a cost under a cent without a bare angle bracket', () => {
    const [line] = texts(homeView([summary({ costMicroUsd: 4_000 })])).slice(-1);
    expect(line).toContain('under $0.01');
    expect(line?.split('\n')[1]).not.toMatch(/<\$/);
  });

  it('escapes titles, so typed Slack markup cannot break the link or ping anyone', () => {
    const [line] = texts(homeView([summary({ title: '<!channel> a|b > c' })])).slice(-1);

    expect(line).toContain('|&lt;!channel&gt; a¦b &gt; c>*');
    expect(line).not.toContain('<!channel>');
  });

  it('says "direct message" for a thread in a DM instead of a channel link', () => {
    const dm = summary({ thread: { teamId: 'T0001', channelId: 'D0001', threadTs: '1700000000.000100' } });
    const [line] = texts(homeView([dm])).slice(-1);
    expect(line).toContain('direct message · started');
    expect(line).not.toContain('<#D0001>');
  });

  it('names a forgotten thread without its title', () => {
    const { title: _gone, ...forgotten } = summary();
    expect(texts(homeView([forgotten])).at(-1)).toContain('|Design thread>');
  });

  it('stays within the 100 blocks of a Home tab with ten threads', () => {
    expect(homeView(Array.from({ length: 10 }, () => summary())).blocks.length).toBeLessThanOrEqual(100);
  });
});

describe('threadLink', () => {
  it('prefers the permalink and otherwise redirects to the conversation', () => {
    expect(threadLink({ thread: summary().thread, permalink: 'https://x.slack.com/archives/C0001/p1' })).toBe(
      'https://x.slack.com/archives/C0001/p1',
    );
    expect(threadLink({ thread: summary().thread })).toBe(
      'https://slack.com/app_redirect?team=T0001&channel=C0001',
    );
  });
});
