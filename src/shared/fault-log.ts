import { databaseFault } from "./database-faults";
import { ErrorCode } from "./errors";
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

/**
 * How a background component (job queues, sweeps, webhook delivery) reports failures: an
 * unreachable database is an outage, one line per interval with a count (it is already
 * answered 503 to requests and logged by the supervisor); anything else is logged as it comes.
 */
export class BackgroundLog {
  private readonly outages: FaultLog;

  constructor(
    private readonly logger: Logger,
    component: string,
    intervalMs?: number,
  ) {
    this.outages = new FaultLog(logger, `${component}: database unavailable`, intervalMs);
  }

  failed(message: string, error: unknown, detail: Record<string, unknown> = {}): void {
    const text = error instanceof Error ? error.message : String(error);
    if (databaseFault(error)?.code === ErrorCode.SERVICE_UNAVAILABLE) this.outages.note({ error: text });
    else this.logger.warn(message, { ...detail, error: text });
  }
}
