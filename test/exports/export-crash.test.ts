/**
 * A worker killed mid-export (SIGKILL of a real gateway process): no partial file is ever
 * downloadable; the job is retried by another worker and completes, or, with no retries
 * left, the export is marked FAILED with a reason. Nothing else is lost.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { freePort } from "../../src/db/embedded-postgres";
import { insertRows } from "../../src/db/insert";
import { ActivityColumn, ExportActivitiesDocument, ExportByIdDocument } from "../generated/graphql";
import { GraphQLClient } from "../support/client";
import { bulkFixture, download, finished } from "../support/exports";
import { startTestGateway } from "../support/gateway";
import { useWorld } from "../support/world";

jest.setTimeout(120_000);
const t = useWorld({ sessionsPerUser: 1, activitiesPerSession: 0 });
const ROWS = 300_000;
let userId = "";

beforeAll(async () => {
  const tag = randomUUID().slice(0, 8);
  [userId] = await insertRows(t.gateway.dataSource.manager, "users", [{
    organization_id: t.world.organizationId, company_id: t.world.companies.alpha, first_name: "Busy", last_name: tag,
    email: `busy.${tag}@example.test`, username: `busy_${tag}`, role: "MEMBER",
  }]);
  await bulkFixture(
    t.gateway.dataSource,
    `INSERT INTO activities (organization_id, user_id, company_id, occurred_at, category, action, label)
     SELECT $1, $2, $3, timestamptz '2026-01-01T00:00:00Z' + g * interval '1 second', 'Page', 'View', 'page ' || g
     FROM generate_series(1, $4::int) g`,
    [t.world.organizationId, userId, t.world.companies.alpha, ROWS],
  );
});

/** A gateway as a separate process on the test database, working the given export queue. */
async function spawnWorker(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.resolve("dist/main.js")], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", SEED_DEMO: "false", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let output = "";
  child.stderr!.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  for (const began = Date.now(); ; ) {
    if (child.exitCode !== null) throw new Error(`worker exited early:\n${output}`);
    if (Date.now() - began > 30_000) throw new Error(`worker did not start:\n${output}`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return { child, url };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts an export on a worker process and SIGKILLs it once rows are being written. */
async function killMidExport(queue: string, dataDir: string, retryLimit: number): Promise<{ id: string; fileName: string }> {
  const worker = await spawnWorker({
    DATA_DIR: dataDir, EXPORT_QUEUE: queue, EXPORT_WAIT_MS: "0", EXPORT_JOB_TIMEOUT_SECONDS: "2",
    EXPORT_MAINTENANCE_SECONDS: "1", EXPORT_RETRY_LIMIT: String(retryLimit),
  });
  const client = new GraphQLClient(worker.url, t.world.tokens.asAdmin);
  const { exportActivities } = await client.data(ExportActivitiesDocument, { filter: { userIds: [userId] }, columns: [ActivityColumn.ACTIVITY_ID, ActivityColumn.LABEL] });
  for (;;) {
    const current = (await client.data(ExportByIdDocument, { id: exportActivities.id })).export!;
    if (current.status === "COMPLETED") throw new Error("the export finished before it could be killed; raise ROWS");
    if (current.status === "RUNNING" && current.processedRows > 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const exited = new Promise((resolve) => worker.child.once("exit", resolve));
  worker.child.kill("SIGKILL");
  await exited;
  return { id: exportActivities.id, fileName: exportActivities.fileName };
}

function storedFiles(dataDir: string, id: string): string[] {
  const dir = path.join(dataDir, "exports", id);
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

describe("an export worker killed mid-job", () => {
  it("leaves no downloadable file, and another worker retries the job to completion", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sessiongraph-crash-"));
    fs.chmodSync(dataDir, 0o755);
    const queue = `crash-${randomUUID().slice(0, 8)}`;
    const killed = await killMidExport(queue, dataDir, 2);

    const after = (await t.world.clients.asAdmin.data(ExportByIdDocument, { id: killed.id })).export!;
    expect(after).toMatchObject({ status: "RUNNING", url: null, rowCount: null });
    // Only the writer's temporary file, never the final name.
    expect(storedFiles(dataDir, killed.id).filter((f) => f === killed.fileName)).toEqual([]);

    // A new worker on the same queue and storage picks the expired job up again.
    const rescuer = await startTestGateway({ dataDir, exportQueue: queue, exportJobTimeoutSeconds: 2, exportMaintenanceSeconds: 1 });
    try {
      const done = await finished(async () => (await t.world.clients.asAdmin.data(ExportByIdDocument, { id: killed.id })).export!);
      expect(done).toMatchObject({ status: "COMPLETED", rowCount: ROWS, error: null });
      const [{ attempts }] = await t.gateway.dataSource.query(`SELECT attempts FROM exports WHERE id = $1`, [killed.id]);
      expect(attempts).toBeGreaterThanOrEqual(2);
      const link = (await new GraphQLClient(rescuer.url, t.world.tokens.asAdmin).data(ExportByIdDocument, { id: killed.id })).export!.url!;
      const file = await download(link);
      expect(file.records).toHaveLength(ROWS + 1);
      expect(file.headers.get("x-content-sha256")).toBe(done.sha256);
    } finally {
      await rescuer.close();
    }
  });

  it("with no retries left, marks the export FAILED with a reason", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sessiongraph-crash-"));
    fs.chmodSync(dataDir, 0o755);
    const queue = `crash-${randomUUID().slice(0, 8)}`;
    const killed = await killMidExport(queue, dataDir, 0);
    const rescuer = await startTestGateway({ dataDir, exportQueue: queue, exportJobTimeoutSeconds: 2, exportMaintenanceSeconds: 1, exportRetryLimit: 0 });
    try {
      const done = await finished(async () => (await t.world.clients.asAdmin.data(ExportByIdDocument, { id: killed.id })).export!);
      expect(done).toMatchObject({ status: "FAILED", url: null, error: "The export worker stopped before finishing, on every attempt." });
      expect(storedFiles(dataDir, killed.id).filter((f) => f === killed.fileName)).toEqual([]);
    } finally {
      await rescuer.close();
    }
  });
});
