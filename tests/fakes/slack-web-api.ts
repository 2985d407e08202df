import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  BodyTooLargeError,
  pollUntil,
  readRequestBody,
  sleep,
  startLoopbackHttpServer,
} from './loopback-http.js';
import { createFilesAndCanvases, type FakeCanvas, type FakeFile } from './slack-files-and-canvases.js';

export type { FakeCanvas, FakeFile };

/** Options of {@link startFakeSlack}; every field has a default. */
export interface FakeSlackOptions {
  /** `user_id` of the bot (auth.test, and `user` on the messages it posts). Default `UBOT`. */
  botUserId?: string;
  /** `bot_id` of the bot. Default `BBOT`. */
  botId?: string;
  /** Default `T123`. */
  teamId?: string;
  /** Default `A123`. */
  appId?: string;
  /** The only bot token accepted; default: any token starting with `xoxb-`. */
  botToken?: string;
  /** The only app-level token `apps.connections.open` accepts; default: any token starting with `xapp-`. */
  appToken?: string;
  /** Channels that exist; default: any channel id is accepted. */
  channels?: readonly string[];
  /** Longest `text` accepted before `msg_too_long`. Default 40,000 (Slack's documented limit). */
  maxTextChars?: number;
  /** Delay before every answer, in ms. Default 0. */
  latencyMs?: number;
  /** When set, every `canvases.create` answers with this error (e.g. `free_teams_cannot_create_non_tabbed_canvases`). */
  canvasesUnavailable?: string;
  /**
   * Whether Slack manages to download an image block's image when the message is posted. Default: every host but
   * those under `.invalid` (RFC 2606), so a test can name an unreachable render server without options.
   */
  isImageReachable?: (url: URL) => boolean;
  /** How long a trigger id from {@link FakeSlack.newTriggerId} can open a view. Default 3,000 (Slack's 3 seconds). */
  triggerTtlMs?: number;
  /**
   * When set, `chat.startStream` answers `{ok:false, error: refuseStreaming}` (a workspace or surface where
   * streaming is not available, e.g. `feature_not_enabled`). Default: streaming works.
   */
  refuseStreaming?: string;
  /**
   * A stream with no write for this long is no longer streaming: appends and stops then answer
   * `message_not_in_streaming_state` (Slack documents no figure). Default 300,000 (5 minutes).
   */
  streamIdleMs?: number;
  /** Most characters one streamed message takes before `msg_too_long`. Default 12,000. */
  maxStreamChars?: number;
  /**
   * Writes to one message (`chat.update`, `chat.appendStream`, `chat.stopStream`) over `writes` in any
   * `perMs` window answer HTTP 429 with `Retry-After: retryAfterSeconds`. Default: no limit.
   */
  messageWriteLimit?: RateLimit;
  /** Per-method workspace limits (Slack's tiers), e.g. `{'chat.update': {writes: 50, perMs: 60_000, …}}`. */
  methodRateLimits?: Readonly<Record<string, RateLimit>>;
}

/** A sliding-window rate limit of the fake. */
export interface RateLimit {
  readonly writes: number;
  readonly perMs: number;
  readonly retryAfterSeconds: number;
}

/** A view the bot opened with `views.open`. */
export interface OpenedView {
  triggerId: string;
  /** The view as sent (parsed back from JSON). */
  view: Record<string, unknown>;
  /** The id the fake gave the view. */
  id: string;
}

/** One Web API call as the fake received it (refused and faulted calls included). */
export interface RecordedSlackCall {
  method: string;
  /** Form or JSON arguments without `token`; `blocks`, `attachments` and `metadata` parsed back from JSON. */
  args: Record<string, unknown>;
  token?: string;
  /** `Date.now()` when the request arrived. */
  at: number;
  /** HTTP status the fake answered with: 200, 429 or a programmed 5xx. */
  status: number;
  /** The `error` of an `ok: false` answer, `ratelimited` for a 429, `http_<status>` for a 5xx. */
  error?: string;
}

/** A message the fake holds, as it currently reads after updates. */
export interface FakeSlackMessage {
  type: 'message';
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  user: string;
  bot_id: string;
  app_id: string;
  team: string;
  edited?: { user: string; ts: string };
  /** True while the message is an open stream (`chat.startStream` until stopped or expired). */
  streaming?: boolean;
  /** Reaction names the bot added. */
  reactions: string[];
  /** Files shared with the message (`files.completeUploadExternal`). */
  files?: Array<{ id: string; title?: string }>;
}

/** A fault the next call(s) to a method get instead of a normal answer. */
export type SlackFault =
  /** HTTP 429, `Retry-After: <seconds>`, body `{ok:false,error:'ratelimited'}`. */
  | { rateLimited: number }
  /** An HTTP 5xx with an HTML body, as Slack's edge answers. */
  | { status: 500 | 502 | 503 | 504 }
  /** HTTP 200 with `{ok:false,error}`. */
  | { error: string };

