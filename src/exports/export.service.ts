import type { EntityManager } from "typeorm";
import { ScopedTable, type ListArgs, type Viewer } from "../auth";
import type { ConnectionValue, KeysetOrder } from "../shared/connection";
import { assertFound } from "../shared/errors";
import { SqlParams } from "../shared/sql";
import { ExportKind, ExportStatus, Export } from "./export.entity";
import { buildExportQuery } from "./export-query";
import type { ObjectStorage } from "./storage";

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

const FINISHED = new Set([ExportStatus.COMPLETED, ExportStatus.FAILED, ExportStatus.EXPIRED]);

/** Exports as the viewer sees them: their own, or the organization's for admins. */
export class ExportService {
  readonly table: ScopedTable<Export>;

  constructor(
    private readonly manager: EntityManager,
    private readonly viewer: Viewer,
    private readonly queue: ExportQueue,
    private readonly storage: ObjectStorage,
    private readonly waitMs: number,
  ) {
    this.table = new ScopedTable(manager, viewer, { entity: Export, table: "exports", order: exportOrder });
  }

  page(args: ListArgs): Promise<ConnectionValue<Export>> {
    return this.table.page([], args);
  }

  /**
   * Records the export (organization, requester and role from the viewer), queues its job and
   * waits up to EXPORT_WAIT_MS for it: a job done by then comes back COMPLETED (or FAILED),
   * otherwise the export as it stands, to follow with `export(id)`.
   */
  async request(request: ExportRequest): Promise<Export> {
    const filter = JSON.parse(JSON.stringify(request.filter ?? {})) as Record<string, unknown>;
    // Building the query now checks the filter (ids, date range, time zone) before anything is stored.
    buildExportQuery(this.viewer, { kind: request.kind, filter, columns: request.columns, subjectUserId: request.subjectUserId });
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    const fileName = `${request.kind.toLowerCase().replace("_", "-")}-${stamp}.csv`;
    const params = new SqlParams();
    const [row] = await this.manager.query(
      `INSERT INTO exports (organization_id, requested_by_id, requester_role, api_token_id, kind, subject_user_id, filter, columns, neutralize_formulas, file_name)
       VALUES (${params.add(this.viewer.organizationId)}, ${params.add(this.viewer.userId)}, ${params.add(this.viewer.role)}, ${params.add(this.viewer.apiTokenId)},
               ${params.add(request.kind)}, ${params.add(request.subjectUserId ?? null)}, ${params.add(JSON.stringify(filter))}::jsonb,
               ${params.add(request.columns)}::text[], ${params.add(request.neutralizeFormulas)}, ${params.add(fileName)})
       RETURNING id`,
      params.values,
    );
    await this.queue.enqueue(row.id);
    return await this.waitForJob(row.id);
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

  /** Deletes stored files (after their exports' rows are gone); missing files are fine. */
  async deleteFiles(storageKeys: readonly string[]): Promise<void> {
    for (const key of storageKeys) await this.storage.delete(key);
  }
}
