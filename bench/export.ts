/**
 * `npm run bench:export`: exportActivities of 10,000, 100,000 and 1,000,000 rows and exportSessions of
 * 100,000 and all rows (activities joined with user and company, admin scope, every column,
 * formula neutralisation on) through a real gateway process, against PostgreSQL's own
 * `COPY … TO STDOUT` of the same rows, read to the end by this process: the very COPY statement the
 * gateway sends (the export's query without neutralisation, text columns in FORCE_QUOTE), so
 * PostgreSQL does the same work for both and the ratio is what the gateway adds.
 *
 * Per case, one gateway process (warmed by one unmeasured export of the case, as a running
 * gateway would be and as COPY is warmed by one unmeasured COPY), then rounds of COPY and the export back to back, the order rotating each
 * round: this machine's speed drifts by tens of percent over minutes, and measuring one after the
 * other wrote that drift into the ratio (the same case gave 0.78 and 1.03 in two runs). Rows/s
 * are the medians of the rounds, the ratio the median of the rounds' ratios, the RSS peak the
 * highest of the rounds; the load average is printed after each round.
 *
 * An export's time runs from the mutation to the answer with its signed URL, as a client gets it:
 * the gateway runs with a long EXPORT_WAIT_MS, so the mutation itself answers when its job is
 * done (the wait wakes when the job finishes in that process, not at its next poll). Polling
 * instead would add work to the gateway's or a poll period to the time. BENCH_COMPLETION=row
 * measures as before that change: EXPORT_WAIT_MS=0, the export's row read every 10 ms, then
 * `export(id)` for the URL (for a BENCH_BASE_DIST build without the wake-up, whose wait polls
 * every 100 ms).
 *
 * CPU per export (the gateway process's, from /proc, 10 ms ticks; the median of the rounds) moves
 * far less than wall time when others share the cores; beside it, this process's CPU reading COPY.
 *
 * Environment: BENCH_EXPORTS, the cases to run (default all: "activities-10k,activities-100k,
 * activities-1m,sessions-100k,sessions-all"); BENCH_ROUNDS (default 3; the 1M-activity and
 * all-sessions cases take about 10–20 s per round); BENCH_GATEWAY_NODE_OPTIONS;
 * BENCH_GATEWAY_NODE_ARGS (node flags for the gateway, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof");
 * BENCH_COMPLETION ("mutation", the default, or "row": how completion is seen, above);
 * BENCH_BASE_DIST (another build of the gateway, a directory inside this checkout holding its
 * main.js, e.g. of an earlier commit: it runs as a second gateway in the same rounds, for A/B).
 */
import path from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ActivityColumn, SessionColumn } from "../src/exports/columns";
import { buildExportQuery } from "../src/exports/export-query";
import { ExportKind } from "../src/exports/export.entity";
import { Role, ViewerAccess, streamStatements } from "../src/access";
import { benchData, cpuMs, graphql, loadAverage, mb, median, openBenchDatabase, startGatewayProcess, type BenchDatabase, type GatewayProcess } from "./support";

/** Measured rounds per case. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** BENCH_EXPORTS: which cases to run (default all). */
const CASES = process.env.BENCH_EXPORTS?.split(",").map((c) => c.trim());
const wanted = (name: string) => !CASES || CASES.includes(name);
const BASE_DIST = process.env.BENCH_BASE_DIST ? path.resolve(process.env.BENCH_BASE_DIST) : null;
/** BENCH_COMPLETION: the mutation's own wait answers with the URL, or the bench reads the export's row. */
const BY_ROW = process.env.BENCH_COMPLETION === "row";

interface Measure {
  rows: number;
  seconds: number;
  /** CPU the reading process used (ms): the gateway for an export, this process for COPY. */
  cpuMs: number;
}

interface ExportRun extends Measure {
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
  name: string;
  label: string;
  kind: ExportKind.ACTIVITIES | ExportKind.SESSIONS;
  filter: Record<string, unknown>;
}

