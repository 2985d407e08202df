import type { SlackMessagePayload } from './slack-message-payload.js';

/**
 * The message without its image blocks, for a second try when Slack refuses it because it could not download an
 * image (a diagram server that is down or rejects the diagram); undefined when it has none. The diagram's source
 * is in the code block above the image, so nothing the model wrote is lost.
 */
export function withoutImageBlocks(message: SlackMessagePayload): SlackMessagePayload | undefined {
  const blocks = message.blocks.filter((block) => block.type !== 'image');
  return blocks.length === message.blocks.length ? undefined : { ...message, blocks };
}
