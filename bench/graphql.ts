/**
 * `npm run bench:graphql`: sessiongraph and PostGraphile v5 side by side on the bench data set
 * (issue 5), each in its own process on the same database, loopback only, driven in turn by
 * autocannon with the same three query shapes written in each schema's own terms:
 *
 * - Q1: the 50 newest sessions of one company, each with its user (name, email) and the user's
 *   company name;
 * - Q2: one user with their session count and their last 20 activities;
 * - Q3: one company with 20 users (by name), each with their 10 newest sessions.
 *
 * Every request picks a random company or user from an id pool fetched up front. Before the
 * load, each shape is asked of both servers for the same id and must return the same ids, so
 * the comparison is fair. Statements per request: every statement each server process sent to
 * PostgreSQL during the measured run, divided by its requests (bench/count-statements.ts, the same counter in both).
 *
 * Noise: the machine is shared. Each server's connections carry an application_name, so the
 * bench notes other sessions active in the same database during a measurement, and the load
 * average, next to the table.
 * PostgreSQL alone runs each shape as three prepared statements with pgbench (tx/s), when
 * pgbench is on the PATH.
 *
 * Environment: BENCH_DURATION (s, default 20), BENCH_WARMUP (s, default 5), BENCH_CONNECTIONS
 * (default 16), BENCH_SHAPES (default "Q1,Q2,Q3"), BENCH_SERVERS (default
 * "sessiongraph,postgraphile,postgres"), BENCH_GATEWAY_NODE_ARGS (node flags for the gateway,
 * e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it), BENCH_GATEWAY_NODE_OPTIONS,
 * BENCH_WORKERS (the gateway's WORKERS, default 2: one per core, as deployed on this machine).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { freePort } from "../src/db/embedded-postgres";
import { benchData, openBenchDatabase, startGatewayProcess, statementCount, type BenchDatabase } from "./support";

const DURATION = Number(process.env.BENCH_DURATION ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const WORKERS = process.env.BENCH_WORKERS ?? "2";
const SHAPES = (process.env.BENCH_SHAPES ?? "Q1,Q2,Q3").split(",");
const SERVERS = new Set((process.env.BENCH_SERVERS ?? "sessiongraph,postgraphile,postgres").split(","));
/** Users drawn at random from the organization for Q2 (companies: all of them). */
const USER_POOL = 1_000;

type Pool = "companies" | "users";

/** What the parity check compares: the ids (and counts) a shape returned, in order. */
type Fingerprint = unknown;

interface Shape {
  name: string;
  description: string;
  pool: Pool;
  sessiongraph: string;
  postgraphile: string;
  /** The same data from each server's answer, for the parity check. */
  fingerprint: { sessiongraph(data: any): Fingerprint; postgraphile(data: any): Fingerprint };
  /** pgbench script: `:i` is a random 1-based index into the pool array `POOL`, `ORG` the organization. */
  pgbench: string;
}

const SESSION_ORDER = "orderBy: [LAUNCHED_AT_DESC, ROW_ID_DESC], condition: { removed: false }";
/** Q1's page of sessions as a subquery: the user ids of the company's 51 newest sessions. */
const Q1_USER_IDS = `SELECT s.user_id FROM sessions s WHERE s.company_id = POOL[:i] AND s.organization_id = ORG AND NOT s.removed
   ORDER BY s.launched_at DESC, s.id DESC LIMIT 51`;

