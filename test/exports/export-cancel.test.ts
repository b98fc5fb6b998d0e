/**
 * cancelExport and retryExport, as a requester and an admin would use them: a running export
 * stops within seconds and leaves no file, a canceled or failed one runs again to the same
 * result; each role may only touch the exports it may see; other statuses get a stable code.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { insertRows } from "../../src/db/insert";
import { ErrorCode } from "../../src/shared/errors";
import { ActivityColumn, CancelExportDocument, ExportActivitiesDocument, ExportByIdDocument, ExportSessionsDocument, RetryExportDocument, SessionColumn } from "../generated/graphql";
import { useDatabaseClient } from "../support/database";
import { busyMember, download, finished } from "../support/exports";
import { rowChanges } from "../support/rows";
import { describeScopedMutation } from "../support/scoped";
import { useWorld, type UserKey } from "../support/world";

jest.setTimeout(120_000);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sessiongraph-cancel-"));
// JSON encoding in Node is the slower engine: the export is still running when it is canceled.
const t = useWorld({ sessionsPerUser: 1, activitiesPerSession: 1 }, { dataDir, exportWaitMs: 0, exportCsvEngine: "json2csv" });
const db = useDatabaseClient();
const ROWS = 200_000;
let busyUserId = "";

/** A member with ROWS activities; built by the only test that needs it (every other test snapshots whole organizations). */
async function busyUser(): Promise<void> {
  busyUserId = await busyMember(t.gateway.dataSource, t.world, ROWS);
}

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const exportById = async (id: string) => (await t.world.clients.asAdmin.data(ExportByIdDocument, { id })).export!;

function storedFiles(id: string): string[] {
  const dir = path.join(dataDir, "exports", id);
  return fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()) : [];
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ; ) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("statuses that cannot be canceled or retried", () => {
  it("answers EXPORT_NOT_CANCELABLE for a finished export and EXPORT_NOT_RETRYABLE for a completed one, changing nothing", async () => {
    const { exportSessions } = await t.world.clients.asMember.data(ExportSessionsDocument, { columns: [SessionColumn.SESSION_ID] });
    const done = await finished(() => exportById(exportSessions.id));
    expect(done.status).toBe("COMPLETED");
    const cancel = await t.world.clients.asMember.request(CancelExportDocument, { id: done.id });
    expect(cancel.body.errors?.[0]?.extensions).toMatchObject({ code: ErrorCode.EXPORT_NOT_CANCELABLE, status: "COMPLETED" });
    const retry = await t.world.clients.asMember.request(RetryExportDocument, { id: done.id });
    expect(retry.body.errors?.[0]?.extensions).toMatchObject({ code: ErrorCode.EXPORT_NOT_RETRYABLE, status: "COMPLETED" });
    expect(await exportById(done.id)).toEqual(expect.objectContaining({ status: "COMPLETED", sha256: done.sha256 }));
    expect((await download((await exportById(done.id)).url!)).status).toBe(200);
  });

  it("answers NOT_FOUND for an id that is no export, BAD_USER_INPUT for one that is no id", async () => {
    const codes = async (id: string) => [
      (await t.world.clients.asAdmin.request(CancelExportDocument, { id })).body.errors?.[0]?.extensions?.code,
      (await t.world.clients.asAdmin.request(RetryExportDocument, { id })).body.errors?.[0]?.extensions?.code,
    ];
    expect(await codes(randomUUID())).toEqual([ErrorCode.NOT_FOUND, ErrorCode.NOT_FOUND]);
    expect(await codes("not-a-uuid")).toEqual([ErrorCode.BAD_USER_INPUT, ErrorCode.BAD_USER_INPUT]);
  });
});