/** A running fake Slack Web API; see {@link startFakeSlack}. */
export interface FakeSlack {
  /** Base URL to give the WebClient as `slackApiUrl`: `http://127.0.0.1:<port>/api/`. */
  readonly url: string;
  /** A `response_url` to put in slash commands; posts to it are recorded as method `response_url`. */
  readonly responseUrl: string;
  readonly calls: readonly RecordedSlackCall[];
  /** Messages the fake holds, keyed by {@link messageKey}. Deleted messages are removed. */
  readonly messages: ReadonlyMap<string, FakeSlackMessage>;
  callsTo(method: string): RecordedSlackCall[];
  /** Resolves with the first recorded call matching `predicate`, polling until `timeoutMs` (default 2,000). */
  waitFor(
    predicate: (call: RecordedSlackCall) => boolean,
    options?: { timeoutMs?: number },
  ): Promise<RecordedSlackCall>;
  /**
   * The messages of a thread in ts order, as they read now. The root (ts === threadTs) is included only when the
   * fake holds it, i.e. the bot posted it; a user's root message that arrived through an event is not.
   */
  threadMessages(channel: string, threadTs: string): FakeSlackMessage[];
  /** The thread's current `assistant.threads.setStatus` status; undefined once cleared or after a reply. */
  threadStatus(channel: string, threadTs: string): string | undefined;
  /** Reaction names the bot added to any message (held or not). */
  reactionsOn(channel: string, ts: string): string[];
  /** Canvases created with `canvases.create`, by id. */
  readonly canvases: ReadonlyMap<string, FakeCanvas>;
  /** Files of the external upload flow, by id (uploaded or not). */
  readonly files: ReadonlyMap<string, FakeFile>;
  /**
   * A fresh `trigger_id`, as Slack puts in an interaction payload: it opens one view, within
   * `triggerTtlMs` of being issued (`expired_trigger_id` after, `exchanged_trigger_id` when used twice).
   */
  newTriggerId(): string;
  /** The views opened with `views.open`, in order. */
  readonly openedViews: readonly OpenedView[];
  /** The Home tab view last published for a user with `views.publish`, if any. */
  homeViewOf(userId: string): Record<string, unknown> | undefined;
  /** The next `times` (default 1) calls to `method` get `fault`, after `after` (default 0) calls that succeed. */
  failNext(method: string, fault: SlackFault, options?: { times?: number; after?: number }): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

/** The key of a message in {@link FakeSlack.messages}. */
export function messageKey(channel: string, ts: string): string {
  return `${channel}/${ts}`;
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'view']);
// https://docs.slack.dev/reference/block-kit/blocks (50 blocks a message; header 150; section 3,000;
// markdown blocks of one payload together 12,000; one table of at most 100 rows x 20 cells).
const MAX_BLOCKS = 50;
// https://docs.slack.dev/reference/views/modal-views and .../home-tab-views: up to 100 blocks a view;
// a modal's title is plain_text of at most 24 characters; callback_id at most 255.
const MAX_VIEW_BLOCKS = 100;
const MAX_MODAL_TITLE_CHARS = 24;
const MAX_CALLBACK_ID_CHARS = 255;
const MAX_HEADER_CHARS = 150;
const MAX_SECTION_CHARS = 3000;
const MAX_MARKDOWN_TOTAL_CHARS = 12_000;
const MAX_TABLE_ROWS = 100;
const MAX_TABLE_CELLS = 20;
// https://docs.slack.dev/reference/block-kit/blocks/image-block: image_url up to 3,000, alt_text up to 2,000.
const MAX_IMAGE_URL_CHARS = 3000;
const MAX_ALT_TEXT_CHARS = 2000;
const FIRST_TS_SECONDS = 1_700_000_000;
// https://docs.slack.dev/reference/methods/assistant.threads.setStatus: at most 10 loading messages.
const MAX_LOADING_MESSAGES = 10;
/** Methods that write to an existing message, named by `channel` and `ts`. */
const MESSAGE_WRITES = new Set(['chat.update', 'chat.appendStream', 'chat.stopStream']);

type SlackAnswer =
  | { ok: true; [key: string]: unknown }
  | { ok: false; error: string; [key: string]: unknown };
type Handler = (call: ParsedCall) => SlackAnswer;
interface ParsedCall {
  args: Record<string, unknown>;
  /** True when `blocks` arrived as a string that is not JSON (Slack: `invalid_blocks_format`). */
  unparsableBlocks: boolean;
}

