import * as z from 'zod/mini';

/**
 * A Slack `ts`: ten digits of seconds, a dot, six digits. Fixed width, so `ts` values sort as
 * strings, which the stored turn order relies on.
 */
export const slackTs = z.string().check(z.regex(/^\d{10}\.\d{6}$/));

/** A Slack id (`T…`, `C…`, `U…`, `D…`). */
export const slackId = z.string().check(z.minLength(1), z.maxLength(64));

/** Whether `value` is a Slack `ts` (see `slackTs`). */
export function isSlackTs(value: unknown): value is string {
  return slackTs.safeParse(value).success;
}
