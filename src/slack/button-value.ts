import type * as z from 'zod/mini';

/**
 * Reads back what one of our buttons carries: JSON checked against `schema`. Null for anything else
 * (a button of another app, an old format, a value someone forged), never an exception: a click is
 * user input.
 */
export function parseButtonValue<Schema extends z.ZodMiniType>(
  schema: Schema,
  value: unknown,
): z.infer<Schema> | null {
  if (typeof value !== 'string') return null;
  try {
    const parsed = schema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