/** Starts a fake of the Slack Web API on 127.0.0.1 that the real `WebClient` can talk to. */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const botUserId = options.botUserId ?? 'UBOT';
  const botId = options.botId ?? 'BBOT';
  const teamId = options.teamId ?? 'T123';
  const appId = options.appId ?? 'A123';
  const maxTextChars = options.maxTextChars ?? 40_000;
  const isImageReachable = options.isImageReachable ?? ((url: URL) => !url.hostname.endsWith('.invalid'));
  const channels = options.channels ? new Set(options.channels) : undefined;
  let latencyMs = options.latencyMs ?? 0;
  const streamIdleMs = options.streamIdleMs ?? 300_000;
  const maxStreamChars = options.maxStreamChars ?? 12_000;

  const calls: RecordedSlackCall[] = [];
  const messages = new Map<string, FakeSlackMessage>();
  const statuses = new Map<string, string>();
  const reactions = new Map<string, string[]>();
  const faults = new Map<string, Array<SlackFault | undefined>>();
  /** When each open stream was last written to, by message key. */
  const streamWrites = new Map<string, number>();
  /** Accepted call times per rate-limited key (a message, or a method), for the sliding windows. */
  const windows = new Map<string, number[]>();
  const triggerTtlMs = options.triggerTtlMs ?? 3000;
  /** Trigger ids issued: when, and whether a view was opened with it. */
  const triggers = new Map<string, { issuedAt: number; used: boolean }>();
  const openedViews: OpenedView[] = [];
  const homeViews = new Map<string, Record<string, unknown>>();
  let tsCounter = 0;
  /** Closes an open stream that went idle past `streamIdleMs`. */
  const expireIfIdle = (key: string, message: FakeSlackMessage): void => {
    const last = streamWrites.get(key);
    if (message.streaming && last !== undefined && Date.now() - last > streamIdleMs) {
      message.streaming = false;
      streamWrites.delete(key);
    }
  };
  /** Whether one more call under `limit` at `key` fits its window; counts it when it does. */
  const withinLimit = (key: string, limit: RateLimit, at: number): boolean => {
    const times = (windows.get(key) ?? []).filter((time) => at - time < limit.perMs);
    if (times.length >= limit.writes) {
      windows.set(key, times);
      return false;
    }
    times.push(at);
    windows.set(key, times);
    return true;
  };
  /** The open stream at `key`, or Slack's refusal when there is none (gone, stopped or expired). */
  const streamedMessage = (key: string): { message: FakeSlackMessage } | { refusal: SlackAnswer } => {
    const message = messages.get(key);
    if (!message) return { refusal: { ok: false, error: 'message_not_found' } };
    expireIfIdle(key, message);
    if (!message.streaming) return { refusal: { ok: false, error: 'message_not_in_streaming_state' } };
    return { message };
  };

  let viewCounter = 0;

  const nextTs = (): string => {
    tsCounter += 1;
    const micros = tsCounter * 100;
    const seconds = FIRST_TS_SECONDS + Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  };

  const bot = { user: botUserId, bot_id: botId, app_id: appId, team: teamId };
  let baseUrl = '';
  const publicMessage = (message: FakeSlackMessage): Record<string, unknown> => {
    const { channel: _channel, reactions: held, ...rest } = message;
    return held.length > 0
      ? { ...rest, reactions: held.map((name) => ({ name, users: [botUserId], count: 1 })) }
      : rest;
  };

  const channelError = (channel: unknown): SlackAnswer | undefined => {
    if (typeof channel !== 'string' || channel === '') return { ok: false, error: 'channel_not_found' };
    if (channels && !channels.has(channel)) return { ok: false, error: 'channel_not_found' };
    return undefined;
  };

  const contentError = (call: ParsedCall, requireContent: boolean): SlackAnswer | undefined => {
    const { args } = call;
    const text = typeof args.text === 'string' ? args.text : '';
    const markdownText = typeof args.markdown_text === 'string' ? args.markdown_text : '';
    if (call.unparsableBlocks || (args.blocks !== undefined && !Array.isArray(args.blocks))) {
      return { ok: false, error: 'invalid_blocks_format' };
    }
    const blocks = (args.blocks as unknown[] | undefined) ?? [];
    if (markdownText !== '' && (text !== '' || blocks.length > 0)) {
      return { ok: false, error: 'markdown_text_conflict' };
    }
    const blocksError = validateBlocks(blocks, isImageReachable);
    if (blocksError) return blocksError;
    const hasAttachments = Array.isArray(args.attachments) && args.attachments.length > 0;
    if (requireContent && text === '' && markdownText === '' && blocks.length === 0 && !hasAttachments) {
      return { ok: false, error: 'no_text' };
    }
    if (text.length > maxTextChars || markdownText.length > MAX_MARKDOWN_TOTAL_CHARS) {
      return { ok: false, error: 'msg_too_long' };
    }
    return undefined;
  };

  const filesAndCanvases = createFilesAndCanvases({
    baseUrl: () => baseUrl,
    channelError,
    ...(options.canvasesUnavailable ? { canvasesUnavailable: options.canvasesUnavailable } : {}),
    postFileMessage: (channel, threadTs, text, files) => {
      const ts = nextTs();
      messages.set(messageKey(channel, ts), {
        type: 'message',
        channel,
        ts,
        text,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        ...bot,
        reactions: [],
        files,
      });
      return ts;
    },
  });

  const handlers: Record<string, Handler> = {
    ...filesAndCanvases.handlers,
    'auth.test': () => ({
      ok: true,
      url: 'https://fake-workspace.slack.com/',
      team: 'Fake Workspace',
      user: 'architect',
      team_id: teamId,
      user_id: botUserId,
      bot_id: botId,
      is_enterprise_install: false,
    }),
    'chat.postMessage': (call) => {
      const { args } = call;
      const refused = channelError(args.channel) ?? contentError(call, true);
      if (refused) return refused;
      const channel = args.channel as string;
      const ts = nextTs();
      const message: FakeSlackMessage = {
        type: 'message',
        channel,
        ts,
        text: stringArg(args.text) ?? stringArg(args.markdown_text) ?? '',
        ...(Array.isArray(args.blocks) && args.blocks.length > 0 ? { blocks: args.blocks } : {}),
        ...(stringArg(args.thread_ts) ? { thread_ts: stringArg(args.thread_ts) } : {}),
        ...bot,
        reactions: [],
      };
      messages.set(messageKey(channel, ts), message);
      if (message.thread_ts) statuses.delete(messageKey(channel, message.thread_ts));
      return { ok: true, channel, ts, message: publicMessage(message) };
    },
    // https://docs.slack.dev/reference/methods/chat.startStream: a reply in a thread; in a channel (not
    // a DM) the recipient user and team are required.
    'chat.startStream': (call) => {
      const { args } = call;
      const refused = channelError(args.channel);
      if (refused) return refused;
      const channel = args.channel as string;
      const threadTs = stringArg(args.thread_ts);
      if (threadTs === undefined) return missingArgument('thread_ts');
      if (!channel.startsWith('D')) {
        if (!stringArg(args.recipient_user_id)) return { ok: false, error: 'missing_recipient_user_id' };
        if (!stringArg(args.recipient_team_id)) return { ok: false, error: 'missing_recipient_team_id' };
      }
      if (options.refuseStreaming) return { ok: false, error: options.refuseStreaming };
      const text = stringArg(args.markdown_text) ?? '';
      if (text.length > maxStreamChars) return { ok: false, error: 'msg_too_long' };
      const ts = nextTs();
      const message: FakeSlackMessage = {
        type: 'message',
        channel,
        ts,
        text,
        thread_ts: threadTs,
        ...bot,
        streaming: true,
        reactions: [],
      };
      const key = messageKey(channel, ts);
      messages.set(key, message);
      streamWrites.set(key, Date.now());
      statuses.delete(messageKey(channel, threadTs));
      return { ok: true, channel, ts };
    },
    'chat.appendStream': ({ args }) => {
      const refused = channelError(args.channel);
      if (refused) return refused;
      const ts = stringArg(args.ts);
      if (ts === undefined) return missingArgument('ts');
      const text = stringArg(args.markdown_text);
      if (text === undefined) return missingArgument('markdown_text');
      const key = messageKey(args.channel as string, ts);
      const stream = streamedMessage(key);
      if ('refusal' in stream) return stream.refusal;
      const { message } = stream;
      if (message.text.length + text.length > maxStreamChars) return { ok: false, error: 'msg_too_long' };
      message.text += text;
      streamWrites.set(key, Date.now());
      return { ok: true, channel: message.channel, ts };
    },
    'chat.stopStream': (call) => {
      const { args } = call;
      const refused = channelError(args.channel);
      if (refused) return refused;
      const ts = stringArg(args.ts);
      if (ts === undefined) return missingArgument('ts');
      const key = messageKey(args.channel as string, ts);
      const stream = streamedMessage(key);
      if ('refusal' in stream) return stream.refusal;
      const { message } = stream;
      const text = stringArg(args.markdown_text) ?? '';
      if (message.text.length + text.length > maxStreamChars) return { ok: false, error: 'msg_too_long' };
      const blocksRefused = Array.isArray(args.blocks)
        ? validateBlocks(args.blocks, isImageReachable)
        : undefined;
      if (blocksRefused) return blocksRefused;
      message.text += text;
      if (Array.isArray(args.blocks) && args.blocks.length > 0) message.blocks = args.blocks;
      message.streaming = false;
      streamWrites.delete(key);
      return { ok: true, channel: message.channel, ts, message: publicMessage(message) };
    },
    'chat.update': (call) => {
      const { args } = call;
      const refused = channelError(args.channel);
      if (refused) return refused;
      const channel = args.channel as string;
      const ts = stringArg(args.ts);
      const message = ts === undefined ? undefined : messages.get(messageKey(channel, ts));
      if (!message) return { ok: false, error: 'message_not_found' };
      expireIfIdle(messageKey(channel, message.ts), message);
      // Not in Slack's documentation: an edit of a message that is still streaming is refused (seen live).
      if (message.streaming) return { ok: false, error: 'streaming_state_conflict' };
      const contentRefused = contentError(call, true);
      if (contentRefused) return contentRefused;
      if (typeof args.text === 'string') message.text = args.text;
      if (typeof args.markdown_text === 'string') message.text = args.markdown_text;
      // An omitted `blocks` keeps the previous blocks; an empty array removes them.
      if (Array.isArray(args.blocks)) {
        if (args.blocks.length > 0) message.blocks = args.blocks;
        else delete message.blocks;
      }
      message.edited = { user: botUserId, ts: nextTs() };
      return { ok: true, channel, ts: message.ts, text: message.text, message: publicMessage(message) };
    },
    'chat.postEphemeral': (call) => {
      const { args } = call;
      const refused = channelError(args.channel) ?? contentError(call, true);
      if (refused) return refused;
      if (!stringArg(args.user)) return { ok: false, error: 'user_not_found' };
      return { ok: true, message_ts: nextTs() };
    },
    'chat.delete': ({ args }) => {
      const refused = channelError(args.channel);
      if (refused) return refused;
      const channel = args.channel as string;
      const ts = stringArg(args.ts);
      if (ts === undefined || !messages.delete(messageKey(channel, ts))) {
        return { ok: false, error: 'message_not_found' };
      }
      streamWrites.delete(messageKey(channel, ts));
      return { ok: true, channel, ts };
    },
    'reactions.add': ({ args }) => {
      const refused = channelError(args.channel);
      if (refused) return refused;
      const channel = args.channel as string;
      const ts = stringArg(args.timestamp);
      const name = stringArg(args.name);
      if (ts === undefined) return { ok: false, error: 'no_item_specified' };
      if (name === undefined) return { ok: false, error: 'invalid_name' };
      const key = messageKey(channel, ts);
      const names = reactions.get(key) ?? [];
      if (names.includes(name)) return { ok: false, error: 'already_reacted' };
      names.push(name);
      reactions.set(key, names);
      messages.get(key)?.reactions.push(name);
      return { ok: true };
    },
    'assistant.threads.setStatus': ({ args }) => {
      const refused = channelError(args.channel_id);
      if (refused) return refused;
      const threadTs = stringArg(args.thread_ts);
      if (threadTs === undefined || typeof args.status !== 'string') {
        return missingArgument(threadTs === undefined ? 'thread_ts' : 'status');
      }
      const loading = parseLoadingMessages(args.loading_messages);
      if (loading === 'invalid') return missingArgument('loading_messages');
      if (loading.length > MAX_LOADING_MESSAGES) {
        return invalidArgument(
          `no more than ${MAX_LOADING_MESSAGES} items allowed [json-pointer:/loading_messages]`,
        );
      }
      // An empty status clears it; so does the app's next reply in the thread (see chat.postMessage).
      const key = messageKey(args.channel_id as string, threadTs);
      if (args.status === '') statuses.delete(key);
      else statuses.set(key, args.status);
      return { ok: true };
    },
    'users.info': ({ args }) => {
      const id = stringArg(args.user);
      if (id === undefined) return { ok: false, error: 'user_not_found' };
      return { ok: true, user: plausibleUser(id, teamId, id === botUserId) };
    },
    'apps.connections.open': () => ({ ok: true, url: 'ws://127.0.0.1:1/' }),
    'chat.getPermalink': ({ args }) => {
      const refused = channelError(args.channel);
      if (refused) return refused;
      const ts = stringArg(args.message_ts);
      if (ts === undefined || !/^\d{10}\.\d{6}$/.test(ts)) return { ok: false, error: 'message_not_found' };
      const channel = args.channel as string;
      return {
        ok: true,
        channel,
        permalink: `https://fake-workspace.slack.com/archives/${channel}/p${ts.replace('.', '')}`,
      };
    },
    'views.open': (call) => {
      const triggerId = stringArg(call.args.trigger_id);
      if (triggerId === undefined) return missingArgument('trigger_id');
      const viewError = validateView(call, 'modal');
      if (viewError) return viewError;
      const trigger = triggers.get(triggerId);
      if (!trigger) return { ok: false, error: 'invalid_trigger_id' };
      if (Date.now() - trigger.issuedAt > triggerTtlMs) return { ok: false, error: 'expired_trigger_id' };
      if (trigger.used) return { ok: false, error: 'exchanged_trigger_id' };
      trigger.used = true;
      viewCounter += 1;
      const id = `V${String(viewCounter).padStart(8, '0')}`;
      const view = call.args.view as Record<string, unknown>;
      openedViews.push({ triggerId, view, id });
      return { ok: true, view: { id, team_id: teamId, app_id: appId, bot_id: botId, ...view } };
    },
    'views.publish': (call) => {
      const userId = stringArg(call.args.user_id);
      if (userId === undefined) return missingArgument('user_id');
      const viewError = validateView(call, 'home');
      if (viewError) return viewError;
      viewCounter += 1;
      const view = call.args.view as Record<string, unknown>;
      homeViews.set(userId, view);
      const id = `V${String(viewCounter).padStart(8, '0')}`;
      return { ok: true, view: { id, team_id: teamId, app_id: appId, bot_id: botId, ...view } };
    },
  };

  /** The `Retry-After` seconds when this call is over a configured rate limit, else undefined. */
  const rateLimited = (method: string, args: Record<string, unknown>, at: number): number | undefined => {
    const methodLimit = options.methodRateLimits?.[method];
    if (methodLimit && !withinLimit(`method:${method}`, methodLimit, at))
      return methodLimit.retryAfterSeconds;
    const messageLimit = options.messageWriteLimit;
    const ts = stringArg(args.ts);
    if (messageLimit && MESSAGE_WRITES.has(method) && typeof args.channel === 'string' && ts !== undefined) {
      if (!withinLimit(`message:${messageKey(args.channel, ts)}`, messageLimit, at)) {
        return messageLimit.retryAfterSeconds;
      }
    }
    return undefined;
  };

  const record = (call: Omit<RecordedSlackCall, 'at'>, at: number): void => {
    calls.push({ ...call, at });
  };

  const server = await startLoopbackHttpServer(async (req, res, closing) => {
    const at = Date.now();
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    // An upload URL from files.getUploadURLExternal (files.slack.com/upload/v1/… in production).
    if (await filesAndCanvases.handleUpload(req, res, path)) {
      record({ method: 'file_upload', args: { path }, status: res.statusCode }, at);
      return;
    }
    // A slash command's `response_url` (hooks.slack.com/commands/… in production): JSON in, `ok` out.
    if (req.method === 'POST' && path.startsWith('/commands/')) {
      const args = await readArguments(req).catch(() => ({}));
      record({ method: 'response_url', args, status: 200 }, at);
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return;
    }
    if (!path.startsWith('/api/') || path.length <= '/api/'.length) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found');
      return;
    }
    const method = decodeURIComponent(path.slice('/api/'.length));

    let parsed: ParsedCall;
    let token: string | undefined;
    try {
      const raw = await readArguments(req);
      ({ parsed, token } = splitToken(raw, req.headers.authorization));
    } catch (error) {
      const code = error instanceof BodyTooLargeError ? 'request_too_large' : 'invalid_form_data';
      record({ method, args: {}, status: 200, error: code }, at);
      await sleep(latencyMs, closing);
      sendJson(res, 200, { ok: false, error: code });
      return;
    }
    const base = { method, args: parsed.args, ...(token !== undefined ? { token } : {}) };

    await sleep(latencyMs, closing);

    const fault = takeFault(faults, method);
    if (fault) {
      if ('rateLimited' in fault) {
        record({ ...base, status: 429, error: 'ratelimited' }, at);
        sendJson(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.rateLimited) });
      } else if ('status' in fault) {
        record({ ...base, status: fault.status, error: `http_${fault.status}` }, at);
        res.writeHead(fault.status, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<html><body><h1>${fault.status} Server Error</h1></body></html>`);
      } else {
        record({ ...base, status: 200, error: fault.error }, at);
        sendJson(res, 200, { ok: false, error: fault.error });
      }
      return;
    }

    const limited = rateLimited(method, parsed.args, at);
    if (limited !== undefined) {
      record({ ...base, status: 429, error: 'ratelimited' }, at);
      sendJson(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(limited) });
      return;
    }

    const handler = handlers[method];
    const answer: SlackAnswer = !handler
      ? { ok: false, error: 'unknown_method', req_method: method }
      : (tokenError(method, token, options) ?? handler(parsed));
    record({ ...base, status: 200, ...(answer.ok ? {} : { error: answer.error }) }, at);
    sendJson(res, 200, answer);
  });

  baseUrl = `http://127.0.0.1:${server.port}`;

  const describeCalls = (): string =>
    calls.length === 0
      ? 'no calls were made'
      : `calls seen: ${calls.map((c) => (c.error ? `${c.method} (${c.error})` : c.method)).join(', ')}`;

  return {
    url: `http://127.0.0.1:${server.port}/api/`,
    responseUrl: `http://127.0.0.1:${server.port}/commands/${teamId}/1/response`,
    calls,
    messages,
    callsTo: (method) => calls.filter((call) => call.method === method),
    waitFor: (predicate, waitOptions) =>
      pollUntil(() => calls.find(predicate), {
        timeoutMs: waitOptions?.timeoutMs ?? 5000,
        describe: () => `no Slack call matched the predicate; ${describeCalls()}`,
      }),
    threadMessages: (channel, threadTs) =>
      [...messages.values()]
        .filter((m) => m.channel === channel && (m.ts === threadTs || m.thread_ts === threadTs))
        .sort((a, b) => compareTs(a.ts, b.ts)),
    threadStatus: (channel, threadTs) => statuses.get(messageKey(channel, threadTs)),
    reactionsOn: (channel, ts) => [...(reactions.get(messageKey(channel, ts)) ?? [])],
    canvases: filesAndCanvases.canvases,
    files: filesAndCanvases.files,
    newTriggerId() {
      const id = `${triggers.size + 1}.${FIRST_TS_SECONDS}.${randomUUID().replace(/-/g, '').slice(0, 16)}`;
      triggers.set(id, { issuedAt: Date.now(), used: false });
      return id;
    },
    openedViews,
    homeViewOf: (userId) => homeViews.get(userId),
    failNext(method, fault, failOptions) {
      const queue = faults.get(method) ?? [];
      for (let i = 0; i < (failOptions?.after ?? 0); i += 1) queue.push(undefined);
      for (let i = 0; i < (failOptions?.times ?? 1); i += 1) queue.push(fault);
      faults.set(method, queue);
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    close: () => server.close(),
  };
}

async function readArguments(req: IncomingMessage): Promise<Record<string, unknown>> {
  const query = Object.fromEntries(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams);
  if (req.method !== 'POST') return query;
  const body = await readRequestBody(req, MAX_BODY_BYTES);
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType === 'application/json') {
    const json: unknown = body === '' ? {} : JSON.parse(body);
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      throw new Error('not a JSON object');
    return { ...query, ...(json as Record<string, unknown>) };
  }
  return { ...query, ...Object.fromEntries(new URLSearchParams(body)) };
}

function splitToken(
  raw: Record<string, unknown>,
  authorization: string | undefined,
): { parsed: ParsedCall; token: string | undefined } {
  const { token: bodyToken, ...rest } = raw;
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const token = bearer ?? (typeof bodyToken === 'string' && bodyToken !== '' ? bodyToken : undefined);
  let unparsableBlocks = false;
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (JSON_FIELDS.has(key) && typeof value === 'string') {
      try {
        args[key] = JSON.parse(value);
      } catch {
        args[key] = value;
        if (key === 'blocks') unparsableBlocks = true;
      }
    } else {
      args[key] = value;
    }
  }
  return { parsed: { args, unparsableBlocks }, token };
}

