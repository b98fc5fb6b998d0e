/**
 * Where a request's SQL runs: the primary, or a read replica (DATABASE_REPLICA_URLS).
 *
 * Each request gets one `ReadRoute` (made by the request context), which is the `Database` its
 * ViewerAccess runs on. Everything runs on the primary until the request is known to be a read
 * (a GraphQL query: `readOnly()`, called once the operation is resolved); from then on its scoped
 * reads go to one healthy replica, the same for the whole request. Writes, transactions, locks,
 * export streams and system queries always run on the primary (database.ts), and so does every
 * mutation and everything before the operation is known (authentication and its bookkeeping).
 *
 * Read-your-writes: after a mutation the primary's WAL position is handed to the client
 * (`wrote()`, the X-Sessiongraph-Lsn response header). A request that brings a position back is
 * read from a replica only if that replica has replayed at least that far; otherwise from the
 * primary. The position is also remembered for the viewer, in this process, for as long as a
 * replica may still lack it (`rememberMs`), so a client that does not echo the header still reads
 * its own writes through the same gateway process.
 *
 * A read that fails on a replica because of the replica (it died, refuses connections, is not a
 * standby any more, or cancelled the read in a recovery conflict) runs once more on the primary,
 * and the rest of the request stays there: a replica fault never fails a request.
 */
import type { DataSource } from "typeorm";
import { runOnPool, runStatement, type Planning, type StatementResult } from "../db/prepared";
import type { Replica, ReplicaSet, ReplicaStatus } from "../db/replicas";
import { databaseFault } from "../shared/database-faults";
import { ErrorCode } from "../shared/errors";
import { formatLsn, parseLsn } from "../shared/lsn";
import { RoutedHandle } from "./database";
import type { Viewer } from "./viewer";

/** Where a request's reads were served from; null while it has run none. */
export type ServedBy = "primary" | "replica" | null;

/**
 * SQLSTATEs a replica answers for reasons of its own, where the primary would not:
 * 25006 read_only_sql_transaction (a write reached a standby), 40001 / 40P01 (a standby cancels
 * reads that conflict with the WAL it replays), 57P04 database dropped, 53300 too many connections.
 */
const STANDBY_REFUSALS = new Set(["25006", "40001", "40P01", "57P04", "53300"]);

/** Whether `error` is the replica's fault (the read must be retried on the primary), and whether the replica is gone. */
function replicaFault(error: unknown): { retry: boolean; down: boolean } {
  if (databaseFault(error)?.code === ErrorCode.SERVICE_UNAVAILABLE) return { retry: true, down: true };
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = String(e?.driverError?.code ?? e?.code ?? "");
  return { retry: STANDBY_REFUSALS.has(code), down: code === "53300" || code === "57P04" };
}

export class DatabaseRouter {
  /** The newest position each viewer wrote, by user id, while a replica may still lack it. */
  private readonly recentWrites = new Map<string, { lsn: bigint; until: number }>();
  /** How long a viewer's write is remembered: past it, every replica in use has replayed it. */
  readonly rememberMs: number;

  constructor(
    readonly primary: DataSource,
    readonly replicas: ReplicaSet | null,
  ) {
    // A replica in use lagged at most maxLagMs at its last check, which is at most one interval
    // and one check timeout old; a second more for the clocks of this process's timers.
    this.rememberMs = replicas ? replicas.maxLagMs + replicas.checkIntervalMs + replicas.checkTimeoutMs + 1000 : 0;
  }

  /** Whether reads can go anywhere but the primary. */
  get routes(): boolean {
    return (this.replicas?.replicas.length ?? 0) > 0;
  }

  /**
   * The handle a request's statements go through. `clientLsn` is the X-Sessiongraph-Lsn header
   * the client sent back (ignored unless it is an LSN). Without replicas, the primary itself.
   */
  forRequest(viewer: Viewer, clientLsn: string | undefined): ReadRoute | null {
    if (!this.routes) return null;
    let minLsn = parseLsn(clientLsn);
    const recent = this.recentWrites.get(viewer.userId);
    if (recent) {
      if (recent.until < Date.now()) this.recentWrites.delete(viewer.userId);
      else if (minLsn === null || recent.lsn > minLsn) minLsn = recent.lsn;
    }
    return new ReadRoute(this, viewer, minLsn);
  }

  /** Remembers that `viewer` wrote up to `lsn` (keeps the newer of two). */
  remember(viewer: Viewer, lsn: bigint): void {
    const now = Date.now();
    const known = this.recentWrites.get(viewer.userId);
    this.recentWrites.set(viewer.userId, { lsn: known && known.lsn > lsn ? known.lsn : lsn, until: now + this.rememberMs });
    // Entries expire on lookup; a process with many writers also sweeps now and then.
    if (this.recentWrites.size > 10_000) {
      for (const [key, entry] of this.recentWrites) if (entry.until < now) this.recentWrites.delete(key);
    }
  }

  /** Each replica's state (health, lag, replayed position), for metrics; empty without replicas. */
  replicaStatus(): ReplicaStatus[] {
    return this.replicas?.status() ?? [];
  }
}

/** One request's route (see the file comment). It is the request's `Database`. */
export class ReadRoute extends RoutedHandle {
  private readable = false;
  /** The replica chosen for this request: undefined until its first read, null for the primary. */
  private replica: Replica | null | undefined = undefined;
  private served: ServedBy = null;

  constructor(
    private readonly router: DatabaseRouter,
    private readonly viewer: Viewer,
    /** The position the request must see: the client's header or the viewer's last write. */
    private readonly minLsn: bigint | null,
  ) {
    super();
  }

  get primary(): DataSource {
    return this.router.primary;
  }

  /** The request is a read (a GraphQL query): its reads may go to a replica. */
  readOnly(): void {
    this.readable = true;
  }

  /** Where the request's reads ran (the last of them, after a fallback the primary). */
  get servedBy(): ServedBy {
    return this.served;
  }

  async read<R>(sql: string, values: unknown[], planning: Planning): Promise<StatementResult<R>> {
    const replica = this.chooseReplica();
    if (replica) {
      try {
        const result = await runOnPool<R>(replica.pool, sql, values, planning);
        this.served = "replica";
        return result;
      } catch (error) {
        const fault = replicaFault(error);
        if (!fault.retry) throw error;
        if (fault.down) this.router.replicas!.markDown(replica, error instanceof Error ? error.message : String(error));
        this.replica = null;
      }
    }
    const result = await runStatement<R>(this.primary, sql, values, planning);
    this.served = "primary";
    return result;
  }

  private chooseReplica(): Replica | null {
    if (!this.readable) return null;
    if (this.replica === undefined) this.replica = this.router.replicas!.pick(this.minLsn);
    // Another request may have found it dead since it was chosen.
    if (this.replica && !this.router.replicas!.usable(this.replica)) this.replica = null;
    return this.replica;
  }

  /**
   * After a write request: the primary's WAL position, which covers every write the request
   * committed, in PostgreSQL's text form; remembered for the viewer. A statement on the primary
   * (pg_current_wal_insert_lsn: the insert position includes commits not yet flushed, which
   * matters with synchronous_commit=off).
   */
  async wrote(): Promise<string> {
    const { rows } = await runStatement<{ lsn: string }>(this.primary, "SELECT pg_current_wal_insert_lsn()::text AS lsn", []);
    const lsn = parseLsn(rows[0].lsn)!;
    this.router.remember(this.viewer, lsn);
    return formatLsn(lsn);
  }
}
