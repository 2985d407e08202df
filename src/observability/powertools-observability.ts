import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { type Logger as BoltLogger, LogLevel } from '@slack/web-api';
import type { FeedbackRating } from '../core/feedback.js';
import type { AnswerTelemetry, FailureReason, FeedbackTelemetry, Log } from '../core/ports.js';

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * The app's `Log` and Bolt's logger on top of Powertools Logger: structured JSON lines with the
 * Lambda context and the request's ids as keys.
 */
export class PowertoolsLog implements Log, BoltLogger {
  readonly logger: Logger;

  constructor(options: { serviceName?: string; level: Level }) {
    this.logger = new Logger({
      serviceName: options.serviceName ?? 'architect',
      logLevel: options.level.toUpperCase() as 'INFO',
    });
  }

  debug(...args: unknown[]): void {
    this.#log('debug', args);
  }
  info(...args: unknown[]): void {
    this.#log('info', args);
  }
  warn(...args: unknown[]): void {
    this.#log('warn', args);
  }
  error(...args: unknown[]): void {
    this.#log('error', args);
  }
  setLevel(level: LogLevel): void {
    this.logger.setLogLevel(level.toUpperCase() as 'INFO');
  }
  getLevel(): LogLevel {
    const name = this.logger.getLevelName().toLowerCase();
    return (Object.values(LogLevel) as string[]).includes(name) ? (name as LogLevel) : LogLevel.INFO;
  }
  setName(_name: string): void {}

  /** Bolt passes free-form arguments; Powertools wants a message and objects to merge. */
  #log(level: Level, args: unknown[]): void {
    const texts: string[] = [];
    const extras: Array<Record<string, unknown>> = [];
    for (const arg of args) {
      if (typeof arg === 'string') texts.push(arg);
      else if (arg instanceof Error) extras.push({ error: arg });
      else if (arg && typeof arg === 'object' && !Array.isArray(arg))
        extras.push(arg as Record<string, unknown>);
      else texts.push(String(arg));
    }
    this.logger[level](texts.join(' '), ...extras);
  }
}

/** Creates the metrics buffer of one function; flush it with `publishStoredMetrics()` per invocation. */
export function createMetrics(serviceName = 'architect'): Metrics {
  return new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Architect', serviceName });
}

/** Answer figures as CloudWatch metrics (EMF log lines). */
export class CloudWatchAnswerTelemetry implements AnswerTelemetry {
  readonly #metrics: Metrics;

  constructor(metrics: Metrics) {
    this.#metrics = metrics;
  }

  modelAnswered({ usage, timing, costUsd }: Parameters<AnswerTelemetry['modelAnswered']>[0]): void {
    const metrics = this.#metrics;
    if (costUsd !== null)
      metrics.addMetric('EstimatedCostMicroUsd', MetricUnit.Count, Math.round(costUsd * 1e6));
    metrics.addMetric('ModelLatency', MetricUnit.Milliseconds, timing.totalMs);
    if (timing.firstTextMs !== null) {
      metrics.addMetric('ModelFirstTextLatency', MetricUnit.Milliseconds, timing.firstTextMs);
    }
    metrics.addMetric('InputTokens', MetricUnit.Count, usage.inputTokens);
    metrics.addMetric('OutputTokens', MetricUnit.Count, usage.outputTokens);
    metrics.addMetric('CacheReadInputTokens', MetricUnit.Count, usage.cacheReadInputTokens);
    metrics.addMetric('CacheWriteInputTokens', MetricUnit.Count, usage.cacheCreationInputTokens);
  }

  answered(figures: Parameters<AnswerTelemetry['answered']>[0]): void {
    this.#metrics.addMetric('Answers', MetricUnit.Count, 1);
    this.#metrics.addMetric('AnswerParts', MetricUnit.Count, figures.parts);
    if (figures.truncated) this.#metrics.addMetric('TruncatedAnswers', MetricUnit.Count, 1);
  }

  failed(reason: FailureReason, willRetry: boolean): void {
    this.#metrics.addMetric(willRetry ? 'AnswerRetries' : 'AnswerFailures', MetricUnit.Count, 1);
    this.#metrics.addMetric(`AnswerFailure_${reason}`, MetricUnit.Count, 1);
  }
}

/** Feedback clicks as CloudWatch metrics: `FeedbackPositive` and `FeedbackNegative`. */
export class CloudWatchFeedbackTelemetry implements FeedbackTelemetry {
  readonly #metrics: Metrics;

  constructor(metrics: Metrics) {
    this.#metrics = metrics;
  }

  feedbackGiven(rating: FeedbackRating): void {
    this.#metrics.addMetric(
      rating === 'positive' ? 'FeedbackPositive' : 'FeedbackNegative',
      MetricUnit.Count,
      1,
    );
  }
}
