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

/** The feedback buttons element of a message the bot posted, as Slack would echo it in a click. */
export function feedbackButtonsOf(blocks: unknown[] | undefined): Record<string, unknown> & {
  positive_button: { value: string };
  negative_button: { value: string };
} {
  const block = (blocks ?? []).find(
    (candidate): candidate is { type: string; block_id?: string; elements: Array<Record<string, unknown>> } =>
      typeof candidate === 'object' &&
      candidate !== null &&
      (candidate as { type?: unknown }).type === 'context_actions',
  );
  const element = block?.elements.find((candidate) => candidate.type === 'feedback_buttons');
  if (!element) throw new Error('the message has no feedback buttons');
  return { ...element, block_id: block?.block_id } as unknown as ReturnType<typeof feedbackButtonsOf>;
}

/**
 * A `block_actions` payload for a click on one of a message's feedback buttons: the action carries
 * the element's `action_id` and the chosen button's `value` and `text`.
 */
export function feedbackClickPayload(
  buttons: ReturnType<typeof feedbackButtonsOf>,
  rating: 'positive' | 'negative',
  options: { messageTs: string; triggerId: string; clickTs: string; user?: string; channel?: string },
) {
  const button = rating === 'positive' ? buttons.positive_button : buttons.negative_button;
  const channel = options.channel ?? CHANNEL_ID;
  return {
    type: 'block_actions',
    team: { id: TEAM_ID, domain: 'acme' },
    user: { id: options.user ?? USER_ID, team_id: TEAM_ID },
    api_app_id: 'A0ARCHITECT',
    token: 'legacy',
    trigger_id: options.triggerId,
    container: { type: 'message', message_ts: options.messageTs, channel_id: channel, is_ephemeral: false },
    channel: { id: channel, name: 'backend' },
    message: { type: 'message', ts: options.messageTs, user: 'UBOT' },
    actions: [
      {
        type: 'feedback_buttons',
        action_id: buttons.action_id,
        block_id: buttons.block_id,
        value: button.value,
        text: (button as { text?: unknown }).text,
        action_ts: options.clickTs,
      },
    ],
  };
}

/** A `view_submission` payload for a modal the bot opened, with what the user entered. */
export function viewSubmissionPayload(
  view: Record<string, unknown>,
  values: Record<string, Record<string, unknown>>,
  user = USER_ID,
) {
  return {
    type: 'view_submission',
    team: { id: TEAM_ID, domain: 'acme' },
    user: { id: user, team_id: TEAM_ID },
    api_app_id: 'A0ARCHITECT',
    token: 'legacy',
    trigger_id: '1.2.submission',
    view: { id: 'V0FORM', team_id: TEAM_ID, app_id: 'A0ARCHITECT', ...view, state: { values } },
    response_urls: [],
  };
}

/** An `app_home_opened` event for the Home tab. */
export function appHomeOpenedEvent(user = USER_ID, tab: 'home' | 'messages' = 'home') {
  return { type: 'app_home_opened', user, channel: 'D0HOME', tab, event_ts: nextTs() };
}

/** A form body `payload=<json>` as Slack posts interactivity. */
export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
