/** Quiet means no Slack request in flight, and none begun or finished for this long. */
export const ACK_QUIET_MS = 50;
/** The longest an answer is held back for acknowledgements: a burst cannot keep answers waiting. */
export const ACK_MAX_HOLD_MS = 500;

/**
 * The local bot's acknowledgements, as work that comes first. Slack wants each request answered
 * within 3 seconds; an answer can start a moment later. So the HTTP side marks each Slack request
 * from its arrival until its response is done, and new answers wait (`whenQuiet`) while requests
 * are coming in: during a burst, the CPU goes to the acks, and the answers start once it is over,
 * or after `maxHoldMs` at the most. Answers already under way carry on.
 *
 * In ordinary traffic the only request in flight is the one being answered, so an answer starts
 * about `quietMs` after its request arrived.
 */
export class AckTraffic {
  readonly #quietMs: number;
  readonly #maxHoldMs: number;
  readonly #now: () => number;
  #inFlight = 0;
  #lastActive = Number.NEGATIVE_INFINITY;
  readonly #waiting = new Set<() => void>();
  #check: NodeJS.Timeout | undefined;

  constructor(options: { quietMs?: number; maxHoldMs?: number; now?: () => number } = {}) {
    this.#quietMs = options.quietMs ?? ACK_QUIET_MS;
    this.#maxHoldMs = options.maxHoldMs ?? ACK_MAX_HOLD_MS;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Requests received and not yet answered. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** A request has arrived; call the returned function (once or more) when its response is done. */
  begin(): () => void {
    this.#inFlight += 1;
    this.#lastActive = this.#now();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#inFlight -= 1;
      this.#lastActive = this.#now();
    };
  }

  /**
   * Resolves once no request is in flight and none has begun or finished for `quietMs`, or after
   * `maxHoldMs`.
   */
  whenQuiet(): Promise<void> {
    if (this.#isQuiet()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const release = () => {
        clearTimeout(hold);
        this.#waiting.delete(release);
        resolve();
      };
      const hold = setTimeout(release, this.#maxHoldMs);
      this.#waiting.add(release);
      this.#scheduleCheck();
    });
  }

  #isQuiet(): boolean {
    return this.#inFlight === 0 && this.#now() - this.#lastActive >= this.#quietMs;
  }

  /** While answers wait, looks every `quietMs` (bounded by their holds, which end the waiting). */
  #scheduleCheck(): void {
    if (this.#check) return;
    this.#check = setTimeout(() => {
      this.#check = undefined;
      if (this.#isQuiet()) for (const release of [...this.#waiting]) release();
      if (this.#waiting.size > 0) this.#scheduleCheck();
    }, this.#quietMs);
  }
}