const SHAPE_LIST: Shape[] = [
  {
    name: "Q1",
    description: "50 newest sessions of one company, each with user (name, email) and the user's company name",
    pool: "companies",
    sessiongraph: `query Q1($id: ID!) { company(id: $id) { sessions(first: 50) { nodes { id launchedAt user { id name email company { name } } } } } }`,
    postgraphile: `query Q1($id: UUID!) { company(rowId: $id) { sessions(first: 50, ${SESSION_ORDER}) {
      nodes { rowId launchedAt user { rowId firstName lastName email company { name } } } } } }`,
    fingerprint: {
      sessiongraph: (d) => d.company.sessions.nodes.map((s: any) => [s.id, s.user?.id, s.user?.email, s.user?.company?.name]),
      postgraphile: (d) => d.company.sessions.nodes.map((s: any) => [s.rowId, s.user?.rowId, s.user?.email, s.user?.company?.name]),
    },
    pgbench: `
SELECT s.id, s.user_id, s.launched_at FROM sessions s
 WHERE s.company_id = POOL[:i] AND s.organization_id = ORG AND NOT s.removed ORDER BY s.launched_at DESC, s.id DESC LIMIT 51;
SELECT u.id, u.first_name, u.last_name, u.email, u.company_id FROM users u
 WHERE u.organization_id = ORG AND u.id = ANY (ARRAY(${Q1_USER_IDS}));
SELECT c.id, c.name FROM companies c
 WHERE c.organization_id = ORG AND c.id = ANY (ARRAY(SELECT u.company_id FROM users u WHERE u.id = ANY (ARRAY(${Q1_USER_IDS}))));
`,
  },
  {
    name: "Q2",
    description: "one user with session count and their last 20 activities",
    pool: "users",
    sessiongraph: `query Q2($id: ID!) { user(id: $id) { id name sessions(first: 0) { totalCount } activities(first: 20) { nodes { id category action occurredAt } } } }`,
    postgraphile: `query Q2($id: UUID!) { user(rowId: $id) { rowId firstName lastName sessions(condition: { removed: false }) { totalCount }
      activities(first: 20, orderBy: [OCCURRED_AT_DESC, ROW_ID_DESC]) { nodes { rowId category action occurredAt } } } }`,
    fingerprint: {
      sessiongraph: (d) => [d.user.id, d.user.sessions.totalCount, d.user.activities.nodes.map((a: any) => a.id)],
      postgraphile: (d) => [d.user.rowId, d.user.sessions.totalCount, d.user.activities.nodes.map((a: any) => a.rowId)],
    },
    pgbench: `
SELECT u.id, u.first_name, u.last_name FROM users u WHERE u.id = POOL[:i] AND u.organization_id = ORG;
SELECT count(*) FROM sessions s WHERE s.user_id = POOL[:i] AND s.organization_id = ORG AND NOT s.removed;
SELECT a.id, a.category, a.action, a.occurred_at FROM activities a
 WHERE a.user_id = POOL[:i] AND a.organization_id = ORG ORDER BY a.occurred_at DESC, a.id DESC LIMIT 21;
`,
  },
  {
    name: "Q3",
    description: "one company with 20 users, each with their 10 newest sessions",
    pool: "companies",
    sessiongraph: `query Q3($id: ID!) { company(id: $id) { id name users(first: 20) { nodes { id name sessions(first: 10) { nodes { id launchedAt status } } } } } }`,
    postgraphile: `query Q3($id: UUID!) { company(rowId: $id) { rowId name users(first: 20, orderBy: [LAST_NAME_ASC, FIRST_NAME_ASC, ROW_ID_ASC]) {
      nodes { rowId firstName lastName sessions(first: 10, ${SESSION_ORDER}) { nodes { rowId launchedAt status } } } } } }`,
    fingerprint: {
      sessiongraph: (d) => d.company.users.nodes.map((u: any) => [u.id, u.sessions.nodes.map((s: any) => s.id)]),
      postgraphile: (d) => d.company.users.nodes.map((u: any) => [u.rowId, u.sessions.nodes.map((s: any) => s.rowId)]),
    },
    pgbench: `
SELECT c.id, c.name FROM companies c WHERE c.id = POOL[:i] AND c.organization_id = ORG;
SELECT u.id, u.first_name, u.last_name FROM users u
 WHERE u.company_id = POOL[:i] AND u.organization_id = ORG ORDER BY u.last_name, u.first_name, u.id LIMIT 21;
SELECT k.id AS user_id, x.* FROM (SELECT u.id FROM users u WHERE u.company_id = POOL[:i] AND u.organization_id = ORG
   ORDER BY u.last_name, u.first_name, u.id LIMIT 20) k
 CROSS JOIN LATERAL (SELECT s.id, s.launched_at, s.status FROM sessions s
   WHERE s.user_id = k.id AND s.organization_id = ORG AND NOT s.removed ORDER BY s.launched_at DESC, s.id DESC LIMIT 11) x;
`,
  },
];