/** An export of `owner`'s, in `status`, recorded directly (no job runs it until it is retried). */
async function exportRow(owner: UserKey, status: "QUEUED" | "FAILED"): Promise<string> {
  const user = t.world.users[owner];
  const [id] = await insertRows(t.gateway.dataSource.manager, "exports", [{
    organization_id: user.organizationId, requested_by_id: user.id, requester_role: user.role, kind: "SESSIONS",
    columns: ["SESSION_ID"], file_name: `sessions-${randomUUID().slice(0, 8)}.csv`, status,
    error: status === "FAILED" ? "The export failed unexpectedly; ask an admin to check the server log." : null,
    // A recent sign of life: the lost-wake-up sweep leaves it alone during the test.
    heartbeat_at: new Date(),
  }]);
  return id;
}

const statusOf = async (id: string) => (await db().query(`SELECT status::text FROM exports WHERE id = $1`, [id])).rows[0]?.status;

describeScopedMutation("cancelExport of a member's queued export", { world: () => t.world, db }, {
  target: () => exportRow("member", "QUEUED"),
  run: (client, id) => client.request(CancelExportDocument, { id }),
  expected: {
    asAdmin: { changes: (id) => rowChanges({ exports: { changed: [id] } }) },
    asMember: { changes: (id) => rowChanges({ exports: { changed: [id] } }) },
    asDeveloper: ErrorCode.NOT_FOUND,
    asOtherOrgAdmin: ErrorCode.NOT_FOUND,
  },
  verify: async (id, _caller, { refusal }) => expect(await statusOf(id)).toBe(refusal ? "QUEUED" : "CANCELED"),
});

describeScopedMutation("retryExport of a member's failed export", { world: () => t.world, db }, {
  target: () => exportRow("member", "FAILED"),
  run: (client, id) => client.request(RetryExportDocument, { id }),
  expected: {
    asAdmin: { changes: (id) => rowChanges({ exports: { changed: [id] } }) },
    asMember: { changes: (id) => rowChanges({ exports: { changed: [id] } }) },
    asDeveloper: ErrorCode.NOT_FOUND,
    asOtherOrgAdmin: ErrorCode.NOT_FOUND,
  },
  verify: async (id, _caller, { refusal }) => {
    if (refusal) return expect(await statusOf(id)).toBe("FAILED");
    // Retried for real: the member's export runs to completion with the member's own sessions.
    const done = await finished(() => exportById(id));
    expect(done).toMatchObject({ status: "COMPLETED", attempts: 1, error: null });
    expect(done.rowCount).toBe(t.world.sessions.member.length);
  },
});

// Last: its fixture makes whole-organization snapshots slow.
describe("cancelExport on a running export, then retryExport", () => {
  it("stops the job within seconds, keeps no file, and the retry completes with every row", async () => {
    await busyUser();
    const { exportActivities } = await t.world.clients.asAdmin.data(ExportActivitiesDocument, {
      filter: { userIds: [busyUserId] }, columns: [ActivityColumn.ACTIVITY_ID, ActivityColumn.LABEL],
    });
    await until(() => exportById(exportActivities.id), (e) => e.status === "RUNNING" && storedFiles(exportActivities.id).length > 0);

    const { cancelExport } = await t.world.clients.asAdmin.data(CancelExportDocument, { id: exportActivities.id });
    expect(cancelExport).toMatchObject({ id: exportActivities.id, status: "CANCELED", url: null, rowCount: null });
    // The job notices within a second: its temporary file goes, and nothing is ever written as finished.
    await until(async () => storedFiles(exportActivities.id), (files) => files.length === 0);
    const stopped = await exportById(exportActivities.id);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await exportById(exportActivities.id)).toMatchObject({ status: "CANCELED", url: null, processedRows: stopped.processedRows });
    expect(stopped.processedRows).toBeLessThan(ROWS);
    expect(storedFiles(exportActivities.id)).toEqual([]);

    const { retryExport } = await t.world.clients.asAdmin.data(RetryExportDocument, { id: exportActivities.id });
    expect(retryExport).toMatchObject({ status: "QUEUED", attempts: 0, error: null, processedRows: 0 });
    const done = await finished(() => exportById(exportActivities.id));
    expect(done).toMatchObject({ status: "COMPLETED", rowCount: ROWS, attempts: 1 });
    const file = await download(done.url!);
    expect(file.records).toHaveLength(ROWS + 1);
  });
});