const EXPORT_FIELDS = "id status rowCount url error";
const MUTATION = {
  [ExportKind.ACTIVITIES]: `mutation($f: ActivityFilter) { e: exportActivities(filter: $f) { ${EXPORT_FIELDS} } }`,
  [ExportKind.SESSIONS]: `mutation($f: SessionFilter) { e: exportSessions(filter: $f) { ${EXPORT_FIELDS} } }`,
};
const ALL_COLUMNS = { [ExportKind.ACTIVITIES]: Object.values(ActivityColumn) as string[], [ExportKind.SESSIONS]: Object.values(SessionColumn) as string[] };

async function exportThroughGateway(db: BenchDatabase, gateway: GatewayProcess, token: string, benchCase: BenchCase): Promise<ExportRun> {
  const baselineRss = gateway.rss();
  let peakRss = baselineRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, gateway.rss())), 25);
  const pid = gateway.child.pid!;
  const cpuBefore = cpuMs([pid]).get(pid)!;
  const began = performance.now();
  try {
    type Answer = { id: string; status: string; rowCount: number | null; url: string | null; error: string | null };
    let { e } = await graphql<{ e: Answer }>(gateway.url, token, MUTATION[benchCase.kind], { f: benchCase.filter });
    if (BY_ROW) {
      for (;;) {
        const [{ status }] = await db.dataSource.query(`SELECT status FROM exports WHERE id = $1`, [e.id]);
        if (status !== "QUEUED" && status !== "RUNNING") break;
        await new Promise((r) => setTimeout(r, 10));
      }
      ({ export: e } = await graphql<{ export: Answer }>(gateway.url, token, `query($id: ID!) { export(id: $id) { ${EXPORT_FIELDS} } }`, { id: e.id }));
    }
    const seconds = (performance.now() - began) / 1000;
    if (e.status !== "COMPLETED") throw new Error(`export ${e.status}: ${e.error}`);
    const head = await fetch(e.url!, { method: "HEAD" });
    if (head.status !== 200) throw new Error(`download answered ${head.status}`);
    return { rows: e.rowCount!, seconds, cpuMs: cpuMs([pid]).get(pid)! - cpuBefore, peakRss, baselineRss };
  } finally {
    clearInterval(sampler);
  }
}

/** PostgreSQL writing the gateway's own COPY of the same query, read to the end by this process. */
async function copyOut(db: BenchDatabase, organizationId: string, adminId: string, benchCase: BenchCase): Promise<Measure> {
  const viewer = { organizationId, userId: adminId, companyId: null, role: Role.ADMIN, authenticatedBy: "JWT" as const, apiTokenId: null };
  // What export.runner.ts asks PostgreSQL for with the COPY engine: the plain query, text columns quoted.
  const query = buildExportQuery(new ViewerAccess(db.dataSource, viewer), {
    kind: benchCase.kind, filter: benchCase.filter, columns: ALL_COLUMNS[benchCase.kind], neutralizeFormulas: false,
  });
  return await streamStatements(db.dataSource, async (streams) => {
    let lines = 0;
    const cpuBefore = process.cpuUsage();
    const began = performance.now();
    await pipeline(
      streams.csv(query.statement, query.textColumns),
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
          done();
        },
      }),
    );
    const cpu = process.cpuUsage(cpuBefore);
    return { rows: lines, seconds: (performance.now() - began) / 1000, cpuMs: (cpu.user + cpu.system) / 1000 };
  });
}

const fmt = (n: number) => Math.round(n).toLocaleString("en");

/** One side of a round: COPY, or a gateway's export. */
interface Party {
  name: string;
  gateway: GatewayProcess | null;
}