function tokenError(
  method: string,
  token: string | undefined,
  options: FakeSlackOptions,
): SlackAnswer | undefined {
  // https://docs.slack.dev/reference/methods/chat.postMessage#errors: `not_authed` when no token was sent,
  // `invalid_auth` for a token Slack does not know, `not_allowed_token_type` for the wrong kind of token.
  if (token === undefined) return { ok: false, error: 'not_authed' };
  const wantsAppToken = method === 'apps.connections.open';
  const isAppToken = token.startsWith('xapp-');
  if (isAppToken !== wantsAppToken && (token.startsWith('xoxb-') || isAppToken)) {
    return { ok: false, error: 'not_allowed_token_type' };
  }
  const expected = wantsAppToken ? options.appToken : options.botToken;
  const accepted =
    expected !== undefined ? token === expected : token.startsWith(wantsAppToken ? 'xapp-' : 'xoxb-');
  return accepted ? undefined : { ok: false, error: 'invalid_auth' };
}

/** Checks the `view` argument of `views.open` (a modal) or `views.publish` (a Home tab). */
function validateView(call: ParsedCall, type: 'modal' | 'home'): SlackAnswer | undefined {
  const view = call.args.view;
  if (view === undefined) return missingArgument('view');
  if (!isRecord(view)) return { ok: false, error: 'invalid_arguments' };
  if (view.type !== type) return invalidArguments(`must be ${type} [json-pointer:/view/type]`);
  if (!Array.isArray(view.blocks))
    return invalidArguments('missing required field: blocks [json-pointer:/view]');
  if (view.callback_id !== undefined) {
    if (typeof view.callback_id !== 'string' || view.callback_id.length > MAX_CALLBACK_ID_CHARS) {
      return invalidArguments('must be a string of at most 255 characters [json-pointer:/view/callback_id]');
    }
  }
  if (type === 'modal') {
    const title = isRecord(view.title) ? view.title : undefined;
    const text = typeof title?.text === 'string' ? title.text : '';
    if (title?.type !== 'plain_text' || text === '' || text.length > MAX_MODAL_TITLE_CHARS) {
      return invalidArguments(
        `must be plain_text of 1 to ${MAX_MODAL_TITLE_CHARS} characters [json-pointer:/view/title]`,
      );
    }
  }
  // Views hold no images the bot draws: every image counts as reachable.
  const refused = validateBlocks(view.blocks, () => true, MAX_VIEW_BLOCKS);
  if (refused && !refused.ok) return { ...refused, error: 'invalid_arguments' };
  return undefined;
}

