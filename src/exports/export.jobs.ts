/**
 * The export queue, in PostgreSQL (pg-boss): one job per export, retried when an attempt fails
 * or its worker dies (an active job past its expiry is handed out again); a job whose retries
 * are spent lands in a dead-letter queue whose worker marks the export FAILED. A scheduled job
 * deletes files past their retention and marks those exports EXPIRED.
 */
import PgBoss from "pg-boss";
import { systemQuery, type Database } from "../access";
import type { Logger } from "../shared/logger";
import { ExportJobError, ExportRunner, type CsvEngine } from "./export.runner";
import { LocalStorage, type ObjectStorage } from "./storage";

export interface ExportJobsOptions {
  databaseUrl: string;
  database: Database;
  storage: ObjectStorage;
  logger: Logger;
  /** Queue name: instances that share a queue must share storage. */
  queue: string;
  retentionHours: number;
  /** An attempt running longer than this is considered dead and retried. */
  jobTimeoutSeconds: number;
  retryLimit: number;
  /** How often pg-boss looks for expired jobs (and our sweep runs); small in tests. */
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

  constructor(private readonly options: ExportJobsOptions) {
    this.boss = new PgBoss({
      connectionString: options.databaseUrl,
      schema: "pgboss",
      max: 4,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
    });
    // pg-boss reports background failures as events; an unhandled 'error' would end the process.
    this.boss.on("error", (error) => options.logger.error("export queue error", { error: error.message }));
    this.runner = new ExportRunner({
      database: options.database, storage: options.storage, logger: options.logger, retentionHours: options.retentionHours,
      csvEngine: options.csvEngine, copyMinRows: options.copyMinRows,
    });
  }

  private get deadLetterQueue(): string {
    return `${this.options.queue}-failed`;
  }

  async start(): Promise<void> {
    const { queue, retryLimit, jobTimeoutSeconds } = this.options;
    await this.boss.start();
    await this.boss.createQueue(this.deadLetterQueue);
    const settings = { name: queue, retryLimit, retryDelay: 1, expireInSeconds: jobTimeoutSeconds, deadLetter: this.deadLetterQueue };
    // createQueue keeps a queue that exists as it was made: the settings of this start apply to
    // it (and to the jobs sent from now on) only through updateQueue.
    await this.boss.createQueue(queue, settings);
    await this.boss.updateQueue(queue, settings);
    const handler = async ([job]: PgBoss.JobWithMetadata<ExportJobData>[]) => {
      const { exportId } = job.data;
      try {
        await this.runner.run(exportId);
      } catch (error) {
        // A reason we can name ends the export now; anything else is retried while attempts remain.
        if (error instanceof ExportJobError || job.retryCount >= job.retryLimit) {
          await this.runner.fail(exportId, error);
          return;
        }
        this.options.logger.warn("export attempt failed; retrying", { exportId, attempt: job.retryCount + 1, error: (error as Error).message });
        throw error;
      }
    };
    // One pg-boss worker per concurrent job; each fetches one job at a time.
    for (let i = 0; i < this.options.concurrency; i++) {
      this.workerIds.push(await this.boss.work<ExportJobData>(queue, { batchSize: 1, pollingIntervalSeconds: 0.5, includeMetadata: true }, handler));
    }
    // Retries spent without the handler getting to fail it (e.g. every attempt's worker died).
    await this.boss.work<ExportJobData>(this.deadLetterQueue, { pollingIntervalSeconds: 1 }, async (jobs) => {
      for (const job of jobs) await this.runner.fail(job.data.exportId, new ExportJobError("The export worker stopped before finishing, on every attempt."));
    });
    this.sweepTimer = setInterval(() => void this.sweep(), Math.max(60, this.options.maintenanceIntervalSeconds) * 1000);
    this.sweepTimer.unref();
  }

  /** Queues export `exportId` and wakes this instance's worker. */
  async enqueue(exportId: string): Promise<void> {
    await this.boss.send(this.options.queue, { exportId } satisfies ExportJobData);
    for (const id of this.workerIds) this.boss.notifyWorker(id);
  }

  /**
   * Deletes files past their retention (the export turns EXPIRED) and temporary files that a
   * dead writer left behind. Safe to run on every instance at once.
   */
  async sweep(): Promise<{ expired: number }> {
    const { database, storage, logger } = this.options;
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
      if (storage instanceof LocalStorage) await storage.removeStaleParts(this.options.jobTimeoutSeconds * 1000 * (this.options.retryLimit + 2));
    } catch (error) {
      logger.error("export sweep failed", { error: (error as Error).message });
    }
    return { expired };
  }

  /** Stops taking jobs and lets the running one finish (up to `timeoutMs`). */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
  }
}
