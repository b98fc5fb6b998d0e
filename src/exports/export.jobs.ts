/**
 * The export queue. pg-boss (in PostgreSQL) only carries the wake-up: one message per export to
 * run. Who runs an export, and whether it is still alive, is the export row's own lease
 * (export.runner.ts): an attempt claims a QUEUED export with a fresh lease and renews it every
 * second; a sweep on every instance (at start-up and every quarter of EXPORT_LEASE_SECONDS)
 * queues again the exports whose attempt went quiet, so a killed worker's export is running
 * again within EXPORT_LEASE_SECONDS plus a quarter of it. A failed attempt is retried with
 * backoff until EXPORT_RETRY_LIMIT, then the export is FAILED. The same sweep deletes files past
 * their retention (the export turns EXPIRED).
 */
import PgBoss from "pg-boss";
import { systemQuery, type Database } from "../access";
import { retryLostRace } from "../shared/database-faults";
import { BackgroundLog } from "../shared/fault-log";
import type { Logger } from "../shared/logger";
import { ExportJobError, ExportRunner, LeaseLostError, type CsvEngine, type ExportClaim } from "./export.runner";
import { LocalStorage, type ObjectStorage } from "./storage";

export interface ExportJobsOptions {
  databaseUrl: string;
  database: Database;
  storage: ObjectStorage;
  logger: Logger;
  /** Queue name: instances that share a queue must share storage. */
  queue: string;
  retentionHours: number;
  /** An attempt running longer than this is stopped and its export FAILED. */
  jobTimeoutSeconds: number;
  /** An attempt whose lease has not been renewed for this long is taken as dead. */
  leaseSeconds: number;
  retryLimit: number;
  /** How often pg-boss does its own upkeep, and expired files are swept; small in tests. */
  maintenanceIntervalSeconds: number;
  csvEngine: CsvEngine;
  copyMinRows: number;
  /** Jobs this instance runs at once. */
  concurrency: number;
}

interface ExportJobData {
  exportId: string;
}

export class ExportJobs {
  private readonly boss: PgBoss;
  readonly runner: ExportRunner;
  private readonly workerIds: string[] = [];
  private sweepTimer: NodeJS.Timeout | null = null;
  private leaseTimer: NodeJS.Timeout | null = null;
  private readonly failures: BackgroundLog;
  /** Who waits for an attempt in this process to finish, by export id (ExportQueue.settled). */
  private readonly waiters = new Map<string, Set<() => void>>();
  /** Exports with an attempt running in this process. */
  private readonly runningHere = new Set<string>();

  constructor(private readonly options: ExportJobsOptions) {
    this.boss = new PgBoss({
      connectionString: options.databaseUrl,
      schema: "pgboss",
      max: 4,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
    });
    this.failures = new BackgroundLog(options.logger, "export queue");
    // pg-boss reports background failures as events; an unhandled 'error' would end the process.
    this.boss.on("error", (error) => this.failures.failed("export queue error", error));
    this.runner = new ExportRunner({
      database: options.database, storage: options.storage, logger: options.logger, retentionHours: options.retentionHours,
      csvEngine: options.csvEngine, copyMinRows: options.copyMinRows,
    });
  }

  /** Where pg-boss puts wake-ups whose worker died; the lease sweep, not this queue, decides the export's fate. */
  private get deadLetterQueue(): string {
    return `${this.options.queue}-failed`;
  }

  private get leaseSeconds(): number {
    return Math.max(2, this.options.leaseSeconds);
  }

  async start(): Promise<void> {
    const { queue, jobTimeoutSeconds } = this.options;
    await this.boss.start();
    // Instances starting together race to create the queues; the loser runs again.
    await retryLostRace(() => this.boss.createQueue(this.deadLetterQueue));
    // No pg-boss retries: a message is only a wake-up, retries are the lease's (retryLimit 0). Its
    // expiry only bounds how long pg-boss keeps a dead worker's message active.
    const settings = { name: queue, retryLimit: 0, expireInSeconds: jobTimeoutSeconds + this.leaseSeconds, deadLetter: this.deadLetterQueue };
    // createQueue keeps a queue that exists as it was made: the settings of this start apply to
    // it (and to the jobs sent from now on) only through updateQueue.
    await retryLostRace(() => this.boss.createQueue(queue, settings));
    await this.boss.updateQueue(queue, settings);
    const handler = async ([job]: PgBoss.Job<ExportJobData>[]) => {
      const claim = await this.runner.claim(job.data.exportId);
      if (claim) await this.attempt(claim);
    };
    // One pg-boss worker per concurrent job; each fetches one job at a time.
    for (let i = 0; i < this.options.concurrency; i++) {
      this.workerIds.push(await this.boss.work<ExportJobData>(queue, { batchSize: 1, pollingIntervalSeconds: 0.5 }, handler));
    }
    // Drained so they do not pile up; the export itself was already taken back by the lease sweep.
    await this.boss.work(this.deadLetterQueue, { pollingIntervalSeconds: 5 }, async () => undefined);
    // At start-up first: a predecessor's exports that went quiet are picked up now, not a period later.
    await this.sweepLeases();
    const leaseEvery = Math.max(500, (this.leaseSeconds * 1000) / 4);
    this.leaseTimer = setInterval(() => void this.sweepLeases(), leaseEvery);
    this.leaseTimer.unref();
    this.sweepTimer = setInterval(() => void this.sweep(), Math.max(60, this.options.maintenanceIntervalSeconds) * 1000);
    this.sweepTimer.unref();
  }

