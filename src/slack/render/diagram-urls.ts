import { deflateSync } from 'node:zlib';

/** The two kinds of diagram server a `DIAGRAM_RENDER_URL` can name; they encode the source differently. */
export type DiagramRenderer = 'kroki' | 'mermaid-ink';

const MERMAID_LIVE_EDITOR = 'https://mermaid.live/edit';
// mermaid.live and mermaid.ink read the editor's state, a JSON object whose `mermaid` member is itself a JSON
// string of mermaid config (mermaid-live-editor src/lib/types.d.ts, `State`).
const EDITOR_MERMAID_CONFIG = JSON.stringify({ theme: 'default' });

/**
 * The kind of server at a diagram render URL: mermaid.ink when its host says so ("mermaid.ink" or a
 * "mermaid-ink" container), else Kroki (kroki.io, or a self-hosted Kroki such as http://kroki:8000).
 */
export function diagramRendererFor(baseUrl: string): DiagramRenderer {
  const host = new URL(baseUrl).hostname.toLowerCase();
  return host.includes('mermaid.ink') || host.includes('mermaid-ink') ? 'mermaid-ink' : 'kroki';
}

/** A GET URL for a PNG of the mermaid source on the diagram server at baseUrl. */
export function diagramPngUrl(baseUrl: string, source: string): string {
  return diagramRendererFor(baseUrl) === 'kroki'
    ? krokiPngUrl(baseUrl, source)
    : mermaidInkPngUrl(baseUrl, source);
}

// https://docs.kroki.io/kroki/setup/encode-diagram: deflate (zlib, level 9) the UTF-8 source, base64, then
// "+" -> "-" and "/" -> "_".
/** Kroki's GET URL for a PNG: `<base>/mermaid/png/<deflate + URL-safe base64 of the source>`. */
export function krokiPngUrl(baseUrl: string, source: string): string {
  const encoded = deflateSync(Buffer.from(source, 'utf8'), { level: 9 })
    .toString('base64')
    .replaceAll('+', '-')
    .replaceAll('/', '_');
  return `${withoutTrailingSlash(baseUrl)}/mermaid/png/${encoded}`;
}

// mermaid.ink answers JPEG unless `type=png` is asked for; its `pako:` form takes the same state as mermaid.live.
/** mermaid.ink's GET URL for a PNG: `<base>/img/pako:<editor state>?type=png`. */
export function mermaidInkPngUrl(baseUrl: string, source: string): string {
  return `${withoutTrailingSlash(baseUrl)}/img/pako:${encodeEditorState(source)}?type=png`;
}

/** A link that opens the source in the online mermaid editor: `https://mermaid.live/edit#pako:<state>`. */
export function mermaidLiveEditUrl(source: string): string {
  return `${MERMAID_LIVE_EDITOR}#pako:${encodeEditorState(source)}`;
}

/** The editor state `{"code", "mermaid"}` as JSON, zlib-deflated at level 9, in unpadded base64url. */
function encodeEditorState(source: string): string {
  const state = JSON.stringify({ code: source, mermaid: EDITOR_MERMAID_CONFIG });
  return deflateSync(Buffer.from(state, 'utf8'), { level: 9 }).toString('base64url');
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
