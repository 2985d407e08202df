import { HandOffError, ModelError, StoreError } from '../core/errors.js';
import { ThreadPostError } from './post-thread-messages.js';
import { escapeSlack } from './slack-text.js';

/** What `/architect help` (or a bare mention) shows. Slack `mrkdwn`. */
export function usageText(command = '/architect'): string {
  return [
    '*Architect* designs backend systems the way a senior architect would: API endpoints, a service diagram, a database schema, technology choices with trade-offs, and a scalability analysis.',
    '',
    `• \`${command} design a shopping cart service for our e-commerce platform\``,
    '• Mention me anywhere: `@Architect how should we partition the orders table?`',
    '• Reply in my thread to ask a follow-up (no need to mention me again); I remember the whole thread.',
    '• Message me directly for a private conversation.',
  ].join('\n');
}

/** True for `/architect`, `/architect help` and the like: show usage, call no model. */
export function isHelpRequest(text: string): boolean {
  return /^(help|-h|--help|\?|usage)?$/i.test(text.trim());
}

/** The message that stands in the thread until the answer replaces it. */
export function placeholderText(kind: 'request' | 'follow-up'): string {
  return kind === 'request'
    ? ':hourglass_flowing_sand: Working on your design. A full design usually takes a minute or two.'
    : ':hourglass_flowing_sand: Thinking about your follow-up…';
}

/**
 * The visible root message of a `/architect` request: who asked, what they asked. The request is
 * escaped, so text such as `<!channel>` is shown, not acted on.
 */
export function requestRootText(userId: string, request: string): string {
  const quoted = escapeSlack(request)
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  return `<@${userId}> asked Architect:\n${quoted}`;
}

export const NOT_IN_CHANNEL_TEXT =
  "I can't post in this conversation yet. Add me with `/invite @Architect` (or mention me), then try again.";

export const NOT_ALLOWED_TEXT =
  "Sorry, Architect isn't enabled for this workspace. Ask whoever runs it to add your workspace.";

/** Appended to a request cut at `kept` of `total` characters: the model reads it, and so can the user. */
export function requestCutNote(kept: number, total: number): string {
  return `[Note from the Architect bot: this message was ${total.toLocaleString('en-US')} characters long; only the first ${kept.toLocaleString('en-US')} were kept. Mention what was cut if it matters.]`;
}

/** Shown with the placeholder when a long message was cut before reaching the model. */
export function cutNoticeText(originalChars: number): string {
  return `:scissors: Your message was ${originalChars.toLocaleString('en-US')} characters long, more than I read at once, so I'm answering from its beginning.`;
}

export const RETRYING_NOW_TEXT = ':hourglass_flowing_sand: Trying that again…';
export const RETRY_GONE_TEXT =
  'I no longer have that request (it was forgotten or has expired). Please ask it again in the thread.';
export const RETRY_LIMITED_TEXT =
  "I can't retry right now: you have reached the hourly limit, or the workspace has used its daily AI budget. Please try again later.";

export const FORGOTTEN_TEXT =
  ':wastebasket: Done: I have forgotten this thread. Replies here start a fresh conversation.';

/** When a user has asked `limit` times this hour. */
export function rateLimitedText(limit: number, resetsAt: Date): string {
  return `:hourglass: You've asked me ${limit} times in the last hour, which is the limit here. You can ask again at ${clockTime(resetsAt)} (UTC); nothing was sent to the AI model.`;
}

/** When the workspace has used its tokens for the day. */
export function overBudgetText(resetsAt: Date): string {
  return `:moneybag: Architect has used today's AI budget for this workspace, so I can't answer now. It resets at ${clockTime(resetsAt)} (UTC, midnight); please ask again then.`;
}

function clockTime(date: Date): string {
  return date.toISOString().slice(11, 16);
}

export const COULD_NOT_START_TEXT =
  ":warning: Sorry, I couldn't start on your request: Slack or my conversation memory did not respond. Nothing was sent to the AI model; please send it again in a minute.";

/** Locally, when the bot's answering side keeps failing and has stopped: the operator must restart it. */
export const ANSWERING_STOPPED_TEXT =
  ':warning: Sorry, I can\'t answer right now: my answering side keeps failing and has stopped. Your message is saved; whoever runs me needs to restart me, then reply here with "try again".';

const STORE_DOWN_TEXT =
  ":warning: I couldn't reach my conversation memory, so I couldn't answer. Please try again in a minute.";

/** Shown in the placeholder while a queued job waits to be tried again. */
export const RETRYING_TEXT =
  ':hourglass_flowing_sand: That took a detour (the AI model or Slack was busy). Trying again in a moment…';

/** The loading status under the thread while no text of the answer has arrived yet. */
export const LIVE_STATUS_TEXT = 'is designing…';

/** Appended to an answer cut short because the worker ran out of time. */
export const CUT_SHORT_NOTE =
  '_I ran out of time and had to stop here. Reply "continue" in this thread for the rest._';

export const TRUNCATED_NOTE =
  '_This answer reached my length limit. Reply "continue" in this thread for the rest._';

