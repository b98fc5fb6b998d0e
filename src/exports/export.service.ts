import { Readable, Writable } from "node:stream";
import { ScopedTable, type Condition, type ListArgs, type ViewerAccess } from "../access";
import type { ConnectionValue, KeysetOrder } from "../shared/connection";
import { assertFound, BadUserInputError, CodedError, ErrorCode } from "../shared/errors";
import { writeCsv } from "./csv-stream";
import { ExportKind, ExportStatus, Export } from "./export.entity";
import { checkExportSpec, sampleExport } from "./export-query";
import { ExportNotCancelableError, ExportNotRetryableError } from "./export.errors";

const exportOrder: KeysetOrder<Export> = {
  name: "exports", columns: ["created_at", "id"], direction: "DESC", types: ["timestamptz", "uuid"], values: (e) => [e.createdAt, e.id],
};

/** The part of the job queue a request needs. */
export interface ExportQueue {
  /** EXPORT_QUEUE: recorded on the export, so only instances of this queue (and storage) rerun it. */
  readonly name: string;
  enqueue(exportId: string): Promise<void>;
  /**
   * Resolves when an attempt in this process has finished with export `exportId` (completed,
   * failed, or handed back), or after `timeoutMs`; sooner, after `pollMs`, unless an attempt on
   * the export is running in this process (its end is then sure to wake the caller).
   */
  settled(exportId: string, timeoutMs: number, pollMs: number): Promise<void>;
}

export interface ExportRequest {
  kind: ExportKind;
  filter: object | null | undefined;
  columns: string[];
  neutralizeFormulas: boolean;
  /** Start the file with a UTF-8 byte-order mark. */
  bom: boolean;
  subjectUserId?: string;
  /** The caller's idempotency key, if any (checked here: 1–200 characters, not blank). */
  idempotencyKey?: string | null;
}

/** How long an idempotency key answers the same export. */
export const IDEMPOTENCY_WINDOW_HOURS = 24;
export const IDEMPOTENCY_KEY_MAX_LENGTH = 200;
/** The unique index that makes a key one export per requester (migration ExportIdempotencyAndBom). */
const IDEMPOTENCY_CONFLICT = "(requested_by_id, idempotency_key) WHERE idempotency_key IS NOT NULL";

/** Rows a preview shows. */
export const PREVIEW_ROWS = 10;

export class IdempotencyKeyReusedError extends CodedError {
  constructor(key: string, exportId: string) {
    super(
      ErrorCode.IDEMPOTENCY_KEY_REUSED,
      `Idempotency key "${key}" was used within the last ${IDEMPOTENCY_WINDOW_HOURS} hours for export ${exportId} with different arguments; nothing was started. Use a new key for a different export.`,
      { exportId },
    );
  }
}

/** What `exportPreview` answers. */
export interface ExportPreviewValue {
  kind: ExportKind;
  rowCount: number;
  estimatedBytes: number;
  headers: string[];
  columns: string[];
  rows: string[][];
  csv: string;
}

/** What makes two export requests the same, for an idempotency key (JSON with sorted keys). */
function requestIdentity(e: { kind: string; filter: unknown; columns: readonly string[]; neutralizeFormulas: boolean; bom: boolean; subjectUserId: string | null; role: string }): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== null && (value as Record<string, unknown>)[k] !== undefined).sort()
        .map((k) => [k, sorted((value as Record<string, unknown>)[k])]));
    }
    return value;
  };
  return JSON.stringify(sorted(e));
}

function checkIdempotencyKey(key: string | null | undefined): string | null {
  if (key == null) return null;
  if (key.trim() === "") throw new BadUserInputError("idempotencyKey must not be blank.", { argument: "idempotencyKey" });
  if (key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    throw new BadUserInputError(`idempotencyKey is longer than ${IDEMPOTENCY_KEY_MAX_LENGTH} characters.`, { argument: "idempotencyKey" });
  }
  return key;
}

const olderThanWindow: Condition = (a) => `${a}.created_at <= now() - interval '${IDEMPOTENCY_WINDOW_HOURS} hours'`;

const FINISHED = new Set([ExportStatus.COMPLETED, ExportStatus.FAILED, ExportStatus.EXPIRED, ExportStatus.CANCELED]);

/** A condition on the export's status; the statuses are this file's constants, never input. */
const statusIn = (...statuses: ExportStatus[]): Condition => (alias) => `${alias}.status IN (${statuses.map((s) => `'${s}'`).join(", ")})`;

/** Exports as the viewer sees them: their own, or the organization's for admins. */
export class ExportService {
  readonly table: ScopedTable<Export>;

