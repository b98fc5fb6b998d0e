/**
 * Export workers that die or stall, for real: a gateway process SIGKILLed mid-export, and one
 * SIGSTOPped past its lease and then woken. No partial file is ever downloadable; another worker
 * takes the export back once its lease lapses and finishes it with the right rows and checksum;
 * the stalled worker, woken, cannot touch the export or its file; with no retries left the
 * export is FAILED with a reason.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../src/db/embedded-postgres";
import { ActivityColumn, ExportActivitiesDocument, ExportByIdDocument, type ExportFieldsFragment } from "../generated/graphql";
import { GraphQLClient } from "../support/client";
import { useDatabaseClient } from "../support/database";
import { busyMember, download, finished } from "../support/exports";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { useWorld } from "../support/world";

jest.setTimeout(180_000);
const t = useWorld({ sessionsPerUser: 1, activitiesPerSession: 0 });
const db = useDatabaseClient();
const ROWS = 300_000;
let userId = "";

beforeAll(async () => {
  userId = await busyMember(t.gateway.dataSource, t.world, ROWS);
});

interface Worker {
  child: ChildProcess;
  url: string;
}
const children: ChildProcess[] = [];
/** The data directories tempDir made, removed once no process of this file writes to them. */
const tempDirs: string[] = [];
afterAll(async () => {
  const exits = children.filter((child) => child.exitCode === null && child.signalCode === null).map((child) => {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    return exited;
  });
  await Promise.all(exits);
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A gateway as a separate process on the test database, working the given export queue. */
async function spawnWorker(env: Record<string, string>): Promise<Worker> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.resolve("dist/main.js")], {
    // JSON encoding in Node, the slower engine: a busy machine's COPY could finish before the fault.
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", SEED_DEMO: "false", LOG_LEVEL: "warn", EXPORT_WAIT_MS: "0", EXPORT_CSV_ENGINE: "json2csv", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.push(child);
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

const exportById = async (id: string) => (await t.world.clients.asAdmin.data(ExportByIdDocument, { id })).export!;

/**
 * Starts the export of the busy user's activities on `worker` and waits until rows are being
 * written: processedRows moves only with the lease's heartbeat (once a second), which a fast run
 * can finish within, so 200 ms into RUNNING counts too (the query starts within milliseconds).
 */
async function exportMidWay(worker: Worker): Promise<ExportFieldsFragment> {
  const client = new GraphQLClient(worker.url, t.world.tokens.asAdmin);
  const { exportActivities } = await client.data(ExportActivitiesDocument, { filter: { userIds: [userId] }, columns: [ActivityColumn.ACTIVITY_ID, ActivityColumn.LABEL] });
  let runningSince: number | null = null;
  for (;;) {
    const current = await exportById(exportActivities.id);
    if (current.status === "COMPLETED") throw new Error("the export finished before the fault; raise ROWS");
    if (current.status === "RUNNING") {
      runningSince ??= Date.now();
      if (current.processedRows > 0 || Date.now() - runningSince >= 200) return current;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function sigkill(worker: Worker): Promise<void> {
  const exited = new Promise((resolve) => worker.child.once("exit", resolve));
  worker.child.kill("SIGKILL");
  await exited;
}

/** Every file under the export's storage directory (attempts write under their own lease's directory). */
function storedFiles(dataDir: string, id: string): string[] {
  const dir = path.join(dataDir, "exports", id);
  return fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()) : [];
}

const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sessiongraph-crash-"));
  fs.chmodSync(dir, 0o755);
  tempDirs.push(dir);
  return dir;
};

/** The downloaded file is whole: every row once, and its bytes hash to the export's SHA-256. */
async function expectWholeFile(done: ExportFieldsFragment, url: string): Promise<void> {
  const file = await download(url);
  expect(file.status).toBe(200);
  expect(file.records).toHaveLength(ROWS + 1);
  expect(new Set(file.records.slice(1).map((r) => r[0])).size).toBe(ROWS);
  expect(createHash("sha256").update(file.bytes).digest("hex")).toBe(done.sha256);
  expect(file.bytes.length).toBe(done.bytes);
}

describe("a gateway process SIGKILLed mid-export", () => {
  let rescuer: TestGateway | null = null;
  afterEach(async () => {
    await rescuer?.close();
    rescuer = null;
  });

  it("leaves no downloadable file; a new gateway takes the export back within the lease and completes it with the right checksum", async () => {
    const dataDir = tempDir();
    const queue = `crash-${randomUUID().slice(0, 8)}`;
    // Default lease and timeouts: what an operator gets.
    const worker = await spawnWorker({ DATA_DIR: dataDir, EXPORT_QUEUE: queue });
    const running = await exportMidWay(worker);
    await sigkill(worker);
    const killedAt = Date.now();

    const after = await exportById(running.id);
    expect(after).toMatchObject({ status: "RUNNING", url: null, rowCount: null, sha256: null });
    // The killed attempt's bytes exist only under a temporary name.
    expect(storedFiles(dataDir, running.id).every((f) => /\.part-[0-9a-f]+$/.test(f))).toBe(true);

    rescuer = await startTestGateway({ dataDir, exportQueue: queue, exportWaitMs: 0 });
    const done = await finished(() => exportById(running.id), 90_000);
    const completedAt = Date.now();
    expect(done).toMatchObject({ status: "COMPLETED", rowCount: ROWS, error: null });
    const { rows: [stored] } = await db().query(`SELECT attempts, started_at FROM exports WHERE id = $1`, [running.id]);
    expect(stored.attempts).toBe(2);
    // Taken back within a minute of the kill (the lease is 20 s, checked every 5 s).
    expect(new Date(stored.started_at).getTime() - killedAt).toBeLessThan(60_000);
    process.stderr.write(`gateway SIGKILLed mid-export: taken back ${((new Date(stored.started_at).getTime() - killedAt) / 1000).toFixed(1)} s after the kill, COMPLETED after ${((completedAt - killedAt) / 1000).toFixed(1)} s\n`);
    await expectWholeFile(done, (await new GraphQLClient(rescuer.url, t.world.tokens.asAdmin).data(ExportByIdDocument, { id: running.id })).export!.url!);
  });

  it("with no retries left, marks the export FAILED with a reason and serves no file", async () => {
    const dataDir = tempDir();
    const queue = `crash-${randomUUID().slice(0, 8)}`;
    const settings = { EXPORT_LEASE_SECONDS: "2", EXPORT_RETRY_LIMIT: "0" };
    const worker = await spawnWorker({ DATA_DIR: dataDir, EXPORT_QUEUE: queue, ...settings });
    const running = await exportMidWay(worker);
    await sigkill(worker);
    rescuer = await startTestGateway({ dataDir, exportQueue: queue, exportLeaseSeconds: 2, exportRetryLimit: 0 });
    const done = await finished(() => exportById(running.id));
    expect(done).toMatchObject({ status: "FAILED", url: null, rowCount: null, error: "The export worker stopped before finishing, on every attempt." });
    expect(storedFiles(dataDir, running.id).every((f) => /\.part-[0-9a-f]+$/.test(f))).toBe(true);
  });
});

describe("a gateway process stalled (SIGSTOP) past its lease", () => {
  it("loses the export to another worker, and once woken neither overwrites the export nor touches its file", async () => {
    const dataDir = tempDir();
    const queue = `stall-${randomUUID().slice(0, 8)}`;
    const stalled = await spawnWorker({ DATA_DIR: dataDir, EXPORT_QUEUE: queue, EXPORT_LEASE_SECONDS: "2" });
    const running = await exportMidWay(stalled);
    stalled.child.kill("SIGSTOP");
    const rescuer = await startTestGateway({ dataDir, exportQueue: queue, exportLeaseSeconds: 2 });
    try {
      const done = await finished(() => exportById(running.id));
      expect(done).toMatchObject({ status: "COMPLETED", rowCount: ROWS, attempts: 2 });
      const { rows: [before] } = await db().query(`SELECT storage_key, sha256, completed_at FROM exports WHERE id = $1`, [running.id]);

      stalled.child.kill("SIGCONT");
      // The woken attempt renews within a second, finds its lease gone and stops; give it a few.
      await new Promise((r) => setTimeout(r, 4_000));
      const { rows: [after] } = await db().query(`SELECT storage_key, sha256, completed_at, status::text FROM exports WHERE id = $1`, [running.id]);
      expect(after).toEqual({ ...before, status: "COMPLETED" });
      // Its temporary file is gone too: only the finished file remains.
      expect(storedFiles(dataDir, running.id)).toEqual([path.relative(`exports/${running.id}`, before.storage_key)]);
      await expectWholeFile(done, (await new GraphQLClient(rescuer.url, t.world.tokens.asAdmin).data(ExportByIdDocument, { id: running.id })).export!.url!);
      expect(stalled.child.exitCode).toBeNull(); // it survived losing the lease
    } finally {
      stalled.child.kill("SIGKILL");
      await rescuer.close();
    }
  });
});
