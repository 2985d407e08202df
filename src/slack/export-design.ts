import type { webApi } from '@slack/bolt';
import { type IncomingRequest, requestKeyOf, type ThreadRef } from '../core/conversation.js';
import { type DesignDocument, designDocument } from '../core/design-document.js';
import { ArchitectError, StoreError } from '../core/errors.js';
import type { Log, ThreadStore } from '../core/ports.js';
import type { AnswerOutcome } from './answer-in-thread.js';
import { tellUserPrivately } from './hand-off-request.js';
import { requestLogFields } from './job-log-fields.js';
import { slackErrorCode } from './post-thread-messages.js';
import {
  canvasLinkText,
  designFileText,
  EXPORT_ALREADY_DONE_TEXT,
  EXPORT_EMPTY_TEXT,
  EXPORT_FAILED_TEXT,
  EXPORT_STORE_DOWN_TEXT,
} from './user-messages.js';

type WebClient = webApi.WebClient;

export interface ExportDesignDependencies {
  readonly client: WebClient;
  readonly store: Pick<ThreadStore, 'claimRequest' | 'recordRequestProgress' | 'listTurns'>;
  readonly log: Log;
}

/**
 * `canvases.create` errors that mean canvases cannot be used here (a free workspace, canvases turned
 * off, an admin restriction, or an app installed before it asked for `canvases:write`): the design
 * goes up as a Markdown file instead. https://docs.slack.dev/reference/methods/canvases.create#errors
 */
const CANVASES_UNAVAILABLE = new Set([
  'canvas_disabled_user_team',
  'free_teams_cannot_create_non_tabbed_canvases',
  'team_tier_cannot_create_canvases',
  'restricted_action',
  'not_allowed',
  'missing_scope',
]);

/** `document_content.markdown` is limited to 1 MiB; a larger design goes up as a file. */
const MAX_CANVAS_MARKDOWN_CHARS = 1_048_576;

/** Fixed delivery id of the per-design-version record: each version is exported once. */
const VERSION_RECORD_DELIVERY = 'design-export';

/** Where the design went. */
export type DesignExport =
  | { readonly as: 'canvas'; readonly canvasId: string; readonly url: string }
  | { readonly as: 'file'; readonly fileId: string };

/** Slack refused the export (the canvas, its link or the file). */
export class DesignExportError extends ArchitectError {}

/**
 * An "Open as canvas" click, in the worker: the thread's complete current design as a canvas with
 * its link in the thread, or as a Markdown file where canvases are not available. Each version of
 * the design (the thread up to its newest answer) is exported once: a double click, or a click on
 * an older answer's button, gets a private pointer to the link already posted. Exports of a thread
 * run one at a time (one queue group, or one dispatcher queue, per thread), so the version record
 * needs no lock. Every failure ends in a short message in the thread; there is no queue retry (a
 * retry could publish a second canvas), the user clicks again.
 */
export async function exportDesign(
  request: IncomingRequest,
  deliveryId: string,
  deps: ExportDesignDependencies,
): Promise<AnswerOutcome | 'duplicate'> {
  const fields = requestLogFields(request);
  const thread: ThreadRef = {
    teamId: request.teamId,
    channelId: request.channelId,
    threadTs: request.source.threadTs,
  };
  const clickKey = requestKeyOf(request);
  let document: DesignDocument | null;
  let versionKey: string | undefined;
  try {
    const claim = await deps.store.claimRequest(clickKey, deliveryId);
    if (!claim) {
      deps.log.info('duplicate delivery ignored', fields);
      return 'duplicate';
    }
    if (claim.settled) return 'answered';
    const turns = await deps.store.listTurns(thread);
    document = designDocument(turns);
    const newestAnswer = turns.findLast((turn) => turn.role === 'assistant');
    if (document && newestAnswer) {
      versionKey = `EXPORTED#${thread.channelId}#${thread.threadTs}#${newestAnswer.postTs}`;
      const version = await deps.store.claimRequest(versionKey, VERSION_RECORD_DELIVERY);
      if (version?.settled) {
        await tellUserPrivately(deps.client, request, EXPORT_ALREADY_DONE_TEXT);
        await deps.store.recordRequestProgress(clickKey, { settled: true });
        deps.log.info('design already exported', fields);
        return 'answered';
      }
    }
  } catch (error) {
    return exportFailed(request, error, deps);
  }
  if (!document || !versionKey) {
    deps.log.info('nothing to export', fields);
    try {
      await tellUserPrivately(deps.client, request, EXPORT_EMPTY_TEXT);
      await deps.store.recordRequestProgress(clickKey, { settled: true });
    } catch (error) {
      deps.log.warn('empty-thread note not posted', { ...fields, error });
    }
    return 'answered';
  }

  let published: DesignExport;
  try {
    published = await publishDesign(deps, thread, request.userId, document);
  } catch (error) {
    return exportFailed(request, error, deps);
  }
  try {
    await deps.store.recordRequestProgress(versionKey, { settled: true });
    await deps.store.recordRequestProgress(clickKey, { settled: true });
  } catch (error) {
    // The design is on Slack; only a later click could export it again.
    deps.log.warn('design export not recorded', { ...fields, error });
  }
  deps.log.info('design exported', {
    ...fields,
    as: published.as,
    answers: document.answers,
    markdownChars: document.markdown.length,
  });
  return 'answered';
}