function invalidArguments(detail: string): SlackAnswer {
  return { ok: false, error: 'invalid_arguments', response_metadata: { messages: [`[ERROR] ${detail}`] } };
}

function validateBlocks(
  blocks: unknown[],
  isImageReachable: (url: URL) => boolean,
  maxBlocks = MAX_BLOCKS,
): SlackAnswer | undefined {
  if (blocks.length > maxBlocks) {
    return invalidBlocks(`no more than ${maxBlocks} items allowed [json-pointer:/blocks]`);
  }
  let markdownChars = 0;
  let tables = 0;
  for (const [index, block] of blocks.entries()) {
    const pointer = `/blocks/${index}`;
    if (!isRecord(block) || typeof block.type !== 'string') {
      return invalidBlocks(`missing required field: type [json-pointer:${pointer}]`);
    }
    const text = isRecord(block.text) ? block.text : undefined;
    switch (block.type) {
      case 'header': {
        if (text?.type !== 'plain_text') {
          return invalidBlocks(`must be a plain_text text object [json-pointer:${pointer}/text]`);
        }
        const length = typeof text.text === 'string' ? text.text.length : 0;
        if (length === 0)
          return invalidBlocks(`must be more than 0 characters [json-pointer:${pointer}/text/text]`);
        if (length > MAX_HEADER_CHARS) {
          return invalidBlocks(
            `must be less than ${MAX_HEADER_CHARS + 1} characters [json-pointer:${pointer}/text/text]`,
          );
        }
        break;
      }
      case 'section': {
        if (!text && !Array.isArray(block.fields)) {
          return invalidBlocks(`must provide either text or fields [json-pointer:${pointer}]`);
        }
        if (text && typeof text.text === 'string' && text.text.length > MAX_SECTION_CHARS) {
          return invalidBlocks(
            `must be less than ${MAX_SECTION_CHARS + 1} characters [json-pointer:${pointer}/text/text]`,
          );
        }
        break;
      }
      case 'markdown': {
        if (typeof block.text !== 'string' || block.text === '') {
          return invalidBlocks(`must be more than 0 characters [json-pointer:${pointer}/text]`);
        }
        markdownChars += block.text.length;
        break;
      }
      case 'table': {
        tables += 1;
        if (tables > 1)
          return invalidBlocks(`only one table block is allowed per message [json-pointer:${pointer}]`);
        const rows = Array.isArray(block.rows) ? block.rows : [];
        if (rows.length > MAX_TABLE_ROWS) {
          return invalidBlocks(`no more than ${MAX_TABLE_ROWS} items allowed [json-pointer:${pointer}/rows]`);
        }
        const wideRow = rows.findIndex((row) => Array.isArray(row) && row.length > MAX_TABLE_CELLS);
        if (wideRow !== -1) {
          return invalidBlocks(
            `no more than ${MAX_TABLE_CELLS} items allowed [json-pointer:${pointer}/rows/${wideRow}]`,
          );
        }
        const cellError = tableCellError(rows, pointer);
        if (cellError) return invalidBlocks(cellError);
        break;
      }
      case 'image': {
        const url = block.image_url;
        if (typeof url !== 'string' || url === '') {
          return invalidBlocks(`must provide either image_url or slack_file [json-pointer:${pointer}]`);
        }
        if (url.length > MAX_IMAGE_URL_CHARS) {
          return invalidBlocks(
            `must be less than ${MAX_IMAGE_URL_CHARS + 1} characters [json-pointer:${pointer}/image_url]`,
          );
        }
        const alt = block.alt_text;
        if (typeof alt !== 'string' || alt === '') {
          return invalidBlocks(`missing required field: alt_text [json-pointer:${pointer}]`);
        }
        if (alt.length > MAX_ALT_TEXT_CHARS) {
          return invalidBlocks(
            `must be less than ${MAX_ALT_TEXT_CHARS + 1} characters [json-pointer:${pointer}/alt_text]`,
          );
        }
        // Slack fetches the image while accepting the message and refuses the message when it cannot.
        if (!URL.canParse(url) || !isImageReachable(new URL(url))) {
          return invalidBlocks(`downloading image failed [json-pointer:${pointer}/image_url]`);
        }
        break;
      }
      case 'context_actions': {
        // https://docs.slack.dev/reference/block-kit/blocks/context-actions-block: 1 to 5 elements,
        // feedback_buttons (https://docs.slack.dev/reference/block-kit/block-elements/feedback-buttons-element)
        // or icon_button; each feedback button has plain_text of at most 75 characters and a value of at most 2,000.
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0 || elements.length > 5) {
          return invalidBlocks(`must have 1 to 5 items [json-pointer:${pointer}/elements]`);
        }
        for (const [at, element] of elements.entries()) {
          const refused = feedbackButtonsError(element, `${pointer}/elements/${at}`);
          if (refused) return refused;
        }
        break;
      }
      default:
        break;
    }
  }
  if (markdownChars > MAX_MARKDOWN_TOTAL_CHARS) return { ok: false, error: 'msg_blocks_too_long' };
  return undefined;
}