interface Load {
  rps: number;
  p50: number;
  p99: number;
  /** Statements sent to PostgreSQL per request, and (sessiongraph) the count it reports itself. */
  statements: { sent: number };
}

interface Server {
  name: string;
  url: string;
  headers: Record<string, string>;
  query(shape: Shape): string;
  /** Statements the server process has sent to PostgreSQL so far. */
  statements(): Promise<number>;
}

async function post(server: Server, query: string, variables: Record<string, unknown>): Promise<{ data?: any; errors?: unknown[]; extensions?: any }> {
  const res = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...server.headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown[]; extensions?: any };
  if (!res.ok || body.errors) throw new Error(`${server.name} answered ${res.status}: ${JSON.stringify(body.errors ?? body)}`);
  return body;
}

const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)];

/** autocannon against one server with random ids from `ids`; a warm-up run first, then the measured one. */
/** The shape under load; SQL statements per request are counted over the measured run (background work amortized). */
async function load(server: Server, shape: Shape, ids: string[]): Promise<Load> {
  const query = server.query(shape);
  const run = (duration: number) =>
    autocannon({
      url: `${server.url}/graphql`,
      connections: CONNECTIONS,
      duration,
      method: "POST",
      headers: { "content-type": "application/json", ...server.headers },
      requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify({ query, variables: { id: pick(ids) } }) }) }],
    });
  if (WARMUP > 0) await run(WARMUP);
  const before = await server.statements();
  const result = await run(DURATION);
  const statements = { sent: ((await server.statements()) - before) / result.requests.total };
  if (result.errors || result.non2xx || result.timeouts) {
    throw new Error(`${server.name} ${shape.name}: ${result.errors} errors, ${result.non2xx} non-2xx, ${result.timeouts} timeouts`);
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, statements };
}

/**
 * PostGraphile's own package (bench/peer), installed on demand, and the Node it runs on: Node 24
 * from the npm registry (PostGraphile v5 requires Node 22+; the gateway's install stays on Node
 * 20 without engine warnings). Returns that Node's executable.
 */
function preparePeer(): string {
  const peer = path.resolve("bench/peer");
  const node24 = (command: string) => spawnSync("npx", ["-y", "-p", "node@24", "-c", command], { cwd: peer, encoding: "utf8" });
  const which = node24("node -p process.execPath");
  if (which.status !== 0) throw new Error(`could not get Node 24 with npx -p node@24: ${which.stderr}`);
  const installed = path.join(peer, "node_modules/.package-lock.json");
  const lock = path.join(peer, "package-lock.json");
  if (!fs.existsSync(installed) || fs.statSync(installed).mtimeMs < fs.statSync(lock).mtimeMs) {
    process.stderr.write("  installing the PostGraphile peer (bench/peer) with Node 24's npm...\n");
    const install = node24("npm install --no-audit --no-fund");
    if (install.status !== 0) throw new Error(`npm install in bench/peer failed: ${install.stderr}`);
  }
  return which.stdout.trim();
}

/** PostGraphile v5 in its own process (bench/peer/postgraphile.mjs); counts its statements over IPC. */
async function startPostGraphile(databaseUrl: string): Promise<Server & { stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(preparePeer(), [path.resolve("bench/peer/postgraphile.mjs")], {
    env: { ...process.env, DATABASE_URL: withApplicationName(databaseUrl, "bench-postgraphile"), PORT: String(port), GRAPHILE_ENV: "production", NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("PostGraphile did not start within 60 s")), 60_000);
    child.once("exit", (code) => reject(new Error(`PostGraphile exited during start (${code})`)));
    child.on("message", (m: { ready?: boolean }) => m.ready && (clearTimeout(timer), resolve()));
  });
  const server: Server & { stop(): Promise<void> } = {
    name: "PostGraphile",
    url: `http://127.0.0.1:${port}`,
    headers: {},
    query: (shape) => shape.postgraphile,
    statements: () => statementCount(child),
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
  return server;
}

