import type { HomeTabRequest } from '../core/feedback.js';
import type { FeedbackTelemetry, Log, ThreadStore } from '../core/ports.js';

/** What the feedback and App Home listeners need: the store's feedback and thread index, and metrics. */
export interface FeedbackDependencies {
  readonly store: Pick<ThreadStore, 'recordFeedback' | 'recentUserThreads'>;
  readonly telemetry: FeedbackTelemetry;
  readonly log: Log;
  /** `ALLOWED_TEAM_IDS`: clicks and tab openings from other workspaces are ignored (empty: any). */
  readonly allowedTeamIds?: readonly string[];
  /**
   * Where the ack waits for the listeners (Lambda): sends the Home tab to the worker instead of
   * publishing it on the ack path. Unset: the listener publishes it itself.
   */
  readonly handOffHomeTab?: (request: HomeTabRequest) => Promise<void>;
}
