import { describe, expect, it } from 'vitest';
import { readableSlackText, withoutBroadcasts } from '../../src/slack/slack-text.js';

describe('readableSlackText', () => {
  it('removes the bot mention', () => {
    expect(readableSlackText('<@UBOT> design a cart service', 'UBOT')).toBe('design a cart service');
    expect(readableSlackText('hey <@UBOT|architect> design it', 'UBOT')).toBe('hey design it');
  });

  it('turns other user, channel and special mentions into readable names', () => {
    expect(readableSlackText('ask <@U042|bob> in <#C99|backend> <!here>', 'UBOT')).toBe(
      'ask @bob in #backend @here',
    );
    expect(readableSlackText('cc <@U042>')).toBe('cc @U042');
  });

  it('turns links into their label and address', () => {
    expect(readableSlackText('see <https://example.com/spec|the spec>')).toBe(
      'see the spec (https://example.com/spec)',
    );
    expect(readableSlackText('see <https://example.com/spec>')).toBe('see https://example.com/spec');
    expect(readableSlackText('<mailto:a@b.co|a@b.co>')).toBe('a@b.co');
  });

  it("undoes Slack's escaping of &, < and >", () => {
    expect(readableSlackText('a &lt; b &amp;&amp; c &gt; d')).toBe('a < b && c > d');
    expect(readableSlackText('literal &amp;lt;')).toBe('literal &lt;');
  });

  it('keeps the indentation of pasted code', () => {
    expect(readableSlackText('<@UBOT> review:\n```\nif (x) {\n    y();\n}\n```', 'UBOT')).toBe(
      'review:\n```\nif (x) {\n    y();\n}\n```',
    );
  });
});

describe('readableSlackText and broken Unicode', () => {
  it('replaces lone surrogates, which cannot be sent on, and keeps paired ones', () => {
    expect(readableSlackText('a \uD800 b \uDC00 c 😀')).toBe('a \uFFFD b \uFFFD c 😀');
  });
});

describe('withoutBroadcasts', () => {
  it('turns channel, here, everyone and group mentions into plain text that pings no one', () => {
    expect(
      withoutBroadcasts('Heads up <!channel> and <!here|here>, <!everyone> and <!subteam^S0123|@oncall>.'),
    ).toBe('Heads up @channel and @here, @everyone and @oncall.');
    expect(withoutBroadcasts('<!subteam^S0123>')).toBe('@group');
  });

  it('leaves ordinary text, links and user mentions alone', () => {
    const text = 'See <https://example.com|the spec>, ask <@U042>; a < b & c!';
    expect(withoutBroadcasts(text)).toBe(text);
  });
});
