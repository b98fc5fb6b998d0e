/**
 * Runs one export job: re-creates the requester's viewer, streams the query's rows through
 * the CSV transform into storage, and records the outcome. A job runner works for every
 * organization, so its bookkeeping is a deliberate bypass of request scope (systemQuery); the
 * export's own rows are read through the requester's ViewerAccess (buildExportQuery).
 */
import { ViewerAccess, lowerRole, streamStatements, systemQuery, type Database, type Role, type StatementStreams, type Viewer } from "../access";
import type { Logger } from "../shared/logger";
import { recordExported } from "../shared/metrics";
import { writeCsv } from "./csv-stream";
import { CSV_LINE_BREAK, writeCsvByCopy } from "./copy-stream";
import { buildExportQuery, type ExportQuery } from "./export-query";
import { ExportKind, ExportStatus } from "./export.entity";
import type { ObjectStorage } from "./storage";

export type CsvEngine = "auto" | "json2csv" | "postgres";

export interface ExportRunnerOptions {
  database: Database;
  storage: ObjectStorage;
  logger: Logger;
  retentionHours: number;
  /** Who encodes the CSV; both write the same bytes (a test holds them to it). */
  csvEngine: CsvEngine;
  /** With "auto": PostgreSQL encodes from this many estimated rows. */
  copyMinRows: number;
}

export interface ExportRow {
  id: string;
  organization_id: string;
  requested_by_id: string | null;
  requester_role: Role;
  api_token_id: string | null;
  kind: ExportKind;
  subject_user_id: string | null;
  filter: Record<string, unknown>;
  columns: string[];
  neutralize_formulas: boolean;
  bom: boolean;
  status: ExportStatus;
  file_name: string;
  /** The requester as the claim found them: null when they no longer exist. */
  requester_id: string | null;
  requester_company_id: string | null;
  requester_current_role: Role | null;
}

/** Why the runner's statements bypass request scope. */
const BOOKKEEPING = "export runner: a job works for every organization";

/** An error whose message is safe to store on the export and show its requester. */
export class ExportJobError extends Error {}

/**
 * The attempt no longer holds its export: it was canceled, deleted, or handed to another worker
 * after this one's heartbeat went quiet. The attempt stops and leaves the row alone.
 */
export class LeaseLostError extends Error {
  constructor(id: string) {
    super(`export ${id}: lease lost (canceled, deleted or taken over)`);
  }
}

/** Where an attempt writes its file: its own key, so a stale attempt can never touch another's file. */
export const exportStorageKey = (id: string, leaseId: string, fileName: string) => `exports/${id}/${leaseId}/${fileName}`;

/** One attempt's hold on an export, from `claim`. */
export interface ExportClaim {
  readonly id: string;
  readonly leaseId: string;
  readonly attempts: number;
  readonly row: ExportRow;
}

export interface LeaseTiming {
  /** How often the attempt renews its lease (and records progress). */
  heartbeatMs: number;
  /** An attempt running longer than this is stopped and the export FAILED. */
  maxRunMs: number;
}

export class ExportRunner {
  constructor(private readonly options: ExportRunnerOptions) {}

  /**
   * Takes export `id` for one attempt if it is waiting: RUNNING, a fresh lease, one more
   * attempt. Null when it is not QUEUED (finished, canceled, deleted, or another attempt holds it).
   */
  async claim(id: string): Promise<ExportClaim | null> {
    // The requester comes back with the claim (one round trip instead of two); run() checks it.
    const [row] = await systemQuery<ExportRow & { lease_id: string; attempts: number }>(
      this.options.database,
      BOOKKEEPING,
      `WITH claimed AS (
         UPDATE exports SET status = 'RUNNING', lease_id = gen_random_uuid(), heartbeat_at = now(), started_at = now(),
                attempts = attempts + 1, processed_rows = 0, error = NULL
         WHERE id = $1 AND status = 'QUEUED' RETURNING *)
       SELECT claimed.*, u.id AS requester_id, u.company_id AS requester_company_id, u.role AS requester_current_role
       FROM claimed LEFT JOIN users u ON u.id = claimed.requested_by_id AND u.organization_id = claimed.organization_id`,
      [id],
    );
    return row ? { id, leaseId: row.lease_id, attempts: row.attempts, row } : null;
  }

