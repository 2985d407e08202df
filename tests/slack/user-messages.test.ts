import { describe, expect, it } from 'vitest';
import { HandOffError, ModelError, StoreError } from '../../src/core/errors.js';
import { ThreadPostError } from '../../src/slack/post-thread-messages.js';
import {
  canvasLinkText,
  designFileText,
  failureText,
  isHelpRequest,
  requestRootText,
} from '../../src/slack/user-messages.js';

describe('requestRootText', () => {
  it('shows who asked and quotes every line of the request', () => {
    expect(requestRootText('U1', 'design a cart\nwith coupons')).toBe(
      '<@U1> asked Architect:\n> design a cart\n> with coupons',
    );
  });

  it('escapes the request so typed Slack markup is shown, not acted on', () => {
    const text = requestRootText('U1', '<!channel> see <https://evil.example|docs> & more');
    expect(text).toContain('&lt;!channel&gt; see &lt;https://evil.example|docs&gt; &amp; more');
    expect(text).not.toContain('<!channel>');
  });
});

describe('isHelpRequest', () => {
  it.each(['', '  ', 'help', 'HELP', '--help', '-h', '?', 'usage'])('treats %j as a help request', (text) => {
    expect(isHelpRequest(text)).toBe(true);
  });

  it.each(['design a cart', 'help me design a cart'])('treats %j as a request', (text) => {
    expect(isHelpRequest(text)).toBe(false);
  });
});

describe('failureText', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['overloaded', new ModelError('overloaded', 'x'), /overloaded/],
    ['rate limited', new ModelError('rate_limited', 'x'), /usage limit/],
    ['timeout', new ModelError('timeout', 'x'), /too long/],
    ['unavailable', new ModelError('unavailable', 'x'), /couldn't reach the AI model/],
    ['rejected', new ModelError('rejected', 'x'), /needs attention/],
    ['store down', new StoreError('x'), /memory/],
    ['Slack refused', new ThreadPostError([], 'slack', { cause: new Error('x') }), /Slack didn't accept/],
    ['progress not recorded', new ThreadPostError(['1.2'], 'record', { cause: new Error('x') }), /memory/],
    ['queue refused', new HandOffError('x'), /send it again/],
    ['anything else', new TypeError('secret detail'), /Something unexpected/],
  ];

  it.each(cases)('explains %s in plain words, without the error text', (_name, error, expected) => {
    const text = failureText(error);
    expect(text).toMatch(expected);
    expect(text).not.toMatch(/secret detail|Error|\bx\b/);
  });

  it('tells the user their request is saved whenever a retry in the thread will work', () => {
    for (const kind of ['overloaded', 'rate_limited', 'timeout', 'unavailable'] as const) {
      expect(failureText(new ModelError(kind, 'x'))).toMatch(/request is saved/);
    }
  });
});

describe('canvasLinkText and designFileText', () => {
  it('link the canvas under its title, with typed markup in the title shown, not acted on', () => {
    const text = canvasLinkText('https://acme.slack.com/docs/T1/F1', '<!channel> a | b & c');
    expect(text).toBe(
      ':page_facing_up: Design canvas: <https://acme.slack.com/docs/T1/F1|&lt;!channel&gt; a / b &amp; c>',
    );
    expect(designFileText('<!here> cart')).toContain('&lt;!here&gt; cart');
    expect(designFileText('<!here> cart')).not.toContain('<!here>');
  });
});
