import { ScopedTable, type ListArgs, type ViewerAccess } from "../access";
import type { ConnectionValue, KeysetOrder } from "../shared/connection";
import { assertFound } from "../shared/errors";
import { ExportKind, ExportStatus, Export } from "./export.entity";
import { checkExportSpec } from "./export-query";

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