  /**
   * Runs a claimed attempt. Resolves when the export is COMPLETED; throws LeaseLostError when
   * the export was taken from it meanwhile, anything else when the attempt failed.
   */
  async run(claim: ExportClaim, timing: LeaseTiming): Promise<void> {
    const { database, storage, logger } = this.options;
    const { id, leaseId, row } = claim;
    const viewer = this.requesterViewer(row);
    const spec = { kind: row.kind, filter: row.filter, columns: row.columns, subjectUserId: row.subject_user_id, neutralizeFormulas: row.neutralize_formulas };
    const query = buildExportQuery(new ViewerAccess(database, viewer), spec);
    const key = exportStorageKey(id, leaseId, row.file_name);
    const writer = await storage.writer(key);
    const heartbeat = new Heartbeat(database, claim, timing, (reason) => writer.stream.destroy(reason));
    let engine: "json2csv" | "postgres" = "json2csv";
    try {
      const result = await streamStatements(database, async (streams) => {
        engine = await this.engineFor(streams, query);
        const onProgress = (rows: number) => heartbeat.progress(rows);
        if (engine === "postgres") {
          // PostgreSQL runs the query without neutralisation; Node neutralises the COPY output, in parallel (copy-stream.ts).
          const plain = buildExportQuery(new ViewerAccess(database, viewer), { ...spec, neutralizeFormulas: false });
          const records = streams.csvRecords(plain.statement, plain.textColumns, CSV_LINE_BREAK);
          return await writeCsvByCopy(records, writer.stream, { headers: plain.headers, bom: row.bom, neutralizeFormulas: row.neutralize_formulas, onProgress });
        }
        return await writeCsv(streams.rows(query.statement), writer.stream, { keys: row.columns, headers: query.headers, bom: row.bom, onProgress });
      });
      heartbeat.stop();
      await writer.commit();
      const updated = await systemQuery(
        database,
        BOOKKEEPING,
        `UPDATE exports SET status = 'COMPLETED', processed_rows = $3, row_count = $3, bytes = $4, sha256 = $5, storage_key = $6,
                lease_id = NULL, completed_at = now(), expires_at = now() + make_interval(hours => $7)
         WHERE id = $1 AND lease_id = $2 AND status = 'RUNNING' RETURNING id`,
        [id, leaseId, result.rows, result.bytes, result.sha256, key, this.options.retentionHours],
      );
      if (updated.length === 0) {
        // Canceled, deleted or taken over meanwhile: the file must not outlive its claim.
        await storage.delete(key);
        throw new LeaseLostError(id);
      }
      recordExported(result.rows, result.bytes);
      logger.info("export completed", { exportId: id, kind: row.kind, engine, rows: result.rows, bytes: result.bytes, attempt: claim.attempts });
    } catch (error) {
      heartbeat.stop();
      await writer.abort();
      // The stream was cut because the lease was lost or the attempt ran too long: say that, not "stream destroyed".
      throw heartbeat.stopReason ?? error;
    }
  }

  /** Hands a failed attempt's export back to the queue (QUEUED), if the attempt still holds it. */
  async release(claim: ExportClaim): Promise<boolean> {
    const rows = await systemQuery(
      this.options.database,
      BOOKKEEPING,
      `UPDATE exports SET status = 'QUEUED', lease_id = NULL, heartbeat_at = now() WHERE id = $1 AND lease_id = $2 AND status = 'RUNNING' RETURNING id`,
      [claim.id, claim.leaseId],
    );
    return rows.length > 0;
  }

  /**
   * Takes back exports whose attempt went quiet for `leaseSeconds` (its worker died): QUEUED
   * again while attempts remain (the caller queues them), FAILED otherwise. Each row comes back
   * to exactly one caller, however many instances sweep at once.
   */
  async reclaimStale(queue: string, leaseSeconds: number, retryLimit: number): Promise<{ requeued: string[]; failed: string[] }> {
    const rows = await systemQuery<{ id: string; status: ExportStatus }>(
      this.options.database,
      BOOKKEEPING,
      `UPDATE exports SET
              status = CASE WHEN attempts > $2 THEN 'FAILED'::export_status ELSE 'QUEUED'::export_status END,
              error = CASE WHEN attempts > $2 THEN $3 ELSE NULL END,
              completed_at = CASE WHEN attempts > $2 THEN now() END,
              lease_id = NULL, heartbeat_at = now()
       WHERE status = 'RUNNING' AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => $1)) AND (queue = $4 OR queue IS NULL)
       RETURNING id, status`,
      [leaseSeconds, retryLimit, WORKER_DIED, queue],
    );
    for (const row of rows) {
      if (row.status === ExportStatus.FAILED) this.options.logger.error("export failed", { exportId: row.id, error: WORKER_DIED });
      else this.options.logger.warn("export attempt went quiet; queued again", { exportId: row.id });
    }
    return {
      requeued: rows.filter((r) => r.status === ExportStatus.QUEUED).map((r) => r.id),
      failed: rows.filter((r) => r.status === ExportStatus.FAILED).map((r) => r.id),
    };
  }

