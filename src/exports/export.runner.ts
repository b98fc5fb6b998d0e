/**
 * Runs one export job: re-creates the requester's viewer, streams the query's rows through
 * the CSV transform into storage, and records the outcome. A job runner works for every
 * organization, so its bookkeeping is a deliberate bypass of request scope (systemQuery); the
 * export's own rows are read through the requester's ViewerAccess (buildExportQuery).
 */
import { ViewerAccess, lowerRole, streamStatements, systemQuery, type Database, type Role, type StatementStreams, type Viewer } from "../access";
import type { Logger } from "../shared/logger";
import { writeCsv } from "./csv-stream";
import { writeCsvByCopy } from "./copy-stream";
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

interface ExportRow {
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
}

/** Why the runner's statements bypass request scope. */
const BOOKKEEPING = "export runner: a job works for every organization";

/** An error whose message is safe to store on the export and show its requester. */
export class ExportJobError extends Error {}

/** Where a finished export's file lives. */
export const exportStorageKey = (id: string, fileName: string) => `exports/${id}/${fileName}`;

export class ExportRunner {
  constructor(private readonly options: ExportRunnerOptions) {}

  /**
   * Runs export `id` (attempt `attempt`). Resolves when the export is COMPLETED, or was already
   * finished or deleted; throws when the attempt failed (the queue retries it).
   */
  async run(id: string): Promise<void> {
    const { database, storage, logger } = this.options;
    const [row] = await systemQuery<ExportRow>(database, BOOKKEEPING, `SELECT * FROM exports WHERE id = $1`, [id]);
    if (!row || ![ExportStatus.QUEUED, ExportStatus.RUNNING].includes(row.status)) return;
    const viewer = await this.requesterViewer(row);
    await systemQuery(
      database,
      BOOKKEEPING,
      `UPDATE exports SET status = 'RUNNING', started_at = now(), attempts = attempts + 1, processed_rows = 0, error = NULL WHERE id = $1`,
      [id],
    );
    const query = buildExportQuery(new ViewerAccess(database, viewer), {
      kind: row.kind, filter: row.filter, columns: row.columns, subjectUserId: row.subject_user_id, neutralizeFormulas: row.neutralize_formulas,
    });
    const key = exportStorageKey(id, row.file_name);
    const writer = await storage.writer(key);
    let lastProgress = 0;
    let engine: "json2csv" | "postgres" = "json2csv";
    const onProgress = (processed: number) => {
      // Progress is advisory: at most twice a second, never awaited by the stream.
      if (Date.now() - lastProgress < 500) return;
      lastProgress = Date.now();
      systemQuery(database, BOOKKEEPING, `UPDATE exports SET processed_rows = $2 WHERE id = $1 AND status = 'RUNNING'`, [id, processed]).catch(() => undefined);
    };
    try {
      const result = await streamStatements(database, async (streams) => {
        engine = await this.engineFor(streams, query);
        return engine === "postgres"
          ? await writeCsvByCopy(streams.csv(query.statement, query.textColumns), writer.stream, { headers: query.headers, bom: row.bom, onProgress })
          : await writeCsv(streams.rows(query.statement), writer.stream, { keys: row.columns, headers: query.headers, bom: row.bom, onProgress });
      });
      await writer.commit();
      const updated = await systemQuery(
        database,
        BOOKKEEPING,
        `UPDATE exports SET status = 'COMPLETED', processed_rows = $2, row_count = $2, bytes = $3, sha256 = $4, storage_key = $5,
                completed_at = now(), expires_at = now() + make_interval(hours => $6)
         WHERE id = $1 AND status = 'RUNNING' RETURNING id`,
        [id, result.rows, result.bytes, result.sha256, key, this.options.retentionHours],
      );
      // Deleted (or finished elsewhere) meanwhile: the file must not outlive its record.
      if (updated.length === 0) await storage.delete(key);
      logger.info("export completed", { exportId: id, kind: row.kind, engine, rows: result.rows, bytes: result.bytes });
    } catch (error) {
      await writer.abort();
      throw error;
    }
  }

  /** The CSV engine for this query: as configured, or for "auto" by the planner's row estimate. */
  private async engineFor(streams: StatementStreams, query: ExportQuery): Promise<"json2csv" | "postgres"> {
    if (this.options.csvEngine !== "auto") return this.options.csvEngine;
    return (await streams.estimateRows(query.statement)) >= this.options.copyMinRows ? "postgres" : "json2csv";
  }

  /** Marks the export FAILED with a reason safe to show (details go to the log only). */
  async fail(id: string, error: unknown): Promise<void> {
    const reason = error instanceof ExportJobError ? error.message : "The export failed unexpectedly; ask an admin to check the server log.";
    this.options.logger.error("export failed", { exportId: id, error: error instanceof Error ? error.message : String(error) });
    await systemQuery(
      this.options.database,
      BOOKKEEPING,
      `UPDATE exports SET status = 'FAILED', error = $2, completed_at = now() WHERE id = $1 AND status IN ('QUEUED', 'RUNNING')`,
      [id, reason],
    );
  }

  /** The requester as a viewer, with the role the export was asked with (never above their current one). */
  private async requesterViewer(row: ExportRow): Promise<Viewer> {
    const [user] = row.requested_by_id
      ? await systemQuery(this.options.database, BOOKKEEPING, `SELECT id, company_id, role FROM users WHERE id = $1 AND organization_id = $2`, [row.requested_by_id, row.organization_id])
      : [];
    if (!user) throw new ExportJobError("The user who asked for this export no longer exists.");
    return {
      organizationId: row.organization_id,
      userId: user.id,
      companyId: user.company_id,
      role: lowerRole(row.requester_role, user.role),
      authenticatedBy: row.api_token_id ? "API_TOKEN" : "JWT",
      apiTokenId: row.api_token_id,
    };
  }
}