export const INCOMPLETE_POST_TEXT =
  ':warning: Slack stopped accepting my messages, so the answer above is incomplete. Reply in this thread (for example "post the rest") and I will answer again.';

/**
 * The short, friendly explanation posted in the thread when an answer fails. Never includes the
 * error's own text: the detail goes to the logs.
 */
export function failureText(error: unknown): string {
  const saved =
    'Your request is saved, so just reply in this thread (for example "try again") and I will pick it up.';
  if (error instanceof ModelError) {
    switch (error.kind) {
      case 'overloaded':
        return `:warning: The AI model is overloaded right now and couldn't finish this answer. ${saved} Give it a minute first.`;
      case 'rate_limited':
        return `:warning: Architect has hit its AI usage limit for the moment. ${saved} Give it a minute or two first.`;
      case 'timeout':
        return `:warning: The AI model took too long to answer. ${saved}`;
      case 'unavailable':
        return `:warning: I couldn't reach the AI model. ${saved} Give it a minute first.`;
      case 'rejected':
        return ':warning: The AI service turned this request down, which usually means Architect needs attention from whoever runs it (its key or settings). Your request is saved; please let them know.';
    }
  }
  if (error instanceof HandOffError) {
    return ":warning: I couldn't start on your request because my work queue didn't take it. Please send it again in a minute.";
  }
  if (error instanceof ThreadPostError && error.failedAt === 'record') return STORE_DOWN_TEXT;
  if (error instanceof ThreadPostError) {
    return ':warning: Slack didn\'t accept my answer. Your request is saved: reply in this thread in a minute (for example "try again") and I will answer again.';
  }
  if (error instanceof StoreError) return STORE_DOWN_TEXT;
  return `:warning: Something unexpected stopped me from answering. ${saved}`;
}

/** The reply that links the thread's design canvas. The title is escaped, so it is shown, not acted on. */
export function canvasLinkText(url: string, title: string): string {
  return `:page_facing_up: Design canvas: <${url}|${escapeSlack(title).replace(/\|/g, '/')}>`;
}

/** The comment on the Markdown file posted when canvases are not available. */
export function designFileText(title: string): string {
  return `:page_facing_up: Canvases aren't available in this workspace, so here is the design as a Markdown file: *${escapeSlack(title)}*`;
}

export const EXPORT_EMPTY_TEXT =
  "There's no design in this thread to export yet: I have no answer stored here (it may have been forgotten or expired, or I haven't answered yet).";

export const EXPORT_ALREADY_DONE_TEXT =
  'This version of the design is already exported: the link is above in this thread. Ask a follow-up and click again to export the changes.';

export const EXPORT_FAILED_TEXT =
  ":warning: Sorry, I couldn't export this design: Slack didn't accept the canvas or the file. Please click *Open as canvas* again in a minute.";

export const EXPORT_STORE_DOWN_TEXT =
  ":warning: Sorry, I couldn't export this design: I couldn't reach my conversation memory. Please click *Open as canvas* again in a minute.";
/** The hint at the foot of every answer. */
export const FOLLOW_UP_HINT = 'Reply in this thread to refine the design';

/** Only the clicking user sees it, after a thumbs-up. */
export const FEEDBACK_THANKS_TEXT = ':pray: Thanks for the feedback! Glad the design helped.';

/** After a thumbs-down when the form could not be opened (the click's trigger expired). */
export const FEEDBACK_NOTED_TEXT =
  "Thanks, noted. If you reply in this thread with what was wrong, I'll rework the design.";

/** The thumbs-down form, in Slack `mrkdwn`. */
export const FEEDBACK_FORM_INTRO =
  'Sorry this design missed the mark. What was wrong? Everything here is optional.';

/** The labels of the thumbs-down form's checkboxes, by reason. */
export const FEEDBACK_REASON_LABELS = {
  missing_section: 'A section is missing',
  wrong_technology: 'Wrong technology choices',
  too_long: 'Too long',
  inaccurate: 'Inaccurate or wrong',
} as const;

/** What the App Home tab says Architect does (Slack `mrkdwn`). */
export const HOME_INTRO_TEXT =
  '*Architect* designs backend systems the way a senior architect would: API endpoints, a service diagram, a database schema, technology choices with trade-offs, and a scalability analysis. Ask in any channel I am in, or message me here.';

/** Example requests on the App Home tab. */
export const HOME_EXAMPLES = [
  '/architect design a shopping cart service for our e-commerce platform',
  '/architect design a URL shortener that handles 10,000 redirects a second',
  '@Architect how should we partition the orders table?',
  '/architect design a notification service for email, SMS and push',
] as const;

/** The App Home tab before a user has started any design. */
export const HOME_EMPTY_TEXT =
  "You haven't started a design yet. Try one of the examples above in a channel, and it will show up here.";

/** The App Home tab when the user's threads could not be read. */
export const HOME_UNAVAILABLE_TEXT =
  "I couldn't load your recent designs just now. Open this tab again in a minute.";
