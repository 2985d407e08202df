import { type Logger as BoltLogger, LogLevel } from '@slack/web-api';
import type { Log } from '../core/ports.js';

const SEVERITY: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 10,
  [LogLevel.INFO]: 20,
  [LogLevel.WARN]: 30,
  [LogLevel.ERROR]: 40,
};

/**
 * One JSON object a line: `{level, time, logger, message, ...fields}`. Serves both the app's own
 * structured logs and Bolt's (which passes free-form arguments).
 */
export class JsonLogger implements Log, BoltLogger {
  #level: LogLevel;
  #name: string;
  readonly #write: (line: string) => void;
  readonly #baseFields: Record<string, unknown>;

  constructor(
    options: {
      level?: LogLevel | `${LogLevel}`;
      name?: string;
      write?: (line: string) => void;
      fields?: Record<string, unknown>;
    } = {},
  ) {
    this.#level = (options.level as LogLevel | undefined) ?? LogLevel.INFO;
    this.#name = options.name ?? 'architect';
    this.#write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
    this.#baseFields = options.fields ?? {};
  }

  /** A logger that adds `fields` to every line (ids of the request being handled). */
  child(fields: Record<string, unknown>): JsonLogger {
    return new JsonLogger({
      level: this.#level,
      name: this.#name,
      write: this.#write,
      fields: { ...this.#baseFields, ...fields },
    });
  }

  debug(...args: unknown[]): void {
    this.#log(LogLevel.DEBUG, args);
  }
  info(...args: unknown[]): void {
    this.#log(LogLevel.INFO, args);
  }
  warn(...args: unknown[]): void {
    this.#log(LogLevel.WARN, args);
  }
  error(...args: unknown[]): void {
    this.#log(LogLevel.ERROR, args);
  }
  setLevel(level: LogLevel): void {
    this.#level = level;
  }
  getLevel(): LogLevel {
    return this.#level;
  }
  setName(name: string): void {
    this.#name = name;
  }

  #log(level: LogLevel, args: unknown[]): void {
    if (SEVERITY[level] < SEVERITY[this.#level]) return;
    const texts: string[] = [];
    const fields: Record<string, unknown> = {};
    for (const arg of args) {
      if (typeof arg === 'string') texts.push(arg);
      else if (arg instanceof Error) fields.error = describeError(arg);
      else if (arg && typeof arg === 'object' && !Array.isArray(arg)) Object.assign(fields, arg);
      else texts.push(String(arg));
    }
    if (fields.error instanceof Error) fields.error = describeError(fields.error);
    // The line's own keys come last so that no field can overwrite them.
    const line = {
      ...this.#baseFields,
      ...fields,
      level,
      time: new Date().toISOString(),
      logger: this.#name,
      message: texts.join(' '),
    };
    this.#write(JSON.stringify(line));
  }
}

/** The parts of an error worth logging: class, message, code and the chain of causes (no stack at info). */
export function describeError(error: Error, depth = 0): Record<string, unknown> {
  const described: Record<string, unknown> = { name: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') described.code = code;
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number') described.status = status;
  if (error.cause instanceof Error && depth < 3) described.cause = describeError(error.cause, depth + 1);
  return described;
}
