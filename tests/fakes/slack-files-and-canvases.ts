import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError } from './loopback-http.js';

// The canvas and file-upload part of the fake Slack Web API (see slack-web-api.ts), following
// https://docs.slack.dev/reference/methods/canvases.create, canvases.access.set,
// files.getUploadURLExternal and files.completeUploadExternal.

/** A canvas the fake holds. */
export interface FakeCanvas {
  readonly id: string;
  readonly title?: string;
  readonly markdown: string;
  /** Each accepted `canvases.access.set`, in order. */
  readonly access: Array<{ level: string; channelIds?: string[]; userIds?: string[] }>;
}

/** A file of the external upload flow, from `files.getUploadURLExternal` on. */
export interface FakeFile {
  readonly id: string;
  readonly filename: string;
  /** The `length` announced to `files.getUploadURLExternal`. */
  readonly length: number;
  /** The bytes posted to the upload URL; absent until then. */
  bytes?: Buffer;
  /** Set by `files.completeUploadExternal`. */
  completed?: { title?: string; channelId?: string; threadTs?: string; initialComment?: string };
}

type Answer = { ok: true; [key: string]: unknown } | { ok: false; error: string; [key: string]: unknown };

/** What the rest of the fake lends this part. */
export interface FilesAndCanvasesContext {
  /** The fake's own base URL, `http://127.0.0.1:<port>`, for upload URLs. */
  readonly baseUrl: () => string;
  readonly channelError: (channel: unknown) => Answer | undefined;
  /** Posts a bot message into a channel (and thread) the way `chat.postMessage` would; returns its ts. */
  readonly postFileMessage: (
    channel: string,
    threadTs: string | undefined,
    text: string,
    files: Array<{ id: string; title?: string }>,
  ) => string;
  /** The `error` every `canvases.create` answers with, when canvases are not available. */
  readonly canvasesUnavailable?: string;
}

const MAX_CANVAS_MARKDOWN_CHARS = 1_048_576;
const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
export const UPLOAD_PATH_PREFIX = '/upload/v1/';

