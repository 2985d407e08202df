import { diagramPngUrl, mermaidLiveEditUrl } from './diagram-urls.js';
import type { RenderedBlock } from './pack-blocks-into-messages.js';
import {
  SLACK_MAX_ALT_TEXT_CHARS,
  SLACK_MAX_CONTEXT_TEXT_CHARS,
  SLACK_MAX_IMAGE_URL_CHARS,
} from './slack-limits.js';
import { truncateWithEllipsis } from './truncate-text.js';

const EDITOR_LINK_LABEL = 'Open this diagram in the Mermaid Live editor';

/**
 * The block shown under a mermaid diagram's source: with a render server, an image block of the PNG; else, or
 * when the image URL would be over Slack's 3,000 characters, a context line linking to the online editor;
 * undefined when that link would be too long as well (the source is still there).
 */
export function mermaidDiagramBlock(
  source: string,
  renderUrl: string | undefined,
  sectionTitle: string | undefined,
): RenderedBlock | undefined {
  const rendered = renderUrl === undefined ? undefined : imageBlock(source, renderUrl);
  const block = rendered ?? editorLinkBlock(source);
  if (block === undefined) return undefined;
  return sectionTitle === undefined ? block : { ...block, sectionTitle };
}

function imageBlock(source: string, renderUrl: string): RenderedBlock | undefined {
  const imageUrl = diagramPngUrl(renderUrl, source);
  if (imageUrl.length > SLACK_MAX_IMAGE_URL_CHARS) return undefined;
  const altText = truncateWithEllipsis(
    `Diagram drawn from the mermaid source above: ${firstLine(source)}`,
    SLACK_MAX_ALT_TEXT_CHARS,
  );
  return { block: { type: 'image', image_url: imageUrl, alt_text: altText }, chars: altText.length };
}

// A link, not a button: a URL button still sends the app an interaction payload that must be acknowledged
// (https://docs.slack.dev/reference/block-kit/block-elements/button-element).
function editorLinkBlock(source: string): RenderedBlock | undefined {
  const text = `:pencil2: <${mermaidLiveEditUrl(source)}|${EDITOR_LINK_LABEL}>`;
  if (text.length > SLACK_MAX_CONTEXT_TEXT_CHARS) return undefined;
  return { block: { type: 'context', elements: [{ type: 'mrkdwn', text }] }, chars: text.length };
}

function firstLine(source: string): string {
  return (
    source
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? 'mermaid'
  );
}
