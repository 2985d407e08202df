import type { webApi } from '@slack/bolt';
import { ErrorCode } from '@slack/web-api';
import type { ThreadRef } from '../core/conversation.js';
import type { Log } from '../core/ports.js';
import {
  type PostProgress,
  postThreadMessages,
  slackErrorCode,
  ThreadPostError,
} from './post-thread-messages.js';
import type { SlackMessagePayload } from './render/render-answer.js';
import { SlackWritePacer } from './slack-write-pacer.js';
import { streamCut } from './stream-cut.js';
import { LIVE_STATUS_TEXT } from './user-messages.js';

type WebClient = webApi.WebClient;

/** The live answers of this process share each workspace's write budget. */
const sharedPacer = new SlackWritePacer();

export interface LiveAnswerOptions {
  /** For the final answer and the clean-up (stopping streams, deleting messages). */
  readonly client: WebClient;
  /**
   * For the writes made while the model writes, best made by `createLiveSlackWebClient`: a 429 then comes
   * back at once and pauses that message for its `Retry-After`. Default: `client`.
   */
  readonly writeClient?: WebClient;
  readonly thread: ThreadRef;
  /** Who asked: Slack needs the recipient to stream into a channel. */
  readonly recipientUserId: string;
  /** The "working on it" message: deleted once a stream shows text, or the first message when updating. */
  readonly placeholderTs?: string;
  /** Messages an earlier attempt streamed, in order: stopped and edited again, never left behind. */
  readonly earlierTs?: readonly string[];
  /** Records the messages the answer occupies (every ts so far) as soon as one is created. */
  readonly onMessages?: (ts: readonly string[]) => Promise<void>;
  readonly log: Log;
  readonly logFields?: Record<string, unknown>;
  /** False: never stream, show the text with `chat.update` only. Default true. */
  readonly stream?: boolean;
  /** Least time between two writes to one message. Default 1,000 ms. */
  readonly minWriteIntervalMs?: number;
  /**
   * How long after the first token the first message waits. Default 500 ms: the first words still show
   * within a second, and an answer the model finishes sooner (a clarifying question, a short reply)
   * goes straight up in its final form over the placeholder, with no stream to open, stop and redo.
   */
  readonly firstWriteDelayMs?: number;
  /** Past this many characters a message looks for a section or paragraph to end at. Default 9,000. */
  readonly softLimitChars?: number;
  /** A message ends here at the latest (Slack refuses a stream past about 12,000). Default 11,500. */
  readonly hardLimitChars?: number;
  readonly pacer?: SlackWritePacer;
}

/** One Slack message showing part of the live answer: `text.slice(start, end)`. */
interface ShownMessage {
  ts: string;
  /** `stream`: an open `chat.startStream` message; `update`: edited with `chat.update`. */
  mode: 'stream' | 'update';
  readonly start: number;
  /** Fixed once the answer rolls over to the next message. */
  end?: number;
  /** Characters of the answer this message shows. */
  shown: number;
  lastWriteAt: number;
  /** Rolled over and written in full: nothing more goes into it until the final render. */
  done: boolean;
}

/**
 * Shows an answer in the thread while the model writes it: the first words within about a second
 * of the first token, then at most one write a second per message. Streams (`chat.startStream`,
 * `appendStream`, `stopStream`) where Slack allows, and falls back to `chat.update` when streaming
 * is refused, a stream expires or grows too long. Long answers roll over to new messages at a
 * section boundary. The model is never held up: `onText` only queues text, and one write at a time
 * is in flight. `finish` puts the rendered answer over what was shown.
 */
export class LiveAnswer {
  readonly #options: LiveAnswerOptions;
  readonly #interval: number;
  readonly #soft: number;
  readonly #hard: number;
  readonly #pacer: SlackWritePacer;
  #text = '';
  #messages: ShownMessage[] = [];
  /** Messages from before a restart (or an earlier attempt), reused in order. */
  #spare: string[];
  /** Spare messages that may still be open streams. */
  readonly #mayStream: Set<string>;
  #placeholderTs: string | undefined;
  #streaming: boolean;
  #restartPending = false;
  #pumping = false;
  #closed = false;
  #broken = false;
  #running: Promise<void> | undefined;
  #status: Promise<void> = Promise.resolve();
  readonly #firstWriteDelay: number;
  #firstTextAt: number | undefined;
  /** Resolves when the answer closes: ends the wait for the first write early. */
  readonly #closedSignal: Promise<void>;
  #signalClosed: () => void = () => undefined;

