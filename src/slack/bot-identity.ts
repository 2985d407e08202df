import * as z from 'zod/mini';

const authorizationsSchema = z.object({
  authorizations: z
    .array(z.object({ user_id: z.string().check(z.minLength(1)), is_bot: z.optional(z.boolean()) }))
    .check(z.minLength(1)),
});

/**
 * The bot's own user id: from Bolt's context when it is known ahead (`auth.test` locally, config
 * on Lambda), else from the Events API envelope, whose `authorizations` name the bot.
 */
export function botUserIdOf(context: { botUserId?: string }, body: unknown): string | undefined {
  if (context.botUserId) return context.botUserId;
  const parsed = authorizationsSchema.safeParse(body);
  if (!parsed.success) return undefined;
  return (parsed.data.authorizations.find((entry) => entry.is_bot) ?? parsed.data.authorizations[0])?.user_id;
}
