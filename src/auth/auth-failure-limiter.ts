/**
 * Failed authentications per client address, counted in PostgreSQL (`auth_failures`) so that
 * every process of every instance shares one count. Past the limit, an address's requests with
 * credentials answer RATE_LIMITED until its window ends, so guessing tokens or JWT secrets stays
 * slow however many gateways a guesser spreads its attempts over.
 *
 * The window is fixed: it starts at an address's first failure and lasts `windowMs`; the next
 * failure after it starts a new one. Counting is one atomic upsert per failure.
 *
 * Checking costs no statement: a request is refused when its address is in this process's map of
 * limited addresses. The map is filled by this process's own failures (the upsert answers the
 * count), by a notification (`AUTH_LOCKOUTS_CHANNEL`) that the failure reaching the limit sends
 * to every process, and by `reload()` whenever the listener (re)connects after it may have
 * missed some. A process that missed a notification still refuses the address's next failure
 * (its upsert answers a count over the limit), so a guess never gets through unlimited.
 */
import { systemQuery, type Database } from "../access";
import type { Logger } from "../shared/logger";

/** Where a failure that reaches the limit is announced: `{"address": "…", "until": <epoch ms>}`. */
export const AUTH_LOCKOUTS_CHANNEL = "sessiongraph_auth_lockouts";

export interface AuthFailureLimiterOptions {
  database: Database;
  /** Failures allowed within the window; 0 disables the limiter (and its statements). */
  limit: number;
  windowMs: number;
  logger?: Logger;
  /** Limited addresses kept in memory (earliest limited dropped first); default 10,000. */
  maxAddresses?: number;
}

export class AuthFailureLimiter {
  /** Limited address → end of its window (epoch ms, from the database's clock). */
  private readonly limited = new Map<string, number>();
  private readonly maxAddresses: number;
  private lastSweep = 0;

  constructor(private readonly options: AuthFailureLimiterOptions) {
    this.maxAddresses = options.maxAddresses ?? 10_000;
  }

  /** Seconds until `address` may try again, or 0 when it is not limited. Runs no SQL. */
  retryAfterSeconds(address: string): number {
    if (this.options.limit <= 0) return 0;
    const until = this.limited.get(address);
    if (until === undefined) return 0;
    const remaining = until - Date.now();
    if (remaining <= 0) {
      this.limited.delete(address);
      return 0;
    }
    return Math.max(1, Math.ceil(remaining / 1000));
  }

  /**
   * Counts one failure of `address` in every instance's shared window; the failure that reaches
   * the limit tells every process. Never throws: a database fault only loses this one count.
   */
  async recordFailure(address: string): Promise<void> {
    if (this.options.limit <= 0) return;
    try {
      // The window restarts when the stored one has ended; pg_notify runs only for the failure that reaches the limit.
      const [row] = await systemQuery<{ failures: number; until: string }>(
        this.options.database,
        "authentication: failures are counted per client address before anyone is known",
        `WITH counted AS (
           INSERT INTO auth_failures AS f (address, failures, window_started_at) VALUES ($1, 1, now())
           ON CONFLICT (address) DO UPDATE SET
             failures = CASE WHEN f.window_started_at <= now() - $2::float8 * interval '1 millisecond' THEN 1 ELSE f.failures + 1 END,
             window_started_at = CASE WHEN f.window_started_at <= now() - $2::float8 * interval '1 millisecond' THEN now() ELSE f.window_started_at END
           RETURNING failures, (extract(epoch FROM window_started_at) * 1000)::float8 + $2::float8 AS until
         )
         SELECT failures, until, CASE WHEN failures = $3::int THEN pg_notify($4::text, json_build_object('address', $1::text, 'until', until)::text) END AS notified
           FROM counted`,
        [address, this.options.windowMs, this.options.limit, AUTH_LOCKOUTS_CHANNEL],
      );
      if (row && row.failures >= this.options.limit) this.noteLimited(address, Number(row.until));
      await this.sweep();
    } catch (error) {
      this.options.logger?.warn("auth failure not counted", { error: String((error as Error)?.message ?? error) });
    }
  }

  /** A lockout announced by any process (AUTH_LOCKOUTS_CHANNEL's payload). Ignores malformed payloads. */
  onLockout(payload: string): void {
    try {
      const { address, until } = JSON.parse(payload) as { address?: unknown; until?: unknown };
      if (typeof address === "string" && typeof until === "number") this.noteLimited(address, until);
    } catch {
      // Not ours: the channel is public to anyone who can connect.
    }
  }

  /** Takes every address limited now from the database (after a missed notification). Never throws. */
  async reload(): Promise<void> {
    if (this.options.limit <= 0) return;
    try {
      const rows = await systemQuery<{ address: string; until: number }>(
        this.options.database,
        "authentication: the addresses over the failure limit, for every instance",
        `SELECT address, (extract(epoch FROM window_started_at) * 1000)::float8 + $1::float8 AS until
           FROM auth_failures WHERE failures >= $2::int AND window_started_at > now() - $1::float8 * interval '1 millisecond'`,
        [this.options.windowMs, this.options.limit],
      );
      this.limited.clear();
      for (const { address, until } of rows) this.noteLimited(address, Number(until));
    } catch (error) {
      this.options.logger?.warn("auth lockouts not reloaded", { error: String((error as Error)?.message ?? error) });
    }
  }

  private noteLimited(address: string, until: number): void {
    if (!(until > Date.now())) return;
    this.limited.delete(address);
    this.limited.set(address, until);
    if (this.limited.size > this.maxAddresses) this.limited.delete(this.limited.keys().next().value as string);
  }

  /** Ended windows are deleted at most once a window per process, so the table stays small. */
  private async sweep(): Promise<void> {
    const now = Date.now();
    if (now - this.lastSweep < this.options.windowMs) return;
    this.lastSweep = now;
    await systemQuery(
      this.options.database,
      "authentication: ended failure windows of every address",
      `DELETE FROM auth_failures WHERE window_started_at <= now() - $1::float8 * interval '1 millisecond'`,
      [this.options.windowMs],
    );
  }
}
