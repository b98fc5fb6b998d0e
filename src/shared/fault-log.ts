import type { Logger } from "./logger";

/**
 * Logs a recurring fault (the database unreachable) at most once per interval: the first
 * occurrence at once, then one line per interval saying how many occurrences it stands for.
 * No stack traces: the fault is the environment's, not the code's. An outage under load would
 * otherwise write one line per failed request.
 */
export class FaultLog {
  private lastLineAt = Number.NEGATIVE_INFINITY;
  private unlogged = 0;

  constructor(
    private readonly logger: Logger,
    private readonly message: string,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one occurrence; writes a line when the interval since the last one has passed. */
  note(detail: Record<string, unknown>): void {
    this.unlogged++;
    const now = this.now();
    if (now - this.lastLineAt < this.intervalMs) return;
    this.logger.warn(this.message, { ...detail, occurrences: this.unlogged, perSeconds: this.intervalMs / 1000 });
    this.lastLineAt = now;
    this.unlogged = 0;
  }
}
