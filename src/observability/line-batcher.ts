/**
 * Gathers log lines and hands them on together, once per turn of the event loop, instead of one
 * write (a system call, or a message to another thread) per line. Under a burst of Slack requests
 * the local bot logs a line per request; written one by one, those writes were the largest single
 * cost of its ack path after Bolt itself.
 *
 * Lines keep their order. `flush` hands on what is waiting at once: call it before anything that
 * must not overtake the lines (another thread's report, the process exiting).
 */
export class LineBatcher {
  readonly #writeLines: (lines: readonly string[]) => void;
  #waiting: string[] = [];
  #scheduled = false;

  /** `writeLines` gets each batch, in order, never empty. */
  constructor(writeLines: (lines: readonly string[]) => void) {
    this.#writeLines = writeLines;
  }

  write(line: string): void {
    this.#waiting.push(line);
    if (this.#scheduled) return;
    this.#scheduled = true;
    // After the I/O of this turn: a burst of requests read together is logged together.
    setImmediate(() => this.flush());
  }

  flush(): void {
    this.#scheduled = false;
    if (this.#waiting.length === 0) return;
    const lines = this.#waiting;
    this.#waiting = [];
    this.#writeLines(lines);
  }
}

let stdout: LineBatcher | undefined;

/**
 * The process's stdout, a batch at a time (one write per turn of the event loop), shared by every
 * logger that asks. What is still waiting when the process exits is written then.
 */
export function batchedStdout(): LineBatcher {
  if (!stdout) {
    const batcher = new LineBatcher((lines) => process.stdout.write(`${lines.join('\n')}\n`));
    process.once('exit', () => batcher.flush());
    stdout = batcher;
  }
  return stdout;
}
