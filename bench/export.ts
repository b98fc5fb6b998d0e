/**
 * `npm run bench:export`: exportActivities of 10,000, 100,000 and 1,000,000 rows and exportSessions of
 * 100,000 and all rows (activities joined with
 * user and company, admin scope, every column, formula neutralisation on) through a real
 * gateway process, against PostgreSQL's own `COPY (same query) TO STDOUT` of the same rows in
 * the same run. Prints rows/s, the ratio to COPY, and the gateway's peak RSS during each export.
 * Each export runs on a fresh gateway after one small warm-up export.
 *
 * Environment: BENCH_EXPORTS, the cases to run (default all: "activities-10k,activities-100k,
 * activities-1m,sessions-100k,sessions-all"), BENCH_GATEWAY_NODE_OPTIONS.
 */
import { once } from "node:events";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ActivityColumn, SessionColumn } from "../src/exports/columns";
import { buildExportQuery } from "../src/exports/export-query";
import { ExportKind } from "../src/exports/export.entity";
import { Role, ViewerAccess, streamStatements } from "../src/access";
import { benchData, graphql, mb, openBenchDatabase, startGatewayProcess, type BenchDatabase } from "./support";

interface ExportRun {
  rows: number;
  seconds: number;
  peakRss: number;
  baselineRss: number;
}

/** The inclusive day range, ending at the newest activity, that holds at least `rows` activities. */
async function rangeFor(db: BenchDatabase, table: "activities" | "sessions", organizationId: string, rows: number): Promise<{ from: string; to: string }> {
  const time = table === "activities" ? "occurred_at" : "launched_at";
  const [edge] = await db.dataSource.query(
    `SELECT (SELECT (${time} AT TIME ZONE 'UTC')::date::text FROM ${table} WHERE organization_id = $1 ORDER BY ${time} DESC LIMIT 1) AS to,
            (SELECT (${time} AT TIME ZONE 'UTC')::date::text FROM ${table} WHERE organization_id = $1 ORDER BY ${time} DESC OFFSET $2 LIMIT 1) AS from`,
    [organizationId, rows - 1],
  );
  return { from: edge.from, to: edge.to };
}

interface BenchCase {
  label: string;
  kind: ExportKind.ACTIVITIES | ExportKind.SESSIONS;
  filter: Record<string, unknown>;
}

const MUTATION = {
  [ExportKind.ACTIVITIES]: `mutation($f: ActivityFilter) { e: exportActivities(filter: $f) { id } }`,
  [ExportKind.SESSIONS]: `mutation($f: SessionFilter) { e: exportSessions(filter: $f) { id } }`,
};
const ALL_COLUMNS = { [ExportKind.ACTIVITIES]: Object.values(ActivityColumn) as string[], [ExportKind.SESSIONS]: Object.values(SessionColumn) as string[] };

