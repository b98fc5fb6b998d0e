import { ScopedTable, type Condition, type ListArgs, type ViewerAccess } from "../access";
import type { ConnectionValue, KeysetOrder } from "../shared/connection";
import { assertFound } from "../shared/errors";
import { ExportKind, ExportStatus, Export } from "./export.entity";
import { checkExportSpec } from "./export-query";
import { ExportNotCancelableError, ExportNotRetryableError } from "./export.errors";

const exportOrder: KeysetOrder<Export> = {
  name: "exports", columns: ["created_at", "id"], direction: "DESC", types: ["timestamptz", "uuid"], values: (e) => [e.createdAt, e.id],
};

/** The part of the job queue a request needs. */
export interface ExportQueue {
  enqueue(exportId: string): Promise<void>;
}

export interface ExportRequest {
  kind: ExportKind;
  filter: object | null | undefined;
  columns: string[];
  neutralizeFormulas: boolean;
  subjectUserId?: string;
}

const FINISHED = new Set([ExportStatus.COMPLETED, ExportStatus.FAILED, ExportStatus.EXPIRED, ExportStatus.CANCELED]);

/** A condition on the export's status; the statuses are this file's constants, never input. */
const statusIn = (...statuses: ExportStatus[]): Condition => (alias) => `${alias}.status IN (${statuses.map((s) => `'${s}'`).join(", ")})`;

/** Exports as the viewer sees them: their own, or the organization's for admins. */
export class ExportService {
  readonly table: ScopedTable<Export>;

  constructor(
    access: ViewerAccess,
    private readonly queue: ExportQueue,
    private readonly waitMs: number,
  ) {
    this.table = new ScopedTable(access, { entity: Export, table: "exports", order: exportOrder });
  }

  page(args: ListArgs): Promise<ConnectionValue<Export>> {
    return this.table.page([], args);
  }

  /**
   * Records the export (organization and requester from the viewer, ScopedTable.insert), queues
   * its job and waits up to EXPORT_WAIT_MS for it: a job done by then comes back COMPLETED (or
   * FAILED), otherwise the export as it stands, to follow with `export(id)`.
   */
  async request(request: ExportRequest): Promise<Export> {
    const filter = JSON.parse(JSON.stringify(request.filter ?? {})) as Record<string, unknown>;
    // The filter (ids, date range, time zone) is checked before anything is stored.
    checkExportSpec({ ...request, filter });
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    const fileName = `${request.kind.toLowerCase().replace("_", "-")}-${stamp}.csv`;
    const viewer = this.table.viewer;
    const stored = await this.table.insert({
      requester_role: viewer.role,
      api_token_id: viewer.apiTokenId,
      kind: request.kind,
      subject_user_id: request.subjectUserId ?? null,
      filter: JSON.stringify(filter),
      columns: request.columns,
      neutralize_formulas: request.neutralizeFormulas,
      file_name: fileName,
    });
    await this.queue.enqueue(stored.id);
    return await this.waitForJob(stored.id);
  }

  /**
   * Cancels a QUEUED or RUNNING export the viewer may see (theirs; admins: the organization's).
   * Dropping the lease is what stops a running attempt: its next renewal, within a second,
   * finds the lease gone, stops writing and removes its temporary file.
   */
  async cancel(id: string): Promise<Export> {
    const canceled = await this.table.update(
      id,
      () => `status = 'CANCELED', lease_id = NULL, completed_at = now(), error = NULL`,
      [statusIn(ExportStatus.QUEUED, ExportStatus.RUNNING)],
    );
    if (canceled) return canceled;
    const [current] = await this.table.byIds([id]);
    throw new ExportNotCancelableError(id, assertFound(current, "Export", id).status);
  }

  /** Runs a FAILED or CANCELED export again, from the start, with a fresh count of attempts. */
  async retry(id: string): Promise<Export> {
    const queued = await this.table.update(
      id,
      () => `status = 'QUEUED', attempts = 0, processed_rows = 0, error = NULL, completed_at = NULL, started_at = NULL, lease_id = NULL, heartbeat_at = now()`,
      [statusIn(ExportStatus.FAILED, ExportStatus.CANCELED)],
    );
    if (!queued) {
      const [current] = await this.table.byIds([id]);
      throw new ExportNotRetryableError(id, assertFound(current, "Export", id).status);
    }
    await this.queue.enqueue(id);
    return queued;
  }

  private async waitForJob(id: string): Promise<Export> {
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const [current] = await this.table.byIds([id]);
      const found = assertFound(current, "Export", id);
      if (FINISHED.has(found.status) || Date.now() >= deadline) return found;
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, Math.max(0, deadline - Date.now()))));
    }
  }
}
