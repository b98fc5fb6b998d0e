/**
 * The generator into the embedded PostgreSQL (what `npm run seed` uses without DATABASE_URL), its
 * tables empty: the server runs at wal_level minimal and the generator truncates the empty tables
 * in its transaction (src/seed/deferred-indexes.ts), so the rows and indexes it writes into them
 * go to their files without WAL and are synced at commit. A throwaway embedded cluster of its own,
 * whatever server DATABASE_URL names for the rest of the suite.
 */
import "reflect-metadata";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DataSource } from "typeorm";
import { openDatabase } from "../../src/db/data-source";
import { freePort } from "../../src/db/embedded-postgres";
import { entities } from "../../src/entities";
import { generateDataset, type GenerateOptions } from "../../src/seed/generate";
import { countersDrift } from "../support/counts";

jest.setTimeout(120_000);

const OPTIONS: GenerateOptions = { companies: 3, users: 50, sessions: 400, activities: 8000, seed: 7021 };

let server: ChildProcess;
let db: DataSource;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sg-seed-wal-"));
// As root, the server runs as the postgres user, which must reach its cluster directory inside.
fs.chmodSync(dataDir, 0o755);

/**
 * embedded-postgres is ESM-only, which jest's module runtime cannot import: a small Node process
 * runs the compiled src/db/embedded-postgres.ts, prints the server's URL, and stops the server
 * when its stdin closes.
 */
async function startServer(): Promise<string> {
  if (!fs.existsSync("dist/db/embedded-postgres.js")) throw new Error("dist/ is missing: npm test builds it first (npm run build)");
  const script = `
    const { startEmbeddedPostgres } = require(${JSON.stringify(path.resolve("dist/db/embedded-postgres.js"))});
    startEmbeddedPostgres({ dataDir: ${JSON.stringify(path.join(dataDir, "pg"))}, port: ${await freePort()}, persistent: false }).then((pg) => {
      process.stdout.write(pg.url + "\\n");
      process.stdin.on("end", () => pg.stop().then(() => process.exit(0))).resume();
    }, (e) => { process.stdout.write("error " + String(e) + "\\n"); process.exit(1); });`;
  server = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "inherit"] });
  const line = await new Promise<string>((resolve) => {
    let out = "";
    server.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(out.split("\n")[0]);
    });
    server.once("exit", (code) => resolve(`error helper exited with ${code}`));
  });
  if (!line.startsWith("postgres://")) throw new Error(`embedded PostgreSQL: ${line}`);
  return line;
}

beforeAll(async () => {
  const url = await startServer();
  // Files this small would be WAL-logged whole at commit instead of synced (wal_skip_threshold,
  // 2 MB by default); a full-size load's are far larger.
  db = await openDatabase({ url, entities, poolSize: 1 });
  await db.query(`ALTER DATABASE ${new URL(url).pathname.slice(1)} SET wal_skip_threshold = 0`);
  await db.destroy();
  // One connection: the generator's transaction runs on the backend whose WAL is read below.
  db = await openDatabase({ url, entities, poolSize: 1 });
});

afterAll(async () => {
  await db?.destroy();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.stdin!.end();
    await exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The WAL this backend has written since it started, as the statistics have it once flushed. */
async function walBytes(): Promise<number> {
  await db.query(`SELECT pg_stat_force_next_flush()`);
  const [{ bytes }] = (await db.query(`SELECT wal_bytes::bigint AS bytes FROM pg_stat_get_backend_wal(pg_backend_pid())`)) as { bytes: string }[];
  return Number(bytes);
}

describe("generateDataset into the embedded PostgreSQL's empty tables", () => {
  it("writes the load without WAL: a small fraction of the rows and indexes it wrote", async () => {
    const [{ wal_level }] = (await db.query(`SHOW wal_level`)) as { wal_level: string }[];
    expect(wal_level).toBe("minimal");
    const before = await walBytes();
    const phases = new Set<string>();
    const { organizationId } = await generateDataset(db, OPTIONS, (phase) => phases.add(phase));
    const wal = (await walBytes()) - before;
    expect(phases).toContain("indexes");

    const [{ written }] = (await db.query(
      `SELECT sum(pg_total_relation_size(t))::bigint AS written FROM unnest('{sessions,attachments,activities}'::regclass[]) t`,
    )) as { written: string }[];
    expect(Number(written)).toBeGreaterThan(4_000_000);
    // Logged, the rows and index entries take about as much WAL as their table space (two thirds
    // with the indexes built after the load); what remains is the catalog's and the counters'.
    expect(wal).toBeLessThan(Number(written) / 5);

    // The rows are all there after the commit, counted.
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM activities WHERE organization_id = $1`, [organizationId])) as { n: number }[];
    expect(n).toBe(OPTIONS.activities);
    expect(await countersDrift(db, [organizationId])).toEqual([]);
  });
});
