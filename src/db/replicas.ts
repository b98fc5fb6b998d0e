/**
 * Read replicas: a connection pool per streaming replica (DATABASE_REPLICA_URLS) and a health
 * check in the background that says which of them a read may use.
 *
 * A replica is used while it answers, is still a standby, and lags the primary by at most
 * REPLICA_MAX_LAG_MS. Lag is measured in WAL, not with `now() - pg_last_xact_replay_timestamp()`:
 * that grows without bound on an idle primary (no transaction to replay), and would take a
 * perfectly current replica out of use. Instead each check samples the primary's WAL position
 * with its time; a replica that has replayed a sample's position holds everything the primary had
 * at that time, so its lag is at most the age of the newest sample it has reached (0 when it has
 * reached the latest). The measure is as fine as the check interval, and errs on the high side.
 *
 * Which replica one request reads from, and read-your-writes, are decided in
 * src/access/read-routing.ts; this file only knows servers and positions.
 */
import pg, { type Pool } from "pg";
import { formatLsn, parseLsn } from "../shared/lsn";
import type { Logger } from "../shared/logger";
import "./pg-types";

export interface ReplicaSetOptions {
  /** Connection strings of the replicas (DATABASE_REPLICA_URLS). */
  urls: string[];
  /** The primary's own connection string: its WAL position is sampled on a connection of its own. */
  primaryUrl: string;
  /** Skip a replica whose lag exceeds this (REPLICA_MAX_LAG_MS). */
  maxLagMs: number;
  /** Connections per replica pool (DATABASE_POOL_SIZE, as for the primary). */
  poolSize: number;
  /** statement_timeout of the replica connections, ms; 0: none. */
  statementTimeoutMs: number;
  logger?: Logger;
  /** How often the health check runs; default a quarter of maxLagMs, between 50 and 500 ms. */
  checkIntervalMs?: number;
}

/** What is known about one replica, as of its last check (for metrics and logs). */
export interface ReplicaStatus {
  /** host:port/database, without credentials. */
  name: string;
  /** Whether reads may go to it now. */
  healthy: boolean;
  /** Upper bound of its lag behind the primary, ms; null while unknown (down, or not yet checked). */
  lagMs: number | null;
  /** The WAL position it has replayed, PostgreSQL's text form; null while unknown. */
  replayedLsn: string | null;
  /** Why it is not in use, when it is not. */
  problem: string | null;
}

/** One replica: its pool and its last checked state. Fields change only here. */
export class Replica {
  readonly pool: Pool;
  /** Answering, and a standby. */
  up = false;
  replayed: bigint | null = null;
  lagMs = Number.POSITIVE_INFINITY;
  problem: string | null = "not checked yet";

  constructor(
    readonly name: string,
    options: pg.PoolConfig,
  ) {
    this.pool = new pg.Pool(options);
    // A pooled connection that dies while idle (the replica stopped) is dropped by the pool; without
    // a listener, the pool's 'error' event would end the process.
    this.pool.on("error", () => undefined);
  }
}