/** Slack's complaint about the first table cell that is not a raw_text/raw_number/rich_text cell with text. */
function tableCellError(rows: unknown[], pointer: string): string | undefined {
  for (const [rowIndex, row] of rows.entries()) {
    if (!Array.isArray(row)) return `must be an array [json-pointer:${pointer}/rows/${rowIndex}]`;
    for (const [cellIndex, cell] of row.entries()) {
      const at = `${pointer}/rows/${rowIndex}/${cellIndex}`;
      if (!isRecord(cell) || !['raw_text', 'raw_number', 'rich_text'].includes(String(cell.type))) {
        return `must be a valid table cell [json-pointer:${at}]`;
      }
      if (cell.type !== 'rich_text' && (typeof cell.text !== 'string' || cell.text === '')) {
        return `must be more than 0 characters [json-pointer:${at}/text]`;
      }
    }
  }
  return undefined;
}

function feedbackButtonsError(element: unknown, pointer: string): SlackAnswer | undefined {
  if (!isRecord(element)) return invalidBlocks(`must be an object [json-pointer:${pointer}]`);
  if (element.type === 'icon_button') return undefined;
  if (element.type !== 'feedback_buttons') {
    return invalidBlocks(`must be feedback_buttons or icon_button [json-pointer:${pointer}/type]`);
  }
  for (const side of ['positive_button', 'negative_button'] as const) {
    const button = isRecord(element[side]) ? element[side] : undefined;
    const text = isRecord(button?.text) ? button.text : undefined;
    const label = typeof text?.text === 'string' ? text.text : '';
    const value = typeof button?.value === 'string' ? button.value : '';
    if (text?.type !== 'plain_text' || label === '' || label.length > 75) {
      return invalidBlocks(`must be plain_text of 1 to 75 characters [json-pointer:${pointer}/${side}/text]`);
    }
    if (value === '' || value.length > 2000) {
      return invalidBlocks(`must be 1 to 2000 characters [json-pointer:${pointer}/${side}/value]`);
    }
  }
  return undefined;
}