async function main(): Promise<void> {
  const db = await openBenchDatabase();
  try {
    const { organizationId, adminToken } = await benchData(db);
    const [{ id: adminId }] = await db.dataSource.query(`SELECT owner_id AS id FROM api_tokens WHERE label = 'bench' AND organization_id = $1 ORDER BY created_at DESC LIMIT 1`, [organizationId]);
    const cases: BenchCase[] = [];
    for (const [name, target] of [["activities-10k", 10_000], ["activities-100k", 100_000], ["activities-1m", 1_000_000]] as const) {
      if (!wanted(name)) continue;
      cases.push({ name, label: "activities", kind: ExportKind.ACTIVITIES, filter: { dateRange: await rangeFor(db, "activities", organizationId, target) } });
    }
    if (wanted("sessions-100k")) cases.push({ name: "sessions-100k", label: "sessions", kind: ExportKind.SESSIONS, filter: { dateRange: await rangeFor(db, "sessions", organizationId, 100_000) } });
    if (wanted("sessions-all")) cases.push({ name: "sessions-all", label: "sessions (all)", kind: ExportKind.SESSIONS, filter: {} });

    const gatewayNames = ["gateway", ...(BASE_DIST ? ["base"] : [])];
    const table: string[] = [];
    const noise: string[] = [];
    for (const benchCase of cases) {
      await copyOut(db, organizationId, adminId, benchCase); // warms the cache for all sides
      const parties: Party[] = [{ name: "COPY", gateway: null }];
      try {
        for (const name of gatewayNames) {
          const gateway = await startGatewayProcess(
            db.url,
            { EXPORT_WAIT_MS: BY_ROW ? "0" : "600000", ...(process.env.BENCH_GATEWAY_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_GATEWAY_NODE_OPTIONS } : {}) },
            { execArgv: process.env.BENCH_GATEWAY_NODE_ARGS?.split(" ").filter(Boolean), main: name === "base" ? path.join(BASE_DIST!, "main.js") : undefined },
          );
          parties.push({ name, gateway });
          // A running gateway has served exports before: one unmeasured export of the case
          // first, as COPY gets one above, so neither side's first measured run is a cold one.
          await exportThroughGateway(db, gateway, adminToken, benchCase);
        }
        const runs = new Map<string, ExportRun[]>(gatewayNames.map((n) => [n, []]));
        const copies: Measure[] = [];
        const loads: string[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          // Each round in another order, so no side always goes first.
          const order = parties.map((_, i) => parties[(i + round) % parties.length]);
          for (const party of order) {
            process.stderr.write(`  ${benchCase.name}: ${party.name} round ${round + 1}/${ROUNDS}...\n`);
            if (party.gateway) runs.get(party.name)!.push(await exportThroughGateway(db, party.gateway, adminToken, benchCase));
            else copies.push(await copyOut(db, organizationId, adminId, benchCase));
          }
          loads.push(loadAverage());
        }
        for (const name of gatewayNames) {
          const list = runs.get(name)!;
          for (const [i, run] of list.entries()) {
            if (run.rows !== copies[i].rows) throw new Error(`${benchCase.name}: COPY wrote ${copies[i].rows} rows, the export (${name}) ${run.rows}`);
          }
          const ratios = list.map((run, i) => run.rows / run.seconds / (copies[i].rows / copies[i].seconds));
          const rate = median(list.map((r) => r.rows / r.seconds));
          table.push(
            `| ${benchCase.label}${BASE_DIST ? ` (${name})` : ""} | ${fmt(list[0].rows)} | ${median(list.map((r) => r.seconds)).toFixed(2)} s | ${fmt(rate)} | ` +
              `${fmt(median(copies.map((c) => c.rows / c.seconds)))} | ${median(ratios).toFixed(2)} (${ratios.map((r) => r.toFixed(2)).join(", ")}) | ` +
              `${mb(list[0].baselineRss)} → ${mb(Math.max(...list.map((r) => r.peakRss)))} | ${fmt(median(list.map((r) => r.cpuMs)))} | ${fmt(median(copies.map((c) => c.cpuMs)))} |`,
          );
        }
        noise.push(`${benchCase.name}: load average ${loads.join(", ")} (after each round)`);
      } finally {
        for (const party of parties) await party.gateway?.stop();
      }
    }
    console.log(
      `\nexportActivities / exportSessions (all columns, admin scope, formulas neutralised), one gateway per case, against the gateway's own COPY … TO STDOUT of the same query;` +
        ` ${ROUNDS} rounds, COPY and export back to back in a rotating order; medians of the rounds, the ratio the median of the rounds' ratios (each round's in brackets)` +
        `${BASE_DIST ? `; "base": the build in ${path.relative(process.cwd(), BASE_DIST)}` : ""}\n`,
    );
    console.log("| export | rows | wall time | rows/s | COPY rows/s | export / COPY | gateway RSS (before → highest peak) | gateway CPU ms | COPY reader CPU ms |");
    console.log("|---|---|---|---|---|---|---|---|---|");
    for (const row of table) console.log(row);
    console.log("");
    for (const line of noise) console.log(`- ${line}`);
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