  /**
   * Exports QUEUED with no sign of life for `seconds` (queued, or queued again, that long ago):
   * their wake-up was lost, e.g. the process died between recording the export and queueing it.
   */
  async waitingSince(queue: string, seconds: number): Promise<string[]> {
    const rows = await systemQuery<{ id: string }>(
      this.options.database,
      BOOKKEEPING,
      `SELECT id FROM exports WHERE status = 'QUEUED' AND coalesce(heartbeat_at, created_at) < now() - make_interval(secs => $1) AND (queue = $2 OR queue IS NULL) LIMIT 500`,
      [seconds, queue],
    );
    return rows.map((r) => r.id);
  }

  /** The CSV engine for this query: as configured, or for "auto" by the planner's row estimate. */
  private async engineFor(streams: StatementStreams, query: ExportQuery): Promise<"json2csv" | "postgres"> {
    if (this.options.csvEngine !== "auto") return this.options.csvEngine;
    return (await streams.estimateRows(query.statement)) >= this.options.copyMinRows ? "postgres" : "json2csv";
  }

  /** Marks a claimed attempt's export FAILED with a reason safe to show (details go to the log only). */
  async fail(claim: ExportClaim, error: unknown): Promise<void> {
    const reason = error instanceof ExportJobError ? error.message : "The export failed unexpectedly; ask an admin to check the server log.";
    this.options.logger.error("export failed", { exportId: claim.id, error: error instanceof Error ? error.message : String(error) });
    await systemQuery(
      this.options.database,
      BOOKKEEPING,
      `UPDATE exports SET status = 'FAILED', error = $3, lease_id = NULL, completed_at = now() WHERE id = $1 AND lease_id = $2 AND status = 'RUNNING'`,
      [claim.id, claim.leaseId, reason],
    );
  }

  /** The requester as a viewer, with the role the export was asked with (never above their current one). */
  private requesterViewer(row: ExportRow): Viewer {
    if (!row.requester_id || !row.requester_current_role) throw new ExportJobError("The user who asked for this export no longer exists.");
    return {
      organizationId: row.organization_id,
      userId: row.requester_id,
      companyId: row.requester_company_id,
      role: lowerRole(row.requester_role, row.requester_current_role),
      authenticatedBy: row.api_token_id ? "API_TOKEN" : "JWT",
      apiTokenId: row.api_token_id,
    };
  }
}

const WORKER_DIED = "The export worker stopped before finishing, on every attempt.";

/**
 * Renews an attempt's lease every `heartbeatMs` and records its progress with it. When the
 * renewal finds the lease gone (canceled, deleted, taken over) or the attempt has run past
 * `maxRunMs`, it stops the attempt through `stop`. A renewal that cannot reach the database is
 * skipped: the lease may lapse, and then the completion's fence refuses the attempt.
 */
class Heartbeat {
  private rows = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly startedAt = Date.now();
  stopReason: Error | null = null;

  constructor(
    private readonly database: Database,
    private readonly claim: ExportClaim,
    private readonly timing: LeaseTiming,
    private readonly cut: (reason: Error) => void,
  ) {
    this.timer = setInterval(() => void this.beat(), timing.heartbeatMs);
    this.timer.unref();
  }

  progress(rows: number): void {
    this.rows = rows;
  }

  private async beat(): Promise<void> {
    if (Date.now() - this.startedAt > this.timing.maxRunMs) {
      return this.halt(new ExportJobError(`The export ran longer than ${Math.round(this.timing.maxRunMs / 1000)} s (EXPORT_JOB_TIMEOUT_SECONDS) and was stopped.`));
    }
    const held = await systemQuery(
      this.database,
      BOOKKEEPING,
      `UPDATE exports SET heartbeat_at = now(), processed_rows = $3 WHERE id = $1 AND lease_id = $2 AND status = 'RUNNING' RETURNING id`,
      [this.claim.id, this.claim.leaseId, this.rows],
    ).catch(() => null);
    if (held && held.length === 0) this.halt(new LeaseLostError(this.claim.id));
  }

  private halt(reason: Error): void {
    if (this.stopReason) return;
    this.stopReason = reason;
    this.stop();
    this.cut(reason);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
