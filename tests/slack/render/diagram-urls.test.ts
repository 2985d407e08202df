import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  diagramPngUrl,
  diagramRendererFor,
  krokiPngUrl,
  mermaidInkPngUrl,
  mermaidLiveEditUrl,
} from '../../../src/slack/render/diagram-urls.js';

const SOURCE = 'flowchart LR\n    A[Café «API»] -->|"a < b & c"| B[(東京 DB)]\n    B --> C{{🚀 done?}}';

/** Inflates URL-safe base64 (with or without padding) back to UTF-8 text. */
function inflateBase64Url(encoded: string): string {
  return inflateSync(Buffer.from(encoded.replaceAll('-', '+').replaceAll('_', '/'), 'base64')).toString(
    'utf8',
  );
}

describe('krokiPngUrl', () => {
  it('encodes the source as Kroki documents: zlib deflate, base64 with - and _ (known vector)', () => {
    // https://docs.kroki.io/kroki/setup/usage: "digraph G {Hello->World}" piped through its Python one-liner.
    const url = krokiPngUrl('https://kroki.io', 'digraph G {Hello->World}\n');

    expect(url).toBe('https://kroki.io/mermaid/png/eNpLyUwvSizIUHBXqPZIzcnJ17ULzy_KSanlAgB1EAjQ');
  });

  it('decodes back to the exact source, Unicode included', () => {
    const url = krokiPngUrl('http://kroki:8000/', SOURCE);

    const [, encoded = ''] = /^http:\/\/kroki:8000\/mermaid\/png\/([A-Za-z0-9_=-]+)$/.exec(url) ?? [];
    expect(inflateBase64Url(encoded)).toBe(SOURCE);
  });
});

describe('mermaidInkPngUrl', () => {
  it('asks mermaid.ink for a PNG of the editor state in its pako: form', () => {
    const url = mermaidInkPngUrl('https://mermaid.ink', SOURCE);

    const [, encoded = ''] = /^https:\/\/mermaid\.ink\/img\/pako:([A-Za-z0-9_-]+)\?type=png$/.exec(url) ?? [];
    expect(JSON.parse(inflateBase64Url(encoded))).toEqual({ code: SOURCE, mermaid: '{"theme":"default"}' });
  });
});

describe('mermaidLiveEditUrl', () => {
  it('opens the online editor with the source in the state it reads from #pako:', () => {
    const url = mermaidLiveEditUrl(SOURCE);

    const [, encoded = ''] = /^https:\/\/mermaid\.live\/edit#pako:([A-Za-z0-9_-]+)$/.exec(url) ?? [];
    const state = JSON.parse(inflateBase64Url(encoded));
    expect(state).toEqual({ code: SOURCE, mermaid: '{"theme":"default"}' });
    expect(JSON.parse(state.mermaid)).toEqual({ theme: 'default' });
  });
});

describe('diagramRendererFor', () => {
  it.each([
    ['https://kroki.io', 'kroki'],
    ['http://kroki:8000', 'kroki'],
    ['https://diagrams.example.com/kroki', 'kroki'],
    ['https://mermaid.ink', 'mermaid-ink'],
    ['http://mermaid-ink:3000', 'mermaid-ink'],
  ])('treats %s as %s', (url, renderer) => {
    expect(diagramRendererFor(url)).toBe(renderer);
  });

  it('builds the URL of the matching server', () => {
    expect(diagramPngUrl('https://mermaid.ink', 'graph TD')).toBe(
      mermaidInkPngUrl('https://mermaid.ink', 'graph TD'),
    );
    expect(diagramPngUrl('https://kroki.io', 'graph TD')).toBe(krokiPngUrl('https://kroki.io', 'graph TD'));
  });
});
