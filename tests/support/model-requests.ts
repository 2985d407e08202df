/** A recorded model request's conversation as plain text per message (text blocks joined). */
export function conversationOf(
  body: { messages?: unknown[] } | undefined,
): Array<{ role: string; content: string }> {
  return (body?.messages ?? []).map((message) => {
    const { role, content } = message as {
      role: string;
      content: string | Array<{ type: string; text?: string }>;
    };
    const text =
      typeof content === 'string'
        ? content
        : content
            .filter((block) => block.type === 'text')
            .map((block) => block.text ?? '')
            .join('\n\n');
    return { role, content: text };
  });
}
