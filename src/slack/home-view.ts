import type { UserThreadSummary } from '../core/feedback.js';
import type { KnownBlock } from './render/slack-message-payload.js';
import { escapeSlack } from './slack-text.js';
import { HOME_EMPTY_TEXT, HOME_EXAMPLES, HOME_INTRO_TEXT, HOME_UNAVAILABLE_TEXT } from './user-messages.js';

/** A Home tab view for `views.publish`. */
export interface HomeView {
  readonly type: 'home';
  readonly blocks: KnownBlock[];
}

/** A thread title shown when the thread was forgotten (its title went with it). */
const UNTITLED = 'Design thread';

/**
 * The App Home tab: what Architect does, example requests, and the user's recent design threads
 * (newest first) with a link to each and what it cost so far; `null` when they could not be read.
 */
export function homeView(threads: readonly UserThreadSummary[] | null): HomeView {
  const examples = HOME_EXAMPLES.map((example) => `• \`${example}\``).join('\n');
  const recent: KnownBlock[] =
    threads === null || threads.length === 0
      ? [
          {
            type: 'section',
            text: { type: 'mrkdwn', text: threads ? HOME_EMPTY_TEXT : HOME_UNAVAILABLE_TEXT },
          },
        ]
      : threads.map((summary) => ({ type: 'section', text: { type: 'mrkdwn', text: threadLine(summary) } }));
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Architect' } },
      { type: 'section', text: { type: 'mrkdwn', text: HOME_INTRO_TEXT } },
      { type: 'section', text: { type: 'mrkdwn', text: `*Try asking*\n${examples}` } },
      { type: 'divider' },
      { type: 'header', text: { type: 'plain_text', text: 'Your recent designs' } },
      ...recent,
    ],
  };
}

/**
 * A link to a thread: the permalink Slack gave when the thread was listed, else an `app_redirect`
 * to its conversation (documented with `channel` and `team`; it opens the conversation, not the thread).
 */
export function threadLink(summary: Pick<UserThreadSummary, 'thread' | 'permalink'>): string {
  if (summary.permalink) return summary.permalink;
  const { teamId, channelId } = summary.thread;
  return `https://slack.com/app_redirect?team=${encodeURIComponent(teamId)}&channel=${encodeURIComponent(channelId)}`;
}

function threadLine(summary: UserThreadSummary): string {
  // Titles are user text: escaped, and without `|` or `>` that would end the link label early.
  const title = escapeSlack(summary.title ?? UNTITLED).replace(/[|]/g, '¦');
  const started = Math.floor(Number(summary.thread.threadTs));
  const facts = [
    // `<#D…>` does not render for a direct message: say what it is instead.
    summary.thread.channelId.startsWith('D') ? 'direct message' : `<#${summary.thread.channelId}>`,
    `started <!date^${started}^{date_short}|${new Date(started * 1000).toISOString().slice(0, 10)}>`,
    `${summary.answers} ${summary.answers === 1 ? 'answer' : 'answers'}`,
    ...(summary.costMicroUsd > 0 ? [costText(summary.costMicroUsd)] : []),
  ];
  return `*<${threadLink(summary)}|${title}>*\n${facts.join(' · ')}`;
}

/** "about $0.42", "about $12.30", or "under $0.01" (no `<`: that would open Slack markup). */
function costText(costMicroUsd: number): string {
  const dollars = costMicroUsd / 1e6;
  return dollars < 0.01 ? 'under $0.01' : `about $${dollars.toFixed(2)}`;
}