async function exportThroughGateway(url: string, token: string, benchCase: BenchCase, rss: () => number): Promise<ExportRun> {
  const baselineRss = rss();
  let peakRss = baselineRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rss())), 25);
  const began = Date.now();
  try {
    const { e: started } = await graphql<{ e: { id: string } }>(url, token, MUTATION[benchCase.kind], { f: benchCase.filter });
    for (;;) {
      const { export: e } = await graphql<{ export: { status: string; rowCount: number | null; url: string | null; error: string | null } }>(
        url, token, `query($id: ID!) { export(id: $id) { status rowCount url error } }`, { id: started.id });
      if (e.status === "COMPLETED") {
        const seconds = (Date.now() - began) / 1000;
        const head = await fetch(e.url!, { method: "HEAD" });
        if (head.status !== 200) throw new Error(`download answered ${head.status}`);
        return { rows: e.rowCount!, seconds, peakRss, baselineRss };
      }
      if (e.status !== "QUEUED" && e.status !== "RUNNING") throw new Error(`export ${e.status}: ${e.error}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    clearInterval(sampler);
  }
}

/** PostgreSQL writing the same query as CSV itself, read to the end by this process. */
async function copyOut(db: BenchDatabase, organizationId: string, adminId: string, benchCase: BenchCase): Promise<{ rows: number; seconds: number }> {
  const viewer = { organizationId, userId: adminId, companyId: null, role: Role.ADMIN, authenticatedBy: "JWT" as const, apiTokenId: null };
  const query = buildExportQuery(new ViewerAccess(db.dataSource, viewer), {
    kind: benchCase.kind, filter: benchCase.filter, columns: ALL_COLUMNS[benchCase.kind], neutralizeFormulas: false,
  });
  return await streamStatements(db.dataSource, async (streams) => {
    let lines = 0;
    const began = Date.now();
    await pipeline(
      streams.csv(query.statement, []),
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
          done();
        },
      }),
    );
    return { rows: lines, seconds: (Date.now() - began) / 1000 };
  });
}

/** BENCH_EXPORTS: which cases to run (default all). */
const CASES = process.env.BENCH_EXPORTS?.split(",").map((c) => c.trim());
const wanted = (name: string) => !CASES || CASES.includes(name);

async function main(): Promise<void> {
  const db = await openBenchDatabase();
  try {
    const { organizationId, adminToken } = await benchData(db);
    const [{ id: adminId }] = await db.dataSource.query(`SELECT owner_id AS id FROM api_tokens WHERE label = 'bench' AND organization_id = $1 ORDER BY created_at DESC LIMIT 1`, [organizationId]);
    const rows: string[] = [];
    const cases: BenchCase[] = [];
    for (const [name, target] of [["activities-10k", 10_000], ["activities-100k", 100_000], ["activities-1m", 1_000_000]] as const) {
      if (!wanted(name)) continue;
      cases.push({ label: "activities", kind: ExportKind.ACTIVITIES, filter: { dateRange: await rangeFor(db, "activities", organizationId, target) } });
    }
    if (wanted("sessions-100k")) cases.push({ label: "sessions", kind: ExportKind.SESSIONS, filter: { dateRange: await rangeFor(db, "sessions", organizationId, 100_000) } });
    if (wanted("sessions-all")) cases.push({ label: "sessions (all)", kind: ExportKind.SESSIONS, filter: {} });
    for (const benchCase of cases) {
      await copyOut(db, organizationId, adminId, benchCase); // warm the cache for both
      // A fresh gateway per size, so each peak is that export's alone.
      const gateway = await startGatewayProcess(db.url, { EXPORT_WAIT_MS: "0", ...(process.env.BENCH_GATEWAY_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_GATEWAY_NODE_OPTIONS } : {}) });
      try {
        // A running gateway has served requests before: one small export of the same kind first,
        // so the measured one does not pay for a cold process.
        const table = benchCase.kind === ExportKind.ACTIVITIES ? "activities" : "sessions";
        await exportThroughGateway(gateway.url, adminToken, { ...benchCase, filter: { dateRange: await rangeFor(db, table, organizationId, 1_000) } }, () => gateway.rss());
        const run = await exportThroughGateway(gateway.url, adminToken, benchCase, () => gateway.rss());
        const copy = await copyOut(db, organizationId, adminId, benchCase);
        if (copy.rows !== run.rows) throw new Error(`COPY wrote ${copy.rows} rows, the export ${run.rows}`);
        rows.push(
          `| ${benchCase.label} | ${run.rows.toLocaleString("en")} | ${run.seconds.toFixed(2)} s | ${Math.round(run.rows / run.seconds).toLocaleString("en")} | ` +
            `${Math.round(copy.rows / copy.seconds).toLocaleString("en")} | ${(run.rows / run.seconds / (copy.rows / copy.seconds)).toFixed(2)} | ` +
            `${mb(run.baselineRss)} → ${mb(run.peakRss)} |`,
        );
      } finally {
        await gateway.stop();
      }
    }
    console.log("\nexportActivities / exportSessions (all columns, admin scope, formulas neutralised), a fresh gateway each, vs COPY TO STDOUT of the same query\n");
    console.log("| export | rows | wall time | rows/s | COPY rows/s | export / COPY | gateway RSS (before → peak) |");
    console.log("|---|---|---|---|---|---|---|");
    for (const row of rows) console.log(row);
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