/** host:port/database of a connection string, without credentials. */
export function serverName(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || "5432"}${u.pathname}`;
  } catch {
    return "(unparsable URL)";
  }
}

/** A replica connection attempt gives up after this: the primary is the fallback, waiting longer only delays the answer. */
const REPLICA_CONNECT_TIMEOUT_MS = 2000;

export class ReplicaSet {
  readonly replicas: Replica[];
  readonly maxLagMs: number;
  readonly checkIntervalMs: number;
  /** A check that has not answered by then counts as a failure. */
  readonly checkTimeoutMs: number;
  /** The primary's WAL positions, oldest first, kept for as long as a usable lag can reach back. */
  private samples: { at: number; lsn: bigint }[] = [];
  private readonly primary: Pool;
  private readonly logger?: Logger;
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private next = 0;

  constructor(options: ReplicaSetOptions) {
    this.maxLagMs = options.maxLagMs;
    this.checkIntervalMs = options.checkIntervalMs ?? Math.max(50, Math.min(500, Math.floor(options.maxLagMs / 4)));
    this.checkTimeoutMs = Math.max(2000, 2 * this.checkIntervalMs);
    this.logger = options.logger;
    // One connection of its own, so a pool busy with requests never delays the sample.
    this.primary = new pg.Pool({ connectionString: options.primaryUrl, max: 1, connectionTimeoutMillis: this.checkTimeoutMs, application_name: "sessiongraph-replica-check" });
    this.primary.on("error", () => undefined);
    this.replicas = options.urls.map(
      (url) =>
        new Replica(serverName(url), {
          connectionString: url,
          max: options.poolSize,
          connectionTimeoutMillis: REPLICA_CONNECT_TIMEOUT_MS,
          application_name: "sessiongraph",
          ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
        }),
    );
    this.checkers = this.replicas.map((replica) => {
      const { connectionString } = replica.pool.options;
      const pool = new pg.Pool({ connectionString, max: 1, connectionTimeoutMillis: this.checkTimeoutMs, application_name: "sessiongraph-replica-check" });
      pool.on("error", () => undefined);
      return pool;
    });
  }

  /** One single-connection pool per replica for its checks, apart from the request pool. */
  private readonly checkers: Pool[];

  /**
   * Checks every replica once, then keeps checking in the background. Never throws: a replica
   * that is down at start is simply not used until a check finds it healthy.
   */
  async start(): Promise<void> {
    await this.check();
    this.timer = setInterval(() => {
      this.round ??= this.check().finally(() => (this.round = null));
    }, this.checkIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.round;
    await Promise.all([this.primary, ...this.checkers, ...this.replicas.map((r) => r.pool)].map((pool) => pool.end().catch(() => undefined)));
  }

  /**
   * A healthy replica that has replayed at least `minLsn` (any healthy one when null), taking
   * turns between them; null when none qualifies and the primary must answer.
   */
  pick(minLsn: bigint | null): Replica | null {
    const count = this.replicas.length;
    for (let i = 0; i < count; i++) {
      const replica = this.replicas[(this.next + i) % count];
      if (!this.usable(replica)) continue;
      if (minLsn !== null && (replica.replayed === null || replica.replayed < minLsn)) continue;
      this.next = (this.next + i + 1) % count;
      return replica;
    }
    return null;
  }

  /** Whether reads may go to `replica` now. */
  usable(replica: Replica): boolean {
    return replica.up && replica.lagMs <= this.maxLagMs;
  }

  /**
   * A request found `replica` unreachable: it is skipped from now on, not from the next check,
   * so the requests arriving meanwhile go straight to the primary. A check that finds it
   * healthy again puts it back.
   */
  markDown(replica: Replica, reason: string): void {
    if (!replica.up) return;
    replica.up = false;
    replica.problem = reason;
    this.logger?.warn("read replica skipped", { replica: replica.name, reason });
  }

  /** Each replica's state as of its last check (for metrics: lag, health). */
  status(): ReplicaStatus[] {
    return this.replicas.map((replica) => ({
      name: replica.name,
      healthy: this.usable(replica),
      lagMs: replica.up && Number.isFinite(replica.lagMs) ? replica.lagMs : null,
      replayedLsn: replica.up && replica.replayed !== null ? formatLsn(replica.replayed) : null,
      problem: this.usable(replica) ? null : replica.problem,
    }));
  }

  /**
   * One health check: the primary's position first, then every replica's. A replica's lag is
   * compared against positions sampled before its own answer, so it is never understated.
   */
  async check(): Promise<void> {
    try {
      const { rows } = await this.within(this.primary.query<{ lsn: string }>("SELECT pg_current_wal_insert_lsn()::text AS lsn"));
      const now = Date.now();
      this.samples.push({ at: now, lsn: parseLsn(rows[0].lsn)! });
      // Older samples could only show a lag past the limit, which an empty history shows as well.
      const keepFrom = now - (this.maxLagMs + 4 * this.checkIntervalMs);
      while (this.samples.length > 1 && this.samples[0].at < keepFrom) this.samples.shift();
    } catch {
      // The primary is unreachable: replicas keep the lag of their last check (their data cannot
      // have fallen further behind a primary that writes nothing).
    }
    await Promise.all(this.replicas.map((replica, i) => this.checkReplica(replica, this.checkers[i])));
  }

  private async checkReplica(replica: Replica, checker: Pool): Promise<void> {
    const wasUsable = this.usable(replica);
    try {
      const { rows } = await this.within(
        checker.query<{ recovery: boolean; replayed: string | null }>("SELECT pg_is_in_recovery() AS recovery, pg_last_wal_replay_lsn()::text AS replayed"),
      );
      const recovery = rows[0].recovery;
      const replayed = parseLsn(rows[0].replayed);
      if (!recovery) {
        // Promoted (or pointed at a primary by mistake): it no longer follows our primary's writes.
        replica.up = false;
        replica.problem = "not a standby (pg_is_in_recovery() is false)";
      } else if (replayed === null) {
        replica.up = false;
        replica.problem = "has replayed no WAL yet";
      } else {
        replica.up = true;
        replica.replayed = replayed;
        replica.lagMs = this.lagOf(replayed, Date.now());
        replica.problem = replica.lagMs <= this.maxLagMs ? null : `lags past REPLICA_MAX_LAG_MS (${Number.isFinite(replica.lagMs) ? `${replica.lagMs} ms` : "further than measured"})`;
      }
    } catch (error) {
      replica.up = false;
      replica.problem = `unreachable: ${error instanceof Error ? error.message : String(error)}`;
    }
    const usable = this.usable(replica);
    if (wasUsable && !usable) this.logger?.warn("read replica skipped", { replica: replica.name, reason: replica.problem });
    if (!wasUsable && usable) this.logger?.info("read replica in use", { replica: replica.name, lagMs: replica.lagMs });
  }

  /** The lag of a replica that has replayed `replayed`, measured against the primary's samples (see the file comment). */
  private lagOf(replayed: bigint, now: number): number {
    for (let i = this.samples.length - 1; i >= 0; i--) {
      if (this.samples[i].lsn <= replayed) return i === this.samples.length - 1 ? 0 : now - this.samples[i].at;
    }
    return Number.POSITIVE_INFINITY;
  }

  /** `query`, failing after checkTimeoutMs (a replica that hangs is as unusable as one that is down). */
  private async within<T>(query: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.checkTimeoutMs} ms`)), this.checkTimeoutMs);
    });
    try {
      return await Promise.race([query, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