  constructor(
    private readonly access: ViewerAccess,
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
   *
   * With an idempotency key: the same key from the same requester within 24 hours answers the
   * export it first started (same arguments) or IDEMPOTENCY_KEY_REUSED (different ones), and
   * starts nothing. Concurrent calls with one key insert one export: the unique index and
   * `ON CONFLICT DO NOTHING` let one win; the others read it back.
   */
  async request(request: ExportRequest): Promise<Export> {
    const filter = JSON.parse(JSON.stringify(request.filter ?? {})) as Record<string, unknown>;
    // The filter (ids, date range, time zone) is checked before anything is stored.
    checkExportSpec({ ...request, filter });
    const key = checkIdempotencyKey(request.idempotencyKey);
    const viewer = this.table.viewer;
    const identity = requestIdentity({
      kind: request.kind, filter, columns: request.columns, neutralizeFormulas: request.neutralizeFormulas, bom: request.bom,
      subjectUserId: request.subjectUserId ?? null, role: viewer.role,
    });
    if (key !== null) {
      const earlier = await this.byIdempotencyKey(key);
      if (earlier) {
        if (Date.now() - earlier.createdAt.getTime() < IDEMPOTENCY_WINDOW_HOURS * 3_600_000) return await this.repeat(earlier, key, identity);
        // Past the window the key is free again: the earlier export keeps its record, not the key.
        await this.table.update(earlier.id, () => "idempotency_key = NULL", [olderThanWindow]);
      }
    }
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    const fileName = `${request.kind.toLowerCase().replace("_", "-")}-${stamp}.csv`;
    const values = {
      requester_role: viewer.role,
      api_token_id: viewer.apiTokenId,
      kind: request.kind,
      subject_user_id: request.subjectUserId ?? null,
      filter: JSON.stringify(filter),
      columns: request.columns,
      neutralize_formulas: request.neutralizeFormulas,
      bom: request.bom,
      file_name: fileName,
      idempotency_key: key,
      queue: this.queue.name,
    };
    const stored = key === null ? await this.table.insert(values) : await this.table.insertUnlessConflict(values, IDEMPOTENCY_CONFLICT);
    if (!stored) {
      // A concurrent call with the same key stored its export first: answer that one.
      const winner = assertFound(await this.byIdempotencyKey(key!), "Export", key!);
      return await this.repeat(winner, key!, identity);
    }
    await this.queue.enqueue(stored.id);
    return await this.waitForJob(stored.id);
  }

  /** The viewer's own export holding `key` (an admin's scope is the organization: the requester is checked too). */
  private async byIdempotencyKey(key: string): Promise<Export | null> {
    const mine: Condition = (a, p) => `${a}.requested_by_id = ${p.add(this.table.viewer.userId)}::uuid AND ${a}.idempotency_key = ${p.add(key)}`;
    const [found] = (await this.table.page([mine], { first: 1 })).nodes;
    return found ?? null;
  }

  /** A repeat of an earlier request with the same key: the same export, or IDEMPOTENCY_KEY_REUSED. */
  private async repeat(earlier: Export, key: string, identity: string): Promise<Export> {
    const earlierIdentity = requestIdentity({
      kind: earlier.kind, filter: earlier.filter, columns: earlier.columns, neutralizeFormulas: earlier.neutralizeFormulas, bom: earlier.bom,
      subjectUserId: earlier.subjectUserId, role: earlier.requesterRole,
    });
    if (earlierIdentity !== identity) throw new IdempotencyKeyReusedError(key, earlier.id);
    return await this.waitForJob(earlier.id);
  }

  /**
   * What an export of `request` would hold, without starting one: the row count (the list's
   * totalCount for the same filter), an estimated size, the headers and the first rows exactly
   * as the file would hold them: the export's own statement, written by the export's own CSV
   * writer (so the same quoting, neutralisation and byte-order mark).
   */
  async preview(request: Omit<ExportRequest, "idempotencyKey">): Promise<ExportPreviewValue> {
    const filter = JSON.parse(JSON.stringify(request.filter ?? {})) as Record<string, unknown>;
    const spec = { ...request, filter };
    checkExportSpec(spec);
    const sample = await sampleExport(this.access, spec, PREVIEW_ROWS);
    const chunks: Buffer[] = [];
    const sink = new Writable({ write(chunk: Buffer, _encoding, done) { chunks.push(chunk); done(); } });
    const written = await writeCsv(Readable.from(sample.rows), sink, { keys: request.columns, headers: sample.headers, bom: request.bom });
    const file = Buffer.concat(chunks);
    const rows = sample.rows.map((row) => request.columns.map((key) => (row[key] === null || row[key] === undefined ? "" : String(row[key]))));
    let estimatedBytes = written.bytes;
    if (sample.rowCount > sample.rows.length) {
      // The rest at the first rows' average size. The header's bytes come from the same writer.
      const header = await writeCsv(Readable.from([]), new Writable({ write(_chunk, _encoding, done) { done(); } }), {
        keys: request.columns, headers: sample.headers, bom: request.bom,
      });
      const perRow = (written.bytes - header.bytes) / sample.rows.length;
      estimatedBytes = Math.round(header.bytes + perRow * sample.rowCount);
    }
    return { kind: request.kind, rowCount: sample.rowCount, estimatedBytes, headers: sample.headers, columns: request.columns, rows, csv: file.toString("utf8") };
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
      (p) => `status = 'QUEUED', attempts = 0, processed_rows = 0, error = NULL, completed_at = NULL, started_at = NULL, lease_id = NULL, heartbeat_at = now(),
             queue = ${p.add(this.queue.name)}`,
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
      // Listening before reading: a job this process finishes meanwhile wakes the wait at once,
      // instead of a poll period later; a job on another instance is seen by the next read.
      const settled = this.queue.settled(id, Math.max(0, deadline - Date.now()), 100);
      const [current] = await this.table.byIds([id]);
      const found = assertFound(current, "Export", id);
      if (FINISHED.has(found.status) || Date.now() >= deadline) return found;
      await settled;
    }
  }
}
