let sequence = 0;

/** A fresh Slack-format ts (`1700000000.000100`), increasing within a test run. */
export function nextTs(): string {
  sequence += 1;
  return `1700001000.${String(sequence).padStart(6, '0')}`;
}

export const TEAM_ID = 'T123';
export const CHANNEL_ID = 'C0CHANNEL';
export const USER_ID = 'U0ALICE';

/** An Events API envelope (`event_callback`) as Slack posts it to the request URL. */
export function eventEnvelope(event: Record<string, unknown>, eventId = `Ev${nextTs().replace('.', '')}`) {
  return {
    token: 'legacy-verification-token',
    team_id: TEAM_ID,
    api_app_id: 'A0ARCHITECT',
    event: { event_ts: event.ts, ...event },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM_ID, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

/** An `app_mention` event. */
export function mentionEvent(
  text: string,
  options: { ts?: string; threadTs?: string; user?: string; channel?: string } = {},
) {
  return {
    type: 'app_mention',
    user: options.user ?? USER_ID,
    text,
    ts: options.ts ?? nextTs(),
    ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    channel: options.channel ?? CHANNEL_ID,
    team: TEAM_ID,
  };
}

/** A `message` event (a channel message unless `channelType` says otherwise). */
export function messageEvent(
  text: string,
  options: {
    ts?: string;
    threadTs?: string;
    user?: string;
    channel?: string;
    channelType?: 'channel' | 'group' | 'im' | 'mpim';
    extra?: Record<string, unknown>;
  } = {},
) {
  return {
    type: 'message',
    user: options.user ?? USER_ID,
    text,
    ts: options.ts ?? nextTs(),
    ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    channel: options.channel ?? CHANNEL_ID,
    channel_type: options.channelType ?? 'channel',
    team: TEAM_ID,
    ...options.extra,
  };
}

/** A slash command as the form body Slack posts. */
export function slashCommandBody(
  text: string,
  options: { channel?: string; user?: string; command?: string; responseUrl?: string } = {},
) {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: TEAM_ID,
    team_domain: 'acme',
    channel_id: options.channel ?? CHANNEL_ID,
    channel_name: 'backend',
    user_id: options.user ?? USER_ID,
    user_name: 'alice',
    command: options.command ?? '/architect',
    text,
    api_app_id: 'A0ARCHITECT',
    response_url: options.responseUrl ?? 'http://127.0.0.1:9/commands/T123/1/abc',
    trigger_id: '1.2.abc',
  }).toString();
}

/** A message the fake Slack holds, as far as a click needs it. */
interface ClickedMessage {
  readonly ts: string;
  readonly text?: string;
  readonly blocks?: unknown[];
}

/**
 * The form body Slack posts when a user clicks the button `actionId` in `message` (a `block_actions`
 * interaction); `clickTs` is the click's `action_ts`.
 */
export function buttonClickBody(
  message: ClickedMessage,
  actionId: string,
  clickTs: string,
  options: { user?: string; channel?: string } = {},
): string {
  const blocks = (message.blocks ?? []) as Array<{
    type?: string;
    elements?: Array<Record<string, unknown>>;
  }>;
  const button = blocks
    .flatMap((block) => (block.type === 'actions' ? (block.elements ?? []) : []))
    .find((element) => element.action_id === actionId);
  const channel = options.channel ?? CHANNEL_ID;
  const user = options.user ?? USER_ID;
  const payload = {
    type: 'block_actions',
    team: { id: TEAM_ID, domain: 'acme' },
    user: { id: user, team_id: TEAM_ID },
    api_app_id: 'A0ARCHITECT',
    token: 'legacy',
    trigger_id: `1.${clickTs}`,
    container: { type: 'message', message_ts: message.ts, channel_id: channel, is_ephemeral: false },
    channel: { id: channel, name: 'backend' },
    message: { type: 'message', ts: message.ts, text: message.text, user: 'UBOT' },
    actions: [{ ...button, block_id: 'actions', action_ts: clickTs }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