function invalidBlocks(detail: string): SlackAnswer {
  // Slack's shape for a refused block: the detail in `errors` and again as an `[ERROR]` response_metadata message.
  return {
    ok: false,
    error: 'invalid_blocks',
    errors: [detail],
    response_metadata: { messages: [`[ERROR] ${detail}`] },
  };
}

function missingArgument(name: string): SlackAnswer {
  return {
    ok: false,
    error: 'invalid_arguments',
    response_metadata: { messages: [`[ERROR] missing required field: ${name}`] },
  };
}

function invalidArgument(detail: string): SlackAnswer {
  return { ok: false, error: 'invalid_arguments', response_metadata: { messages: [`[ERROR] ${detail}`] } };
}

/** `loading_messages` as a form field (a JSON string) or a JSON array; `invalid` when it is neither. */
function parseLoadingMessages(value: unknown): unknown[] | 'invalid' {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return 'invalid';
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : 'invalid';
  } catch {
    return 'invalid';
  }
}

function plausibleUser(id: string, teamId: string, isBot: boolean): Record<string, unknown> {
  const name = isBot ? 'architect' : `user.${id.toLowerCase()}`;
  const realName = isBot ? 'Architect' : `Test User ${id}`;
  return {
    id,
    team_id: teamId,
    name,
    deleted: false,
    real_name: realName,
    tz: 'Europe/London',
    tz_label: 'Greenwich Mean Time',
    tz_offset: 0,
    is_admin: false,
    is_owner: false,
    is_bot: isBot,
    is_app_user: false,
    updated: FIRST_TS_SECONDS,
    profile: {
      real_name: realName,
      display_name: isBot ? 'Architect' : `user-${id.toLowerCase()}`,
      ...(isBot ? {} : { email: `${id.toLowerCase()}@example.com` }),
      team: teamId,
    },
  };
}

/** The fault for this call, if any; an `undefined` entry is a call let through (`after`). */
function takeFault(
  faults: Map<string, Array<SlackFault | undefined>>,
  method: string,
): SlackFault | undefined {
  const queue = faults.get(method);
  const fault = queue?.shift();
  if (queue && queue.length === 0) faults.delete(method);
  return fault;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function stringArg(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compareTs(a: string, b: string): number {
  // Slack ts are fixed-width "<10 digits>.<6 digits>" here, so string order is time order.
  return a < b ? -1 : a > b ? 1 : 0;
}