/** Each shape as three prepared statements per transaction, 16 clients, with pgbench; null without pgbench. */
function pgbench(databaseUrl: string, shape: Shape, organizationId: string, ids: string[]): { tps: number; latencyMs: number } | null {
  if (spawnSync("pgbench", ["--version"]).status !== 0) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sessiongraph-pgbench-"));
  try {
    const pool = `('{${ids.join(",")}}'::uuid[])`;
    const script = path.join(dir, `${shape.name}.sql`);
    fs.writeFileSync(script, `\\set i random(1, ${ids.length})\n${shape.pgbench.replaceAll("POOL", pool).replaceAll("ORG", `'${organizationId}'::uuid`).trim()}\n`);
    const run = (seconds: number) => {
      const out = spawnSync("pgbench", ["-n", "-M", "prepared", "-c", String(CONNECTIONS), "-j", "2", "-T", String(seconds), "-f", script, withApplicationName(databaseUrl, "bench-pgbench")], { encoding: "utf8" });
      if (out.status !== 0) throw new Error(`pgbench ${shape.name} failed: ${out.stderr}`);
      return out.stdout;
    };
    if (WARMUP > 0) run(WARMUP);
    const out = run(DURATION);
    return { tps: Number(/tps = ([\d.]+)/.exec(out)![1]), latencyMs: Number(/latency average = ([\d.]+) ms/.exec(out)![1]) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The URL with an application_name, so the bench can tell its servers' sessions from others'. */
function withApplicationName(url: string, name: string): string {
  const u = new URL(url);
  u.searchParams.set("application_name", name);
  return u.toString();
}

/**
 * Watches the database for sessions that are not the bench's own while `fn` runs: the most
 * active at once, and the load average at the end (other engineers share the machine).
 */
async function watchingNoise<T>(db: BenchDatabase, fn: () => Promise<T>): Promise<{ result: T; others: number; load: string }> {
  let others = 0;
  const sample = async () => {
    const [row] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND application_name NOT LIKE 'bench-%'`,
    );
    others = Math.max(others, row.n);
  };
  const timer = setInterval(() => void sample().catch(() => undefined), 1000);
  try {
    const result = await fn();
    return { result, others, load: fs.readFileSync("/proc/loadavg", "utf8").split(" ")[0] };
  } finally {
    clearInterval(timer);
  }
}

async function idPools(db: BenchDatabase, organizationId: string): Promise<Record<Pool, string[]>> {
  const companies = await db.dataSource.query(`SELECT id FROM companies WHERE organization_id = $1 ORDER BY id`, [organizationId]);
  // A stable sample: the same users every run.
  const users = await db.dataSource.query(`SELECT id FROM users WHERE organization_id = $1 ORDER BY md5(id::text) LIMIT $2`, [organizationId, USER_POOL]);
  return { companies: companies.map((r: { id: string }) => r.id), users: users.map((r: { id: string }) => r.id) };
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function main(): Promise<void> {
  const db = await openBenchDatabase();
  const stops: (() => Promise<void>)[] = [];
  try {
    const { organizationId, adminToken } = await benchData(db);
    const pools = await idPools(db, organizationId);
    const shapes = SHAPE_LIST.filter((s) => SHAPES.includes(s.name));

    const gateway = await startGatewayProcess(
      withApplicationName(db.url, "bench-sessiongraph"),
      // Not EXPOSE_SQL_STATEMENT_COUNT: its per-request tally costs CPU; both servers are counted from outside.
      { WORKERS, ...(process.env.BENCH_GATEWAY_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_GATEWAY_NODE_OPTIONS } : {}) },
      { execArgv: process.env.BENCH_GATEWAY_NODE_ARGS?.split(" ").filter(Boolean), countStatements: true },
    );
    stops.push(() => gateway.stop());
    const sessiongraph: Server = {
      name: "sessiongraph",
      url: gateway.url,
      headers: { authorization: `Bearer ${adminToken}` },
      query: (shape) => shape.sessiongraph,
      statements: () => gateway.statements(),
    };
    const postgraphile = await startPostGraphile(db.url);
    stops.push(() => postgraphile.stop());

    const rows: string[] = [];
    const noise: string[] = [];
    for (const shape of shapes) {
      const ids = pools[shape.pool];
      // Parity: the same input gives the same ids from both (a few ids, not only one).
      const sample = Array.from({ length: 5 }, () => pick(ids));
      for (const id of sample) {
        const a = shape.fingerprint.sessiongraph((await post(sessiongraph, shape.sessiongraph, { id })).data);
        const b = shape.fingerprint.postgraphile((await post(postgraphile, shape.postgraphile, { id })).data);
        if (JSON.stringify(a) !== JSON.stringify(b)) {
          throw new Error(`${shape.name}: sessiongraph and PostGraphile differ for ${id}:\n${JSON.stringify(a)}\n${JSON.stringify(b)}`);
        }
      }
      process.stderr.write(`  ${shape.name}: both servers return the same ids for ${sample.length} inputs\n`);
      const results: Record<string, Load | null> = { sessiongraph: null, postgraphile: null };
      for (const server of [sessiongraph, postgraphile]) {
        if (!SERVERS.has(server.name.toLowerCase())) continue;
        process.stderr.write(`  ${shape.name}: ${server.name} under load (${WARMUP} s warm-up, ${DURATION} s)...\n`);
        const watched = await watchingNoise(db, () => load(server, shape, ids));
        results[server.name.toLowerCase()] = watched.result;
        noise.push(`${shape.name} ${server.name}: load average ${watched.load}, other active database sessions up to ${watched.others}`);
      }
      const watched = SERVERS.has("postgres") ? await watchingNoise(db, async () => pgbench(db.url, shape, organizationId, ids)) : null;
      const alone = watched?.result ?? null;
      if (watched && alone) noise.push(`${shape.name} pgbench: load average ${watched.load}, other active database sessions up to ${watched.others}`);
      const sql = (s: Load["statements"]) => fmt(s.sent, 1);
      const cells = (r: Load | null) => (r ? `${fmt(r.rps)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${sql(r.statements)}` : "– | – | – | –");
      const { sessiongraph: sg, postgraphile: pgl } = results;
      rows.push(
        `| ${shape.name} | ${cells(sg)} | ${cells(pgl)} | ${sg && pgl ? (sg.rps / pgl.rps).toFixed(2) : "–"} | ` +
          `${alone ? `${fmt(alone.tps)} (${alone.latencyMs.toFixed(1)} ms)` : "– (no pgbench)"} |`,
      );
    }

    console.log(`\nGraphQL shapes: ${CONNECTIONS} connections, ${DURATION} s after a ${WARMUP} s warm-up, random ids; latencies in ms; sessiongraph WORKERS=${WORKERS}, PostGraphile one process\n`);
    for (const shape of shapes) console.log(`- ${shape.name}: ${shape.description}`);
    console.log("\n| shape | sessiongraph req/s | p50 | p99 | SQL/req | PostGraphile v5 req/s | p50 | p99 | SQL/req | sessiongraph / PostGraphile | PostgreSQL alone, 3 statements, tx/s (avg) |");
    console.log("|---|---|---|---|---|---|---|---|---|---|---|");
    for (const row of rows) console.log(row);
    console.log("\nSQL/req: statements each server process sent to PostgreSQL during the measured run, per request (the same counter in both).");
    const [{ server_version: postgresVersion }] = await db.dataSource.query("SHOW server_version");
    console.log(`Machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${postgresVersion}`);
    for (const line of noise) console.log(`- ${line}`);
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await db.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