  constructor(options: LiveAnswerOptions) {
    this.#options = options;
    this.#interval = options.minWriteIntervalMs ?? 1_000;
    this.#soft = options.softLimitChars ?? 9_000;
    this.#hard = options.hardLimitChars ?? 11_500;
    this.#pacer = options.pacer ?? sharedPacer;
    this.#firstWriteDelay = options.firstWriteDelayMs ?? 500;
    this.#closedSignal = new Promise((resolve) => {
      this.#signalClosed = resolve;
    });
    this.#spare = [...(options.earlierTs ?? [])];
    // A placeholder an earlier attempt already showed the answer in is one of its messages.
    this.#placeholderTs =
      options.placeholderTs && !this.#spare.includes(options.placeholderTs)
        ? options.placeholderTs
        : undefined;
    this.#mayStream = new Set(this.#spare);
    // An earlier attempt's messages are edited, not streamed into: a restarted answer starts over.
    this.#streaming = (options.stream ?? true) && this.#spare.length === 0;
  }

  /** Shows the loading status ("is designing…") until text arrives. Failures are ignored. */
  begin(): void {
    this.#status = this.#setStatus(LIVE_STATUS_TEXT);
  }

  /** Takes a piece of the model's text. Never waits for Slack. */
  readonly onText = (delta: string): void => {
    if (this.#closed) return;
    this.#firstTextAt ??= Date.now();
    this.#text += delta;
    this.#kick();
  };

  /** The model's stream broke and is run again: what was shown is void, the text starts over. */
  readonly onRestart = (): void => {
    if (this.#closed) return;
    this.#text = '';
    this.#restartPending = true;
    this.#kick();
  };

  /** The text the model wrote so far (since its last restart). */
  get text(): string {
    return this.#text;
  }

  /**
   * Puts the rendered answer over what was shown: streams stopped, each shown message edited into
   * its final form, extra messages posted as replies, surplus ones deleted. Returns the ts of every
   * message it wrote; throws `ThreadPostError` as `postThreadMessages` does.
   */
  async finish(rendered: readonly SlackMessagePayload[], progress: PostProgress = {}): Promise<string[]> {
    const targets = await this.#close();
    const useful = targets.length > 0 ? targets : this.#placeholderTs ? [this.#placeholderTs] : [];
    const skipped = progress.alreadyPosted ?? 0;
    let posted: string[];
    try {
      posted = await postThreadMessages(this.#options.client, this.#options.thread, rendered, undefined, {
        ...progress,
        over: useful,
      });
    } catch (error) {
      // Messages the final render did not reach still show raw streamed text: a Retry posts those parts
      // afresh, so they go rather than show twice. The notice goes below the parts that made it.
      // With nothing up yet, `abandon` keeps the first message for the notice and clears the rest.
      const reached = error instanceof ThreadPostError ? skipped + error.postedTs.length : 0;
      if (reached > 0) await this.#deleteAll(useful.slice(reached));
      throw error;
    }
    // The placeholder became the answer's first message. Only now: if posting failed, `abandon` still
    // has it for the failure notice, rather than leaving "working on it" above a second message.
    if (targets.length === 0) this.#placeholderTs = undefined;
    // A message Slack could not edit was replaced by a new reply: make sure the old one is gone too.
    const replaced = useful.filter(
      (ts, index) => index >= skipped && index < rendered.length && posted[index - skipped] !== ts,
    );
    await this.#deleteAll([
      ...replaced,
      ...useful.slice(rendered.length),
      ...(this.#placeholderTs ? [this.#placeholderTs] : []),
    ]);
    await this.#setStatus('');
    return posted;
  }

  /** Ends the live answer and leaves its messages as they are (the answer was already posted). */
  async dismiss(): Promise<void> {
    this.#closed = true;
    this.#signalClosed();
    await this.#running;
    await this.#status;
    await this.#setStatus('');
  }

  /**
   * Ends the live answer without a final one (the model failed): streams stopped, all but the first
   * shown message deleted. Returns the message a notice should go in: the first shown message, else
   * the placeholder.
   */
  async abandon(): Promise<string | undefined> {
    const targets = await this.#close();
    const [first, ...rest] = targets;
    await this.#deleteAll(first && this.#placeholderTs ? [...rest, this.#placeholderTs] : rest);
    await this.#setStatus('');
    return first ?? this.#placeholderTs;
  }

  /** Stops taking text, waits for the write in flight, stops every open stream; the messages shown, in order. */
  async #close(): Promise<string[]> {
    this.#closed = true;
    this.#signalClosed();
    await this.#running;
    await this.#status;
    for (const message of this.#messages) {
      if (message.mode !== 'stream') continue;
      await this.#waitTurn(message);
      await this.#stopQuietly(message.ts);
      message.mode = 'update';
    }
    for (const ts of this.#mayStream) await this.#stopQuietly(ts);
    this.#mayStream.clear();
    return [...this.#messages.map((message) => message.ts), ...this.#spare];
  }

  #kick(): void {
    if (this.#pumping || this.#broken || this.#closed) return;
    this.#pumping = true;
    this.#running = this.#run();
  }

  async #run(): Promise<void> {
    try {
      while (!this.#closed && this.#hasWork()) {
        try {
          await this.#step();
        } catch (error) {
          // Slack said 429 (the write client hands it back at once): the text coalesces meanwhile,
          // and a finish does not wait out the pause.
          const pause = rateLimitPauseMs(error);
          if (pause === undefined) throw error;
          this.#options.log.info('live answer paused by a Slack rate limit', {
            ...this.#options.logFields,
            pauseMs: pause,
          });
          await Promise.race([sleep(pause), this.#closedSignal]);
        }
      }
    } catch (error) {
      // Showing the answer live is a nicety: the final render still puts the whole answer up.
      this.#broken = true;
      this.#options.log.warn('live answer stopped updating', { ...this.#options.logFields, error });
    } finally {
      this.#pumping = false;
    }
  }

  get #writeClient(): WebClient {
    return this.#options.writeClient ?? this.#options.client;
  }

  /** How much longer the very first message waits (see `firstWriteDelayMs`); 0 for any later one. */
  #firstHold(): number {
    if (this.#messages.length > 0 || this.#spare.length > 0 || this.#firstTextAt === undefined) return 0;
    return this.#firstTextAt + this.#firstWriteDelay - Date.now();
  }

  #current(): ShownMessage | undefined {
    const last = this.#messages.at(-1);
    return last && !last.done ? last : undefined;
  }

  /** Where the next message starts: after the last one, less the line breaks between them. */
  #nextStart(): number {
    const last = this.#messages.at(-1);
    let start = last?.end ?? 0;
    while (this.#text[start] === '\n') start += 1;
    return start;
  }

  /** Up to where (in the answer) `message` should show now, and whether it then rolls over. */
  #plan(message: ShownMessage): { upTo: number; rollOver: boolean } {
    if (message.end !== undefined) return { upTo: message.end, rollOver: true };
    const content = this.#text.slice(message.start);
    if (content.length <= this.#soft) return { upTo: this.#text.length, rollOver: false };
    const cut = streamCut(content, message.shown, this.#hard, content.length >= this.#hard);
    if (cut !== undefined) {
      message.end = message.start + cut;
      return { upTo: message.end, rollOver: true };
    }
    // Until a place to end at comes, whole lines only: a heading being written may become the cut.
    const wholeLines = content.lastIndexOf('\n', this.#hard - 1) + 1;
    return { upTo: message.start + Math.max(message.shown, wholeLines), rollOver: false };
  }

  #hasWork(): boolean {
    if (this.#restartPending) return true;
    const message = this.#current();
    if (!message) return this.#text.slice(this.#nextStart()).trim() !== '';
    const plan = this.#plan(message);
    return plan.upTo > message.start + message.shown || plan.rollOver;
  }

  async #step(): Promise<void> {
    if (this.#restartPending) {
      await this.#reset();
      return;
    }
    const message = this.#current();
    if (!message) {
      const hold = this.#firstHold();
      if (hold > 0) {
        await Promise.race([sleep(hold), this.#closedSignal]);
        return;
      }
      const method = this.#spare.length > 0 || !this.#streaming ? 'chat.update' : 'chat.startStream';
      if (await this.#ready(method)) await this.#open();
      return;
    }
    const wait = message.lastWriteAt + this.#interval - Date.now();
    if (wait > 0) {
      await Promise.race([sleep(wait), this.#closedSignal]);
      return;
    }
    const method =
      message.mode === 'update'
        ? 'chat.update'
        : this.#plan(message).rollOver
          ? 'chat.stopStream'
          : 'chat.appendStream';
    if (await this.#ready(method)) await this.#write(message);
  }

  /**
   * False, after a short wait, while the workspace's budget for `method` is spent: the loop then looks
   * again (more text coalesces meanwhile), and a `finish` is never held up by a long wait for a slot.
   */
  async #ready(method: string): Promise<boolean> {
    const wait = this.#pacer.waitMs(this.#options.thread.teamId, method);
    if (wait <= 0) return true;
    await sleep(Math.min(wait, this.#interval));
    return false;
  }

  async #waitTurn(message: ShownMessage): Promise<void> {
    await sleep(message.lastWriteAt + this.#interval - Date.now());
  }

  /** Starts the next message: an earlier one reused, a stream, or (fallback) the placeholder or a reply. */
  async #open(): Promise<void> {
    const start = this.#nextStart();
    const upTo = Math.min(this.#text.length, start + this.#soft);
    const content = this.#text.slice(start, upTo);
    const { thread } = this.#options;
    const client = this.#writeClient;
    const reused = this.#spare.shift();
    if (reused !== undefined) {
      if (this.#mayStream.delete(reused)) await this.#stopQuietly(reused);
      const message = this.#add(reused, 'update', start);
      await this.#update(message, content);
      return;
    }
    if (this.#streaming) {
      try {
        await this.#pacer.take(thread.teamId, 'chat.startStream');
        const result = await client.chat.startStream({
          channel: thread.channelId,
          thread_ts: thread.threadTs,
          markdown_text: content,
          recipient_user_id: this.#options.recipientUserId,
          recipient_team_id: thread.teamId,
        });
        if (!result.ts) throw new Error('chat.startStream returned no ts');
        const message = this.#add(result.ts, 'stream', start);
        message.shown = content.length;
        message.lastWriteAt = Date.now();
        await this.#recordMessages();
        // The stream is a new reply below the placeholder, which has nothing left to say.
        if (this.#placeholderTs) {
          const placeholder = this.#placeholderTs;
          this.#placeholderTs = undefined;
          await this.#deleteAll([placeholder]);
        }
        return;
      } catch (error) {
        const code = slackErrorCode(error);
        if (code === undefined) throw error;
        this.#streaming = false;
        this.#options.log.info('streaming refused; showing the answer with chat.update', {
          ...this.#options.logFields,
          slackError: code,
        });
      }
    }
    if (this.#placeholderTs) {
      const message = this.#add(this.#placeholderTs, 'update', start);
      this.#placeholderTs = undefined;
      await this.#update(message, content);
      return;
    }
    const message = this.#add(await this.#postReply(content), 'update', start);
    message.shown = content.length;
    message.lastWriteAt = Date.now();
    await this.#recordMessages();
  }

  #add(ts: string, mode: ShownMessage['mode'], start: number): ShownMessage {
    const message: ShownMessage = { ts, mode, start, shown: 0, lastWriteAt: Date.now(), done: false };
    this.#messages.push(message);
    return message;
  }

  /** Brings `message` up to date: appends to its stream, or edits it; rolls over when it is full. */
  async #write(message: ShownMessage): Promise<void> {
    const { upTo, rollOver } = this.#plan(message);
    if (message.mode === 'update') {
      await this.#update(message, this.#text.slice(message.start, upTo));
      if (rollOver) message.done = true;
      return;
    }
    const { thread } = this.#options;
    const client = this.#writeClient;
    const delta = this.#text.slice(message.start + message.shown, upTo);
    try {
      if (rollOver) {
        // The last text goes with the stop: one write, not two.
        await this.#pacer.take(thread.teamId, 'chat.stopStream');
        await client.chat.stopStream({
          channel: thread.channelId,
          ts: message.ts,
          ...(delta ? { markdown_text: delta } : {}),
        });
        message.mode = 'update';
        message.done = true;
      } else {
        await this.#pacer.take(thread.teamId, 'chat.appendStream');
        await client.chat.appendStream({ channel: thread.channelId, ts: message.ts, markdown_text: delta });
      }
      message.shown += delta.length;
    } catch (error) {
      const code = slackErrorCode(error);
      if (code === 'message_not_in_streaming_state' || code === 'msg_too_long') {
        // Expired, or full sooner than expected: the message is edited from now on, and later ones too.
        this.#options.log.info('stream ended early; showing the answer with chat.update', {
          ...this.#options.logFields,
          slackError: code,
        });
        if (code === 'msg_too_long') await this.#stopQuietly(message.ts);
        message.mode = 'update';
        this.#streaming = false;
      } else {
        throw error;
      }
    } finally {
      message.lastWriteAt = Date.now();
    }
  }

  async #update(message: ShownMessage, content: string): Promise<void> {
    const { thread } = this.#options;
    const client = this.#writeClient;
    if (content.trim() === '') return;
    await this.#pacer.take(thread.teamId, 'chat.update');
    try {
      await client.chat.update({ channel: thread.channelId, ts: message.ts, ...liveMessage(content) });
    } catch (error) {
      if (slackErrorCode(error) !== 'message_not_found') throw error;
      // Deleted meanwhile (by a user, or an earlier attempt's cleanup): the text goes in a new reply.
      message.ts = await this.#postReply(content);
      await this.#recordMessages();
    } finally {
      message.lastWriteAt = Date.now();
    }
    message.shown = content.length;
  }

  async #postReply(content: string): Promise<string> {
    const { thread } = this.#options;
    const client = this.#writeClient;
    await this.#pacer.take(thread.teamId, 'chat.postMessage');
    const posted = await client.chat.postMessage({
      channel: thread.channelId,
      thread_ts: thread.threadTs,
      ...liveMessage(content),
      unfurl_links: false,
      unfurl_media: false,
    });
    if (!posted.ts) throw new Error('chat.postMessage returned no ts');
    return posted.ts;
  }

  /** A restart: stop what streams, keep the messages to show the new text in. */
  async #reset(): Promise<void> {
    this.#restartPending = false;
    for (const message of this.#messages) {
      if (message.mode === 'stream') await this.#stopQuietly(message.ts);
    }
    this.#spare = [...this.#messages.map((message) => message.ts), ...this.#spare];
    this.#messages = [];
    this.#streaming = false;
  }

  async #stopQuietly(ts: string): Promise<void> {
    const { client, thread } = this.#options;
    try {
      // Not paced: a stop ends a message, and the final answer should not wait for a slot.
      await client.chat.stopStream({ channel: thread.channelId, ts });
    } catch (error) {
      const code = slackErrorCode(error);
      // Already stopped, expired or gone: nothing is streaming there any more.
      if (code === 'message_not_in_streaming_state' || code === 'message_not_found') return;
      this.#options.log.warn('stream not stopped', { ...this.#options.logFields, error });
    }
  }

  async #deleteAll(tsList: readonly string[]): Promise<void> {
    const { client, thread } = this.#options;
    for (const ts of tsList) {
      try {
        await client.chat.delete({ channel: thread.channelId, ts });
      } catch (error) {
        if (slackErrorCode(error) === 'message_not_found') continue;
        this.#options.log.warn('live answer message not deleted', { ...this.#options.logFields, error });
      }
    }
  }

  async #recordMessages(): Promise<void> {
    await this.#options.onMessages?.([...this.#messages.map((message) => message.ts), ...this.#spare]);
  }

  async #setStatus(status: string): Promise<void> {
    const { client, thread } = this.#options;
    try {
      await client.assistant.threads.setStatus({
        channel_id: thread.channelId,
        thread_ts: thread.threadTs,
        status,
      });
    } catch (error) {
      // Not every surface or app has a loading status (https://docs.slack.dev/reference/methods/assistant.threads.setStatus).
      this.#options.log.debug('status not set', {
        ...this.#options.logFields,
        slackError: slackErrorCode(error),
      });
    }
  }
}

/** Text as a live message shows it: one `markdown` block, and a short plain fallback for notifications. */
function liveMessage(markdown: string): { text: string; blocks: [{ type: 'markdown'; text: string }] } {
  return { text: markdown.slice(0, 200), blocks: [{ type: 'markdown', text: markdown }] };
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** The `Retry-After` of a 429 the client handed back (`rejectRateLimitedCalls`), in ms; else undefined. */
function rateLimitPauseMs(error: unknown): number | undefined {
  const rateLimited = error as { code?: unknown; retryAfter?: unknown } | undefined;
  if (rateLimited?.code !== ErrorCode.RateLimitedError) return undefined;
  return typeof rateLimited.retryAfter === 'number' ? rateLimited.retryAfter * 1_000 : 1_000;
}