  /** One attempt at a claimed export; never throws (pg-boss has nothing to retry). */
  private async attempt(claim: ExportClaim): Promise<void> {
    this.runningHere.add(claim.id);
    try {
      await this.runAttempt(claim);
    } finally {
      this.runningHere.delete(claim.id);
      const waiting = this.waiters.get(claim.id);
      this.waiters.delete(claim.id);
      for (const wake of waiting ?? []) wake();
    }
  }

  private async runAttempt(claim: ExportClaim): Promise<void> {
    const { logger, retryLimit, jobTimeoutSeconds } = this.options;
    try {
      await this.runner.run(claim, { heartbeatMs: Math.min(1000, (this.leaseSeconds * 1000) / 4), maxRunMs: jobTimeoutSeconds * 1000 });
    } catch (error) {
      if (error instanceof LeaseLostError) {
        logger.info("export attempt stopped: the export was canceled, deleted or taken over", { exportId: claim.id });
        return;
      }
      // A reason we can name ends the export now; anything else is retried while attempts remain.
      if (error instanceof ExportJobError || claim.attempts > retryLimit) {
        await this.runner.fail(claim, error).catch((e) => logger.error("export could not be marked FAILED", { exportId: claim.id, error: (e as Error).message }));
        return;
      }
      const delaySeconds = 2 ** claim.attempts;
      logger.warn("export attempt failed; retrying", { exportId: claim.id, attempt: claim.attempts, inSeconds: delaySeconds, error: (error as Error).message });
      const released = await this.runner.release(claim).catch(() => false);
      if (released) await this.enqueue(claim.id, delaySeconds).catch(() => undefined);
    }
  }

  get name(): string {
    return this.options.queue;
  }

  settled(exportId: string, timeoutMs: number, pollMs: number): Promise<void> {
    return new Promise((resolve) => {
      const waiting = this.waiters.get(exportId) ?? new Set<() => void>();
      this.waiters.set(exportId, waiting);
      const wake = () => {
        clearTimeout(timer);
        waiting.delete(wake);
        if (waiting.size === 0 && this.waiters.get(exportId) === waiting) this.waiters.delete(exportId);
        resolve();
      };
      // An attempt running here wakes its waiters when it ends: no need to read the row before.
      const timer = setTimeout(wake, this.runningHere.has(exportId) ? timeoutMs : Math.min(timeoutMs, pollMs));
      timer.unref();
      waiting.add(wake);
    });
  }

  /** Queues export `exportId` (after `delaySeconds`) and wakes this instance's workers. */
  async enqueue(exportId: string, delaySeconds = 0): Promise<void> {
    await this.boss.send(this.options.queue, { exportId } satisfies ExportJobData, delaySeconds > 0 ? { startAfter: delaySeconds } : {});
    if (delaySeconds === 0) for (const id of this.workerIds) this.boss.notifyWorker(id);
  }

  /**
   * Takes back exports whose attempt went quiet (their worker died) and queues them again, and
   * queues again exports whose wake-up was lost (QUEUED for longer than a lease with no attempt).
   * Safe on every instance at once: each stale row comes back to one sweep only, and a second
   * wake-up for the same export finds nothing to claim.
   */
  async sweepLeases(): Promise<{ requeued: number; failed: number }> {
    const { retryLimit } = this.options;
    try {
      const { requeued, failed } = await this.runner.reclaimStale(this.options.queue, this.leaseSeconds, retryLimit);
      const lost = await this.runner.waitingSince(this.options.queue, this.leaseSeconds * 3);
      for (const id of requeued) await this.enqueue(id);
      // At most one extra wake-up per export and lease period, however long it waits for a free worker.
      for (const id of lost) await this.boss.send(this.options.queue, { exportId: id } satisfies ExportJobData, { singletonKey: id, singletonSeconds: this.leaseSeconds * 3 });
      return { requeued: requeued.length, failed: failed.length };
    } catch (error) {
      this.failures.failed("export lease sweep failed", error);
      return { requeued: 0, failed: 0 };
    }
  }

  /**
   * Deletes files past their retention (the export turns EXPIRED) and temporary files that a
   * dead writer left behind. Safe to run on every instance at once.
   */
  async sweep(): Promise<{ expired: number }> {
    const { database, storage } = this.options;
    const reason = "export retention sweep: runs for every organization";
    let expired = 0;
    try {
      const rows = await systemQuery<{ id: string; storage_key: string }>(
        database,
        reason,
        `SELECT id, storage_key FROM exports WHERE status = 'COMPLETED' AND expires_at <= now() ORDER BY expires_at LIMIT 500`,
      );
      for (const row of rows) {
        // Record first: a link minted after this point already answers 404.
        const changed = await systemQuery(database, reason, `UPDATE exports SET status = 'EXPIRED', storage_key = NULL WHERE id = $1 AND status = 'COMPLETED' RETURNING id`, [row.id]);
        if (changed.length > 0) {
          await storage.delete(row.storage_key);
          expired++;
        }
      }
      // No live attempt writes longer than its maximum run time.
      if (storage instanceof LocalStorage) await storage.removeStaleParts((this.options.jobTimeoutSeconds + 2 * this.leaseSeconds) * 1000);
    } catch (error) {
      this.failures.failed("export sweep failed", error);
    }
    return { expired };
  }

  /** Stops taking jobs and lets the running one finish (up to `timeoutMs`). */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
  }
}