/**
 * Creates the canvas and posts its link in the thread; where canvases are not available, uploads
 * the Markdown as a file into the thread instead.
 */
export async function publishDesign(
  deps: Pick<ExportDesignDependencies, 'client' | 'log'>,
  thread: ThreadRef,
  userId: string,
  document: DesignDocument,
): Promise<DesignExport> {
  const { client } = deps;
  if (document.markdown.length <= MAX_CANVAS_MARKDOWN_CHARS) {
    let canvasId: string | undefined;
    try {
      const created = await client.canvases.create({
        title: document.title,
        document_content: { type: 'markdown', markdown: document.markdown },
      });
      canvasId = created.canvas_id;
    } catch (error) {
      const code = slackErrorCode(error);
      if (!code || !CANVASES_UNAVAILABLE.has(code)) {
        throw new DesignExportError('canvases.create failed', { cause: error });
      }
      deps.log.info('canvases unavailable; exporting as a file', { channel: thread.channelId, code });
    }
    if (canvasId) return shareCanvas(deps, thread, userId, document, canvasId);
  }
  return uploadDesignFile(client, thread, document);
}

async function shareCanvas(
  deps: Pick<ExportDesignDependencies, 'client' | 'log'>,
  thread: ThreadRef,
  userId: string,
  document: DesignDocument,
  canvasId: string,
): Promise<DesignExport> {
  const { client } = deps;
  const url = await canvasUrl(client, thread.teamId, canvasId);
  try {
    // A standalone canvas is shared by posting its link in the conversation.
    // https://docs.slack.dev/reference/methods/canvases.create
    await client.chat.postMessage({
      channel: thread.channelId,
      thread_ts: thread.threadTs,
      text: canvasLinkText(url, document.title),
    });
  } catch (error) {
    throw new DesignExportError('canvas link not posted', { cause: error });
  }
  try {
    // Read access for the conversation's members, after the link is in it (the documented order).
    // Channels are given access as a whole; DMs are not accepted, so there the person who asked.
    // https://docs.slack.dev/reference/methods/canvases.access.set
    await client.canvases.access.set({
      canvas_id: canvasId,
      access_level: 'read',
      ...(thread.channelId.startsWith('D') ? { user_ids: [userId] } : { channel_ids: [thread.channelId] }),
    });
  } catch (error) {
    // The link is up; sharing it in the channel already lets its members open the canvas.
    deps.log.warn('canvas access not set', { channel: thread.channelId, canvasId, error });
  }
  return { as: 'canvas', canvasId, url };
}

/**
 * A canvas's link, `https://<workspace>.slack.com/docs/<team>/<canvas>`: canvases are files, opened
 * under the workspace's own domain, which `auth.test` gives. Without it, Slack's app domain.
 */
async function canvasUrl(client: WebClient, teamId: string, canvasId: string): Promise<string> {
  let base = 'https://app.slack.com/';
  try {
    const auth = await client.auth.test();
    if (auth.url && /^https:\/\/[^/]+\/?$/.test(auth.url))
      base = auth.url.endsWith('/') ? auth.url : `${auth.url}/`;
  } catch {
    // The link still works through app.slack.com.
  }
  return `${base}docs/${encodeURIComponent(teamId)}/${encodeURIComponent(canvasId)}`;
}

/** The external upload flow (`files.getUploadURLExternal`, the upload, `files.completeUploadExternal`). */
async function uploadDesignFile(
  client: WebClient,
  thread: ThreadRef,
  document: DesignDocument,
): Promise<DesignExport> {
  try {
    const result = await client.filesUploadV2({
      channel_id: thread.channelId,
      thread_ts: thread.threadTs,
      content: document.markdown,
      filename: `${fileSlug(document.title)}.md`,
      title: document.title,
      initial_comment: designFileText(document.title),
    });
    const fileId = result.files.flatMap((completion) => completion.files ?? []).at(0)?.id;
    if (!fileId) throw new Error('files.completeUploadExternal returned no file');
    return { as: 'file', fileId };
  } catch (error) {
    throw new DesignExportError('design file not uploaded', { cause: error });
  }
}

/** A safe file name from the title: lowercase words joined by dashes. */
export function fileSlug(title: string): string {
  const slug = title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug === '' ? 'design' : slug;
}

async function exportFailed(
  request: IncomingRequest,
  error: unknown,
  deps: ExportDesignDependencies,
): Promise<AnswerOutcome> {
  const fields = requestLogFields(request);
  deps.log.error('design export failed', { ...fields, error });
  try {
    await deps.client.chat.postMessage({
      channel: request.channelId,
      thread_ts: request.source.threadTs,
      text: error instanceof StoreError ? EXPORT_STORE_DOWN_TEXT : EXPORT_FAILED_TEXT,
    });
  } catch (notifyError) {
    deps.log.error('failure message not posted', { ...fields, error: notifyError });
  }
  return 'failed';
}
