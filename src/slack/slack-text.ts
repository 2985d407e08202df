/**
 * Turns Slack's message markup into the plain text a person sees: user, channel and link markup
 * become readable, the bot's own mention is removed and Slack's HTML-style escapes are undone.
 * https://docs.slack.dev/messaging/formatting-message-text#escaping
 */
export function readableSlackText(text: string, botUserId?: string): string {
  const withoutMention = botUserId
    ? text.replace(new RegExp(` ?<@${escapeRegExp(botUserId)}(?:\\|[^>]*)?>`, 'g'), '')
    : text;
  const readable = withoutMention.replace(/<([^<>]*)>/g, (_whole, inner: string) => readableMarkup(inner));
  // Lone UTF-16 surrogates cannot be encoded as UTF-8: Slack and the model would refuse the text.
  return unescapeSlack(readable)
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/[ \t]+$/gm, '')
    .trim();
}

function readableMarkup(inner: string): string {
  const [target = '', label] = splitOnce(inner, '|');
  if (target.startsWith('@')) return `@${label ?? target.slice(1)}`;
  if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
  if (target.startsWith('!subteam^')) return label ?? '@group';
  if (target.startsWith('!date^')) return label ?? 'a date';
  if (target.startsWith('!')) return `@${target.slice(1)}`;
  if (label && label !== target && !target.endsWith(label)) return `${label} (${target})`;
  return target.replace(/^mailto:/, '');
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const index = text.indexOf(separator);
  return index < 0 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)];
}

/**
 * Turns Slack's broadcast and group mentions (`<!channel>`, `<!here>`, `<!everyone>`,
 * `<!subteam^…>`) into plain text, so an answer can never ping a channel or a group, whatever a
 * prompt injected into the thread asked the model to write.
 */
export function withoutBroadcasts(text: string): string {
  return text.replace(
    /<!(channel|here|everyone|subteam\^[A-Z0-9]+)(?:\|([^>]*))?>/gi,
    (_whole, kind: string, label?: string) =>
      label
        ? `@${label.replace(/^@/, '')}`
        : kind.toLowerCase().startsWith('subteam')
          ? '@group'
          : `@${kind}`,
  );
}

/** Undoes Slack's three escapes; `&amp;` last so `&amp;lt;` stays `&lt;`. */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Escapes text so Slack shows it literally in `mrkdwn` and plain `text` fields. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