/** The canvas and file methods, the state behind them, and the upload endpoint. */
export function createFilesAndCanvases(context: FilesAndCanvasesContext) {
  const canvases = new Map<string, FakeCanvas>();
  const files = new Map<string, FakeFile>();
  let idCounter = 0;
  const nextId = (): string => {
    idCounter += 1;
    return `F0FAKE${String(idCounter).padStart(5, '0')}`;
  };

  const handlers: Record<string, (call: { args: Record<string, unknown> }) => Answer> = {
    'canvases.create': ({ args }) => {
      if (context.canvasesUnavailable) return { ok: false, error: context.canvasesUnavailable };
      if (args.title !== undefined && typeof args.title !== 'string') return invalidArguments('title');
      const content = jsonArg(args.document_content);
      let markdown = '';
      if (content !== undefined) {
        if (!isRecord(content) || content.type !== 'markdown' || typeof content.markdown !== 'string') {
          return invalidArguments('document_content');
        }
        markdown = content.markdown;
      }
      if (markdown.length > MAX_CANVAS_MARKDOWN_CHARS) return { ok: false, error: 'canvas_creation_failed' };
      const id = nextId();
      canvases.set(id, {
        id,
        ...(typeof args.title === 'string' ? { title: args.title } : {}),
        markdown,
        access: [],
      });
      return { ok: true, canvas_id: id };
    },
    'canvases.access.set': ({ args }) => {
      const canvas = typeof args.canvas_id === 'string' ? canvases.get(args.canvas_id) : undefined;
      if (!canvas) return { ok: false, error: 'canvas_not_found' };
      const level = args.access_level;
      if (level !== 'read' && level !== 'write' && level !== 'owner') return invalidArguments('access_level');
      const channelIds = stringList(jsonArg(args.channel_ids));
      const userIds = stringList(jsonArg(args.user_ids));
      if ((channelIds === undefined) === (userIds === undefined))
        return { ok: false, error: 'invalid_parameters' };
      // Only regular channels: DMs and group DMs are refused (use user ids there).
      if (channelIds?.some((id) => !/^[CG]/.test(id))) return { ok: false, error: 'channel_not_found' };
      canvas.access.push({
        level,
        ...(channelIds ? { channelIds } : {}),
        ...(userIds ? { userIds } : {}),
      });
      return { ok: true };
    },
    'files.getUploadURLExternal': ({ args }) => {
      if (typeof args.filename !== 'string' || args.filename === '') return invalidArguments('filename');
      const length = Number(args.length);
      if (!Number.isInteger(length) || length <= 0) return { ok: false, error: 'missing_argument' };
      const id = nextId();
      files.set(id, { id, filename: args.filename, length });
      return { ok: true, upload_url: `${context.baseUrl()}${UPLOAD_PATH_PREFIX}${id}`, file_id: id };
    },
    'files.completeUploadExternal': ({ args }) => {
      const entries = jsonArg(args.files);
      if (!Array.isArray(entries) || entries.length === 0) return invalidArguments('files');
      const channelId =
        typeof args.channel_id === 'string' && args.channel_id !== '' ? args.channel_id : undefined;
      const threadTs =
        typeof args.thread_ts === 'string' && args.thread_ts !== '' ? args.thread_ts : undefined;
      if (threadTs && !channelId) return invalidArguments('channel_id');
      if (channelId) {
        const refused = context.channelError(channelId);
        if (refused) return refused;
      }
      const targets: FakeFile[] = [];
      for (const entry of entries) {
        const file = isRecord(entry) && typeof entry.id === 'string' ? files.get(entry.id) : undefined;
        // A file whose bytes never arrived (or that was completed already) is not one Slack can share.
        if (!file?.bytes || file.completed) return { ok: false, error: 'file_not_found' };
        targets.push(file);
      }
      const shared = targets.map((file, index) => {
        const entry = entries[index] as Record<string, unknown>;
        const title = typeof entry.title === 'string' ? entry.title : file.filename;
        file.completed = {
          title,
          ...(channelId ? { channelId } : {}),
          ...(threadTs ? { threadTs } : {}),
          ...(typeof args.initial_comment === 'string' ? { initialComment: args.initial_comment } : {}),
        };
        return { id: file.id, title };
      });
      if (channelId) {
        const comment = typeof args.initial_comment === 'string' ? args.initial_comment : '';
        context.postFileMessage(channelId, threadTs, comment, shared);
      }
      return { ok: true, files: shared };
    },
  };

  /**
   * The upload URL: the bytes as the raw body or as the file part of a multipart form. Answers
   * `200 OK - <bytes>`, `404` for an unknown URL, `400` when the size differs from the `length`
   * announced. Resolves false for a path that is not an upload URL.
   */
  async function handleUpload(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    if (!path.startsWith(UPLOAD_PATH_PREFIX)) return false;
    const file = files.get(path.slice(UPLOAD_PATH_PREFIX.length));
    if (req.method !== 'POST' || !file) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found');
      return true;
    }
    let bytes: Buffer;
    try {
      bytes = await uploadedBytes(req);
    } catch (error) {
      res.writeHead(error instanceof BodyTooLargeError ? 413 : 400, { 'content-type': 'text/plain' });
      res.end('bad upload');
      return true;
    }
    if (bytes.length !== file.length) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`length mismatch: announced ${file.length}, received ${bytes.length}`);
      return true;
    }
    file.bytes = bytes;
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`OK - ${bytes.length}`);
    return true;
  }

  return { canvases, files, handlers, handleUpload };
}

async function uploadedBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_UPLOAD_BYTES) throw new BodyTooLargeError(MAX_UPLOAD_BYTES);
    chunks.push(buffer);
  }
  const body = Buffer.concat(chunks);
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) return body;
  // Node's fetch Response parses multipart bodies; the first file part is the upload.
  const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  throw new Error('multipart upload without a file part');
}

/** Form posts carry objects and arrays as JSON strings; JSON posts carry them as they are. */
function jsonArg(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function stringList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value !== '') return value.split(',');
  return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')
    ? value
    : undefined;
}

function invalidArguments(name: string): Answer {
  return {
    ok: false,
    error: 'invalid_arguments',
    response_metadata: { messages: [`[ERROR] invalid or missing field: ${name}`] },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
