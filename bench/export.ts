/**
 * `npm run bench:export`: exportActivities of 100,000 and 1,000,000 rows (activities joined with
 * user and company, admin scope, every column, formula neutralisation on) through a real
 * gateway process, against PostgreSQL's own `COPY (same query) TO STDOUT` of the same rows in
 * the same run. Prints rows/s, the ratio to COPY, and the gateway's peak RSS during each export.
 */
import { once } from "node:events";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { to as copyTo } from "pg-copy-streams";
import { ActivityColumn } from "../src/exports/columns";
import { buildExportQuery } from "../src/exports/export-query";
import { ExportKind } from "../src/exports/export.entity";
import { Role } from "../src/auth";
import { benchData, graphql, mb, openBenchDatabase, startGatewayProcess, type BenchDatabase } from "./support";

interface ExportRun {
  rows: number;
  seconds: number;
  peakRss: number;
  baselineRss: number;
}

/** The inclusive day range, ending at the newest activity, that holds at least `rows` activities. */
async function rangeFor(db: BenchDatabase, organizationId: string, rows: number): Promise<{ from: string; to: string; count: number }> {
  const [edge] = await db.dataSource.query(
    `SELECT (SELECT (occurred_at AT TIME ZONE 'UTC')::date::text FROM activities WHERE organization_id = $1 ORDER BY occurred_at DESC LIMIT 1) AS to,
            (SELECT (occurred_at AT TIME ZONE 'UTC')::date::text FROM activities WHERE organization_id = $1 ORDER BY occurred_at DESC OFFSET $2 LIMIT 1) AS from`,
    [organizationId, rows - 1],
  );
  const [{ n }] = await db.dataSource.query(
    `SELECT count(*)::int AS n FROM activities WHERE organization_id = $1 AND occurred_at >= $2::date AND occurred_at < $3::date + 1`,
    [organizationId, edge.from, edge.to],
  );
  return { from: edge.from, to: edge.to, count: n };
}

async function exportThroughGateway(url: string, token: string, filter: object, rss: () => number): Promise<ExportRun> {
  const baselineRss = rss();
  let peakRss = baselineRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rss())), 25);
  const began = Date.now();
  try {
    const { exportActivities } = await graphql<{ exportActivities: { id: string } }>(url, token, `mutation($f: ActivityFilter) { exportActivities(filter: $f) { id } }`, { f: filter });
    for (;;) {
      const { export: e } = await graphql<{ export: { status: string; rowCount: number | null; url: string | null; error: string | null } }>(
        url, token, `query($id: ID!) { export(id: $id) { status rowCount url error } }`, { id: exportActivities.id });
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
async function copyOut(db: BenchDatabase, organizationId: string, adminId: string, filter: object): Promise<{ rows: number; seconds: number }> {
  const viewer = { organizationId, userId: adminId, companyId: null, role: Role.ADMIN, authenticatedBy: "JWT" as const, apiTokenId: null };
  const query = buildExportQuery(viewer, { kind: ExportKind.ACTIVITIES, filter: filter as Record<string, unknown>, columns: Object.values(ActivityColumn) });
  const [client, release] = await db.dataSource.driver.obtainMasterConnection();
  try {
    // COPY takes no parameters: inline them as literals.
    const sql = query.sql.replace(/\$(\d+)/g, (_, n) => {
      const value = query.params[Number(n) - 1];
      return client.escapeLiteral(Array.isArray(value) ? `{${value.join(",")}}` : String(value));
    });
    let lines = 0;
    const began = Date.now();
    await pipeline(
      client.query(copyTo(`COPY (${sql}) TO STDOUT WITH (FORMAT csv, HEADER)`)),
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
          done();
        },
      }),
    );
    return { rows: lines - 1, seconds: (Date.now() - began) / 1000 };
  } finally {
    release();
  }
}

async function main(): Promise<void> {
  const db = await openBenchDatabase();
  try {
    const { organizationId, adminToken } = await benchData(db);
    const [{ id: adminId }] = await db.dataSource.query(`SELECT owner_id AS id FROM api_tokens WHERE label = 'bench' AND organization_id = $1 ORDER BY created_at DESC LIMIT 1`, [organizationId]);
    const gateway = await startGatewayProcess(db.url, { EXPORT_WAIT_MS: "0" });
    const rows: string[] = [];
    try {
      for (const target of [100_000, 1_000_000]) {
        const range = await rangeFor(db, organizationId, target);
        const filter = { dateRange: { from: range.from, to: range.to } };
        await copyOut(db, organizationId, adminId, filter); // warm the cache for both
        const run = await exportThroughGateway(gateway.url, adminToken, filter, () => gateway.rss());
        const copy = await copyOut(db, organizationId, adminId, filter);
        if (copy.rows !== run.rows) throw new Error(`COPY wrote ${copy.rows} rows, the export ${run.rows}`);
        rows.push(
          `| ${run.rows.toLocaleString("en")} | ${run.seconds.toFixed(2)} s | ${Math.round(run.rows / run.seconds).toLocaleString("en")} | ` +
            `${Math.round(copy.rows / copy.seconds).toLocaleString("en")} | ${(run.rows / run.seconds / (copy.rows / copy.seconds)).toFixed(2)} | ` +
            `${mb(run.baselineRss)} → ${mb(run.peakRss)} |`,
        );
      }
    } finally {
      await gateway.stop();
    }
    console.log("\nexportActivities (all columns, admin scope, formulas neutralised) vs COPY TO STDOUT of the same query\n");
    console.log("| rows | export wall time | export rows/s | COPY rows/s | export / COPY | gateway RSS (before → peak) |");
    console.log("|---|---|---|---|---|---|");
    for (const row of rows) console.log(row);
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
