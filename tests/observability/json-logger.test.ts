import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { JsonLogger } from '../../src/observability/json-logger.js';

/** A JsonLogger that collects its lines instead of writing to stdout. */
function capturingLogger(options: { level?: LogLevel; name?: string } = {}) {
  const lines: string[] = [];
  const logger = new JsonLogger({ ...options, write: (line) => lines.push(line) });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, records };
}

class HttpFailure extends Error {
  readonly code = 'ECONNRESET';
  readonly status = 503;
}

describe('JsonLogger', () => {
  it('writes one JSON object per line with level, time, logger name, message and fields', () => {
    const { logger, lines } = capturingLogger({ name: 'architect-test' });

    logger.info('answer posted', { channel: 'C1', chars: 420 });
    logger.warn('slow model', { ms: 9000 });

    expect(lines).toHaveLength(2);
    expect(lines.every((line) => !line.includes('\n'))).toBe(true);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      logger: 'architect-test',
      message: 'answer posted',
      channel: 'C1',
      chars: 420,
    });
    expect(JSON.parse(lines[1] ?? '')).toMatchObject({ level: 'warn', message: 'slow model', ms: 9000 });
  });

  it('drops debug lines at info level and keeps info and above', () => {
    const { logger, records } = capturingLogger({ level: LogLevel.INFO });

    logger.debug('user text', { text: 'secret question' });
    logger.info('kept info');
    logger.error('kept error');

    expect(records().map((record) => record.message)).toEqual(['kept info', 'kept error']);
  });

  it('writes debug lines at debug level', () => {
    const { logger, records } = capturingLogger({ level: LogLevel.DEBUG });

    logger.debug('prompt built', { turns: 3 });

    expect(records()).toEqual([
      expect.objectContaining({ level: 'debug', message: 'prompt built', turns: 3 }),
    ]);
  });

  it('drops lines below a level set later with setLevel', () => {
    const { logger, records } = capturingLogger({ level: LogLevel.DEBUG });

    logger.setLevel(LogLevel.WARN);
    logger.info('dropped');
    logger.warn('kept');

    expect(logger.getLevel()).toBe(LogLevel.WARN);
    expect(records().map((record) => record.message)).toEqual(['kept']);
  });

  it('adds the fields of child() to every line of the child, and not to the parent', () => {
    const { logger, records } = capturingLogger();

    const child = logger.child({ channel: 'C1' }).child({ postTs: '100.2' });
    child.info('answering', { turns: 4 });
    logger.info('parent line');

    const [childLine, parentLine] = records();
    expect(childLine).toMatchObject({ message: 'answering', channel: 'C1', postTs: '100.2', turns: 4 });
    expect(parentLine).not.toHaveProperty('channel');
    expect(parentLine).not.toHaveProperty('postTs');
  });

  it('logs an Error argument as name, message, code, status and cause, without a stack', () => {
    const { logger, lines, records } = capturingLogger();
    const error = new HttpFailure('socket hang up', { cause: new RangeError('too many redirects') });
    error.name = 'HttpFailure';

    logger.error('post failed', error);

    expect(records()[0]).toMatchObject({
      message: 'post failed',
      error: {
        name: 'HttpFailure',
        message: 'socket hang up',
        code: 'ECONNRESET',
        status: 503,
        cause: { name: 'RangeError', message: 'too many redirects' },
      },
    });
    expect(lines[0]).not.toContain('stack');
    expect(lines[0]).not.toContain('    at ');
  });

  it('logs an Error passed as fields.error the same way', () => {
    const { logger, lines, records } = capturingLogger();

    logger.error('job crashed', { channel: 'C1', error: new TypeError('x is not a function') });

    expect(records()[0]).toEqual(
      expect.objectContaining({
        channel: 'C1',
        error: { name: 'TypeError', message: 'x is not a function' },
      }),
    );
    expect(lines[0]).not.toContain('stack');
  });

  it('joins Bolt-style free-form string arguments into the message and merges object arguments as fields', () => {
    const { logger, records } = capturingLogger();

    logger.info('a', 'b', { x: 1 });

    expect(records()[0]).toMatchObject({ level: 'info', message: 'a b', x: 1 });
  });
});
