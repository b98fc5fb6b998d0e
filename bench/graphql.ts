/**
 * `npm run bench:graphql`: sessiongraph and PostGraphile v5 side by side on the bench data set
 * (issue 5), each in its own process on the same database, loopback only, driven in turn by
 * autocannon with the same three query shapes written in each schema's own terms:
 *
 * - Q1: the 50 newest sessions of one company, each with its user (name, email) and the user's
 *   company name;
 * - Q2: one user with their session count and their last 20 activities;
 * - Q3: one company with 20 users (by name), each with their 10 newest sessions.
 * - Q4a: the Session History page as a frontend sends it (../shared/seeds/session-history.txt):
 *   the admin's 50 newest sessions of the organization with totalCount, every column the row
 *   shows (runner, app, device and OS, date, queue time, duration), the user's name and the
 *   attachments;
 * - Q4b: the same with a search ("ab") and a one-month date range;
 * - Q4c: a DEVELOPER's own first page with totalCount (a random developer per request, each
 *   with its own API token).
 *
 * PostGraphile answers Q4b through a SQL function the bench creates (bench_session_history: the
 * same search and range, newest first), as PostGraphile's own way to a custom filter; its
 * totalCount counts every match, sessiongraph's counts up to 1,000 and says when it stopped
 * (totalCountIsExact), so parity compares min(count, 1,000) and the flag.
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
 * Environment: BENCH_DURATION (s per round, default 10), BENCH_ROUNDS (default 3), BENCH_WARMUP (s, default 5), BENCH_CONNECTIONS
 * (default 16), BENCH_SHAPES (default "Q1,Q2,Q3"), BENCH_SERVERS (default
 * "sessiongraph,postgraphile,postgres"), BENCH_GATEWAY_NODE_ARGS (node flags for the gateway,
 * e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it), BENCH_GATEWAY_NODE_OPTIONS,
 * BENCH_GATEWAY_NODE ("24", the default: the Node docker/Dockerfile deploys and PostGraphile runs
 * on; "current": the bench's own Node),
 * BENCH_WORKERS (the gateway's WORKERS, a list, default "1,2": the main table is sessiongraph
 * with the first against one PostGraphile process, at equal process count; the ratio table gives
 * each).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { freePort } from "../src/db/embedded-postgres";
import { Role } from "../src/access";
import { sessionCounts } from "../src/sessions/session-counts";
import { issueApiToken } from "../src/api-tokens";
import { benchData, cpuMs, loadAverage, median, openBenchDatabase, processTree, startGatewayProcess, statementCount, type BenchDatabase } from "./support";

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
/** Measured rounds per server and shape, the servers' rounds alternating. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
/** The gateway's Node: "24" (default), as docker/Dockerfile deploys it and as PostGraphile runs here, or "current" (the bench's own). */
const GATEWAY_NODE = process.env.BENCH_GATEWAY_NODE ?? "24";
if (GATEWAY_NODE !== "24" && GATEWAY_NODE !== "current") throw new Error(`BENCH_GATEWAY_NODE must be "24" or "current", not ${GATEWAY_NODE}`);
const WORKERS = (process.env.BENCH_WORKERS ?? "1,2").split(",").map((w) => w.trim()).filter(Boolean);
const SHAPES = (process.env.BENCH_SHAPES ?? "Q1,Q2,Q3,Q4a,Q4b,Q4c").split(",");
const SERVERS = new Set((process.env.BENCH_SERVERS ?? "sessiongraph,postgraphile,postgres").split(","));
/** Users drawn at random from the organization for Q2 (companies: all of them). */
const USER_POOL = 1_000;

/** organization: the generated organization's id alone; developers: DEVELOPER users, each with a token. */
type Pool = "companies" | "users" | "organization" | "developers";

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
  /** pgbench script: `:i` is a random 1-based index into the pool array `POOL`, `ORG` the organization; null: none. */
  pgbench: string | null;
  /** Each server's variables for a pool id (default `{ id }`). */
  variables?: { sessiongraph(id: string): Record<string, unknown>; postgraphile(id: string): Record<string, unknown> };
}

/** Set once the data set is known: the organization, and the month and search of Q4b. */
const bench = { organizationId: "", month: { from: "", to: "" }, search: "ab" };

/** Every column the Session History row shows, the runner, the user's name and the attachments. */
const HISTORY_ROW = `id launchedAt status appId appName appGroup appBuild deviceType deviceModel osName osVersion
  queueSeconds durationSeconds inProgress runner { kind label } user { id name } attachments { id kind fileName available }`;
/** The same data in PostGraphile's terms (queue time and duration follow from the times). */
const HISTORY_ROW_PGL = `rowId launchedAt startedAt completedAt status appId appName appGroup appBuild deviceType deviceModel osName osVersion
  apiTokenLabel anonymousLabel userId user { rowId firstName lastName email }
  attachments(orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { nodes { rowId kind fileName storageKey } }`;

/** What Q4's parity compares: the count and whether it is exact (as sessiongraph reports them), and per row its id, runner label, user and attachments. */
const historyFingerprint = {
  sessiongraph: (c: any) => [c.totalCount, c.totalCountIsExact, c.nodes.map((s: any) => [s.id, s.runner.label, s.user?.id ?? null, s.attachments.map((a: any) => a.id)])],
  /** `bound`: sessiongraph counts this filter on the rows (no counters), up to `bound` (its own rule, session-counts.ts). */
  postgraphile: (c: any, bound: number | null = null) => [
    bound !== null ? Math.min(c.totalCount, bound) : c.totalCount, bound === null || c.totalCount <= bound,
    c.nodes.map((s: any) => [
      s.rowId, s.apiTokenLabel ?? (s.userId ? (s.user?.email ?? "Unknown user") : (s.anonymousLabel ?? "Anonymous")), s.userId,
      s.attachments.nodes.map((a: any) => a.rowId),
    ]),
  ],
};

/**
 * Q4b for PostGraphile: sessiongraph's search (app id, app name, contributor, runner's username;
 * case-insensitive) and UTC date range as a set-returning function, newest first. The bench's
 * search has no LIKE wildcards, so the pattern needs no escaping.
 */
const HISTORY_FUNCTION = `CREATE OR REPLACE FUNCTION bench_session_history(org uuid, search text, from_day date, to_day date)
RETURNS SETOF sessions LANGUAGE sql STABLE AS $$
  SELECT s.* FROM sessions s
   WHERE s.organization_id = org AND NOT s.removed
     AND s.launched_at >= from_day::timestamp AT TIME ZONE 'UTC' AND s.launched_at < (to_day + 1)::timestamp AT TIME ZONE 'UTC'
     AND (s.app_id ILIKE '%' || search || '%' OR s.app_name ILIKE '%' || search || '%' OR s.contributor_username ILIKE '%' || search || '%'
          OR s.api_token_label ILIKE '%' || search || '%' OR s.anonymous_label ILIKE '%' || search || '%'
          OR s.user_id = ANY (ARRAY(SELECT su.id FROM users su WHERE su.username ILIKE '%' || search || '%' OR su.email ILIKE '%' || search || '%')))
   ORDER BY s.launched_at DESC, s.id DESC
$$`;

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
  {
    name: "Q4a",
    description: "Session History: the admin's 50 newest sessions of the organization with totalCount, every row column, runner, user name, attachments",
    pool: "organization",
    sessiongraph: `query Q4a { sessions(first: 50) { totalCount totalCountIsExact nodes { ${HISTORY_ROW} } } }`,
    postgraphile: `query Q4a($id: UUID!) { sessions(first: 50, orderBy: [LAUNCHED_AT_DESC, ROW_ID_DESC], condition: { organizationId: $id, removed: false }) {
      totalCount nodes { ${HISTORY_ROW_PGL} } } }`,
    variables: { sessiongraph: () => ({}), postgraphile: (id) => ({ id }) },
    fingerprint: { sessiongraph: (d) => historyFingerprint.sessiongraph(d.sessions), postgraphile: (d) => historyFingerprint.postgraphile(d.sessions) },
    pgbench: null,
  },
  {
    name: "Q4b",
    description: "Q4a with a search (\"ab\") and a one-month date range",
    pool: "organization",
    sessiongraph: `query Q4b($filter: SessionFilter) { sessions(first: 50, filter: $filter) { totalCount totalCountIsExact nodes { ${HISTORY_ROW} } } }`,
    postgraphile: `query Q4b($id: UUID!, $search: String!, $from: Date!, $to: Date!) {
      benchSessionHistory(org: $id, search: $search, fromDay: $from, toDay: $to, first: 50) { totalCount nodes { ${HISTORY_ROW_PGL} } } }`,
    variables: {
      sessiongraph: () => ({ filter: { search: bench.search, dateRange: bench.month } }),
      postgraphile: (id) => ({ id, search: bench.search, from: bench.month.from, to: bench.month.to }),
    },
    fingerprint: {
      sessiongraph: (d) => historyFingerprint.sessiongraph(d.sessions),
      postgraphile: (d) => historyFingerprint.postgraphile(d.benchSessionHistory, sessionCounts.rowCountBound!({ search: bench.search })),
    },
    pgbench: null,
  },
  {
    name: "Q4c",
    description: "Session History of a DEVELOPER (own sessions): first page of 50 with totalCount, same row",
    pool: "developers",
    sessiongraph: `query Q4c { sessions(first: 50) { totalCount totalCountIsExact nodes { ${HISTORY_ROW} } } }`,
    postgraphile: `query Q4c($id: UUID!, $org: UUID!) { sessions(first: 50, orderBy: [LAUNCHED_AT_DESC, ROW_ID_DESC], condition: { organizationId: $org, userId: $id, removed: false }) {
      totalCount nodes { ${HISTORY_ROW_PGL} } } }`,
    variables: { sessiongraph: () => ({}), postgraphile: (id) => ({ id, org: bench.organizationId }) },
    fingerprint: { sessiongraph: (d) => historyFingerprint.sessiongraph(d.sessions), postgraphile: (d) => historyFingerprint.postgraphile(d.sessions) },
    pgbench: null,
  },
];

interface Load {
  rps: number;
  p50: number;
  p99: number;
  /** Statements sent to PostgreSQL per request, and (sessiongraph) the count it reports itself. */
  statements: { sent: number };
  /** Requests answered during the measured run. */
  completed: number;
  /**
   * CPU ms per request over the measured run: the server's process(es), the PostgreSQL backends
   * serving it, and the load generator (autocannon, in this process) driving it.
   */
  cpu: { server: number; postgres: number; client: number };
}

interface Server {
  name: string;
  url: string;
  headers: Record<string, string>;
  /** Headers for one request with pool id `id` (sessiongraph: the developer's own token for Q4c). */
  headersFor?(shape: Shape, id: string): Record<string, string>;
  query(shape: Shape): string;
  /** Statements the server process has sent to PostgreSQL so far. */
  statements(): Promise<number>;
  /** The server's process (a cluster's primary: its workers are found below it). */
  pid: number;
  /** The application_name its database connections carry. */
  applicationName: string;
}

const variablesOf = (server: Server, shape: Shape, id: string) =>
  shape.variables ? shape.variables[server.name === "PostGraphile" ? "postgraphile" : "sessiongraph"](id) : { id };

async function post(server: Server, shape: Shape, id: string): Promise<{ data?: any; errors?: unknown[]; extensions?: any }> {
  const query = server.query(shape);
  const variables = variablesOf(server, shape, id);
  const res = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...server.headers, ...server.headersFor?.(shape, id) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown[]; extensions?: any };
  if (!res.ok || body.errors) throw new Error(`${server.name} answered ${res.status}: ${JSON.stringify(body.errors ?? body)}`);
  return body;
}

const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)];

/** autocannon against one server with random ids from `ids` for `duration` seconds. */
function drive(server: Server, shape: Shape, ids: string[], duration: number): Promise<autocannon.Result> {
  const query = server.query(shape);
  return autocannon({
    url: `${server.url}/graphql`,
    connections: CONNECTIONS,
    duration,
    // A request slower than autocannon's default 10 s is still an answer (PostGraphile's count of 400,000 rows under load).
    timeout: 120,
    method: "POST",
    headers: { "content-type": "application/json", ...server.headers },
    requests: [{
      setupRequest: (request) => {
        const id = pick(ids);
        return { ...request, headers: { ...request.headers, ...server.headersFor?.(shape, id) }, body: JSON.stringify({ query, variables: variablesOf(server, shape, id) }) };
      },
    }],
  });
}

/** One measured round of the shape under load; SQL statements and CPU per request are counted over it (background work amortized). */
async function measureRound(db: BenchDatabase, server: Server, shape: Shape, ids: string[]): Promise<Load> {
  const before = await server.statements();
  const cpuBefore = await cpuOf(db, server);
  const clientBefore = process.cpuUsage();
  const result = await drive(server, shape, ids, DURATION);
  const client = process.cpuUsage(clientBefore);
  const cpuAfter = await cpuOf(db, server);
  const statements = { sent: ((await server.statements()) - before) / Math.max(1, result.requests.total) };
  if (result.errors || result.non2xx || result.timeouts) {
    throw new Error(`${server.name} ${shape.name}: ${result.errors} errors, ${result.non2xx} non-2xx, ${result.timeouts} timeouts`);
  }
  // Requests answered within the run; the average alone hides that none were.
  const completed = result.requests.total;
  const perRequest = (side: "server" | "postgres") => {
    let used = 0;
    // A process that exited during the run is left out; one that started during it counts from zero.
    for (const [pid, after] of cpuAfter[side]) if (after > 0) used += after - (cpuBefore[side].get(pid) ?? 0);
    return used / Math.max(1, completed);
  };
  return {
    rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, statements, completed,
    cpu: { server: perRequest("server"), postgres: perRequest("postgres"), client: (client.user + client.system) / 1000 / Math.max(1, completed) },
  };
}

/**
 * The req/s ratio to the peer that a gateway whose own process used no CPU would reach when the
 * cores are saturated: the peer's CPU per request (all three parts) over ours without the gateway's.
 */
function zeroCpuCeiling(ours: Load | null | undefined, peer: Load | null | undefined): number | null {
  if (!ours?.completed || !peer?.completed) return null;
  return (peer.cpu.server + peer.cpu.postgres + peer.cpu.client) / (ours.cpu.postgres + ours.cpu.client);
}


/** A server's rounds of one shape as one Load: medians of req/s and latencies; statements and CPU per request over all rounds. */
function combine(rounds: Load[]): Load {
  const completed = rounds.reduce((sum, r) => sum + r.completed, 0);
  const weighted = (value: (r: Load) => number) => rounds.reduce((sum, r) => sum + value(r) * r.completed, 0) / Math.max(1, completed);
  return {
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    statements: { sent: weighted((r) => r.statements.sent) },
    completed,
    cpu: { server: weighted((r) => r.cpu.server), postgres: weighted((r) => r.cpu.postgres), client: weighted((r) => r.cpu.client) },
  };
}

/**
 * CPU used so far by the server's processes and by the PostgreSQL backends serving it (found by
 * application_name; the database runs on this machine). Unlike req/s, CPU per request hardly
 * moves when other work shares the cores.
 */
async function cpuOf(db: BenchDatabase, server: Server): Promise<{ server: Map<number, number>; postgres: Map<number, number> }> {
  const backends: { pid: number }[] = await db.dataSource.query(`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, [server.applicationName]);
  return { server: cpuMs(processTree(server.pid)), postgres: cpuMs(backends.map((b) => b.pid)) };
}

/** Runs `command` with Node 24 from the npm registry (npx -p node@24), in bench/peer. */
const withNode24 = (command: string) => spawnSync("npx", ["-y", "-p", "node@24", "-c", command], { cwd: path.resolve("bench/peer"), encoding: "utf8" });

let node24Path: string | null = null;
/** Node 24's executable: what PostGraphile v5 needs (Node 22+), and what docker/Dockerfile deploys the gateway on. */
function node24(): string {
  if (node24Path) return node24Path;
  const which = withNode24("node -p process.execPath");
  if (which.status !== 0) throw new Error(`could not get Node 24 with npx -p node@24: ${which.stderr}`);
  return (node24Path = which.stdout.trim());
}

/**
 * PostGraphile's own package (bench/peer), installed on demand with Node 24's npm (the
 * gateway's install stays on Node 20 without engine warnings). Returns Node 24's executable.
 */
function preparePeer(): string {
  const peer = path.resolve("bench/peer");
  const installed = path.join(peer, "node_modules/.package-lock.json");
  const lock = path.join(peer, "package-lock.json");
  if (!fs.existsSync(installed) || fs.statSync(installed).mtimeMs < fs.statSync(lock).mtimeMs) {
    process.stderr.write("  installing the PostGraphile peer (bench/peer) with Node 24's npm...\n");
    const install = withNode24("npm install --no-audit --no-fund");
    if (install.status !== 0) throw new Error(`npm install in bench/peer failed: ${install.stderr}`);
  }
  return node24();
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
    pid: child.pid!,
    applicationName: "bench-postgraphile",
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
  if (!shape.pgbench || spawnSync("pgbench", ["--version"]).status !== 0) return null;
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
    return { result, others, load: loadAverage() };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Waits (up to 60 s) until no bench server's statement is running: requests still in flight when
 * a round ends (PostGraphile's counts of 400,000 rows take seconds) would run into the next
 * server's round.
 */
async function settle(db: BenchDatabase): Promise<void> {
  for (const began = Date.now(); Date.now() - began < 60_000; ) {
    const [row] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND application_name LIKE 'bench-%' AND pid <> pg_backend_pid()`,
    );
    if (row.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Developers drawn for Q4c, each with a DEVELOPER token of their own. */
const DEVELOPER_POOL = 100;

async function idPools(db: BenchDatabase, organizationId: string): Promise<{ pools: Record<Pool, string[]>; developerTokens: Map<string, string> }> {
  const companies = await db.dataSource.query(`SELECT id FROM companies WHERE organization_id = $1 ORDER BY id`, [organizationId]);
  // A stable sample: the same users every run.
  const users = await db.dataSource.query(`SELECT id FROM users WHERE organization_id = $1 ORDER BY md5(id::text) LIMIT $2`, [organizationId, USER_POOL]);
  const developers: { id: string }[] = await db.dataSource.query(
    `SELECT id FROM users WHERE organization_id = $1 AND role = 'DEVELOPER' ORDER BY md5(id::text) LIMIT $2`, [organizationId, DEVELOPER_POOL]);
  const developerTokens = new Map<string, string>();
  for (const { id } of developers) {
    const { secret } = await issueApiToken(db.dataSource.manager, {
      organizationId, ownerId: id, label: "bench developer", role: Role.DEVELOPER, expiresAt: new Date(Date.now() + 3_600_000),
    });
    developerTokens.set(id, secret);
  }
  return {
    pools: {
      companies: companies.map((r: { id: string }) => r.id),
      users: users.map((r: { id: string }) => r.id),
      organization: [organizationId],
      developers: developers.map((r) => r.id),
    },
    developerTokens,
  };
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A gateway process with `workers` workers, as a bench Server. */
async function startSessiongraph(db: BenchDatabase, workers: string, adminToken: string, developerTokens: Map<string, string>): Promise<Server & { stop(): Promise<void> }> {
  const gateway = await startGatewayProcess(
    withApplicationName(db.url, "bench-sessiongraph"),
    // Not EXPOSE_SQL_STATEMENT_COUNT: its per-request tally costs CPU; both servers are counted from outside.
    { WORKERS: workers, ...(process.env.BENCH_GATEWAY_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_GATEWAY_NODE_OPTIONS } : {}) },
    { execArgv: process.env.BENCH_GATEWAY_NODE_ARGS?.split(" ").filter(Boolean), countStatements: true, node: GATEWAY_NODE === "24" ? node24() : process.execPath },
  );
  return {
    name: `sessiongraph`,
    url: gateway.url,
    headers: { authorization: `Bearer ${adminToken}` },
    headersFor: (shape, id): Record<string, string> => (shape.pool === "developers" ? { authorization: `Bearer ${developerTokens.get(id)}` } : {}),
    query: (shape) => shape.sessiongraph,
    statements: () => gateway.statements(),
    pid: gateway.child.pid!,
    applicationName: "bench-sessiongraph",
    stop: () => gateway.stop(),
  };
}

async function main(): Promise<void> {
  const db = await openBenchDatabase();
  const stops: (() => Promise<void>)[] = [];
  try {
    const { organizationId, adminToken } = await benchData(db);
    bench.organizationId = organizationId;
    // Q4b's month: the last whole month of the data set.
    const [{ from, to }] = await db.dataSource.query(
      `SELECT to_char(m - interval '1 month', 'YYYY-MM-DD') AS from, to_char(m - interval '1 day', 'YYYY-MM-DD') AS to
         FROM (SELECT date_trunc('month', max(launched_at) AT TIME ZONE 'UTC') AS m FROM sessions WHERE organization_id = $1) x`,
      [organizationId],
    );
    bench.month = { from, to };
    await db.dataSource.query(HISTORY_FUNCTION);
    const { pools, developerTokens } = await idPools(db, organizationId);
    const shapes = SHAPE_LIST.filter((s) => SHAPES.includes(s.name));

    // PostGraphile first (it introspects the bench function), then the parity check against the first gateway.
    const postgraphile = await startPostGraphile(db.url);
    stops.push(() => postgraphile.stop());
    let sessiongraph = await startSessiongraph(db, WORKERS[0], adminToken, developerTokens);
    for (const shape of shapes) {
      const ids = pools[shape.pool];
      // Parity: the same input gives the same ids from both (a few ids, not only one).
      const sample = Array.from({ length: 5 }, () => pick(ids));
      for (const id of sample) {
        const a = shape.fingerprint.sessiongraph((await post(sessiongraph, shape, id)).data);
        const b = shape.fingerprint.postgraphile((await post(postgraphile, shape, id)).data);
        if (JSON.stringify(a) !== JSON.stringify(b)) {
          await sessiongraph.stop();
          throw new Error(`${shape.name}: sessiongraph and PostGraphile differ for ${id}:\n${JSON.stringify(a)}\n${JSON.stringify(b)}`);
        }
      }
      process.stderr.write(`  ${shape.name}: both servers return the same ids (and counts) for ${sample.length} inputs\n`);
    }

    type Results = Record<string, Load | null>;
    const results = new Map<string, Results>(shapes.map((s) => [s.name, {}]));
    /** Per shape and gateway: its req/s over PostGraphile's in each round (the two measured back to back). */
    const roundRatios = new Map<string, Record<string, number[]>>(shapes.map((s) => [s.name, {}]));
    const noise: string[] = [];
    const label = (workers: string) => `sessiongraph WORKERS=${workers}`;
    // Every server runs through the whole measurement (an idle one costs nothing), so their rounds
    // can alternate: this machine's speed drifts by tens of percent over minutes, and measuring
    // one server's shapes after the other's turned that drift into the ratio.
    const servers: { label: string; server: Server }[] = [];
    if (SERVERS.has("sessiongraph")) {
      servers.push({ label: label(WORKERS[0]), server: sessiongraph });
      for (const workers of WORKERS.slice(1)) {
        const gateway = await startSessiongraph(db, workers, adminToken, developerTokens);
        stops.push(() => gateway.stop());
        servers.push({ label: label(workers), server: gateway });
      }
    }
    stops.push(() => sessiongraph.stop());
    if (SERVERS.has("postgraphile")) servers.push({ label: "PostGraphile", server: postgraphile });
    for (const shape of shapes) {
      const ids = pools[shape.pool];
      for (const { label, server } of servers) {
        process.stderr.write(`  ${shape.name}: ${label} warm-up (${WARMUP} s)...\n`);
        if (WARMUP > 0) await drive(server, shape, ids, WARMUP);
      }
      const rounds = new Map<string, Load[]>(servers.map((s) => [s.label, []]));
      const loads = new Map<string, number[]>(servers.map((s) => [s.label, []]));
      let others = 0;
      for (let round = 0; round < ROUNDS; round++) {
        // Each round in another order, so no server always follows the same one.
        const order = servers.map((_, i) => servers[(i + round) % servers.length]);
        for (const { label, server } of order) {
          process.stderr.write(`  ${shape.name}: ${label} round ${round + 1}/${ROUNDS} (${DURATION} s)...\n`);
          const watched = await watchingNoise(db, () => measureRound(db, server, shape, ids));
          await settle(db);
          rounds.get(label)!.push(watched.result);
          loads.get(label)!.push(Number(watched.load));
          others = Math.max(others, watched.others);
        }
      }
      const pgl = rounds.get("PostGraphile");
      for (const { label } of servers) {
        results.get(shape.name)![label] = combine(rounds.get(label)!);
        if (pgl && label !== "PostGraphile") roundRatios.get(shape.name)![label] = rounds.get(label)!.map((r, i) => r.rps / pgl[i].rps);
        noise.push(`${shape.name} ${label}: load average ${loads.get(label)!.map((l) => l.toFixed(2)).join(", ")} (after each round), other active database sessions up to ${others}`);
      }
    }
    const alone = new Map<string, { tps: number; latencyMs: number } | null>();
    for (const shape of shapes) {
      const watched = SERVERS.has("postgres") ? await watchingNoise(db, async () => pgbench(db.url, shape, organizationId, pools[shape.pool])) : null;
      alone.set(shape.name, watched?.result ?? null);
      if (watched?.result) noise.push(`${shape.name} pgbench: load average ${watched.load}, other active database sessions up to ${watched.others}`);
    }

    const sql = (s: Load["statements"]) => fmt(s.sent, 1);
    const cells = (r: Load | null | undefined) =>
      !r ? "– | – | – | –" : r.completed === 0 ? `0 (none answered in ${DURATION} s) | – | – | –` : `${fmt(r.rps, r.rps < 10 ? 1 : 0)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${sql(r.statements)}`;
    /** The median of the rounds' ratios (each round's pair measured back to back). */
    const ratio = (shape: Shape, gateway: string) => {
      const r = results.get(shape.name)!;
      const [sg, pgl] = [r[gateway], r.PostGraphile];
      if (!sg || !pgl) return "–";
      if (pgl.completed === 0) return `> ${fmt(sg.completed)} (PostGraphile answered none)`;
      return median(roundRatios.get(shape.name)![gateway].filter(Number.isFinite)).toFixed(2);
    };
    const main = label(WORKERS[0]);
    console.log(`\nGraphQL shapes: ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION} s per server after a ${WARMUP} s warm-up, the servers' rounds alternating; random ids; req/s and latencies (ms) are the medians of the rounds, the ratio the median of the rounds' ratios; ${main} against PostGraphile v5 in one process (equal process count)\n`);
    for (const shape of shapes) console.log(`- ${shape.name}: ${shape.description}`);
    console.log(`\nQ4b: search "${bench.search}", ${bench.month.from} to ${bench.month.to}.`);
    console.log(`\n| shape | ${main} req/s | p50 | p99 | SQL/req | PostGraphile v5 req/s | p50 | p99 | SQL/req | sessiongraph / PostGraphile | PostgreSQL alone, 3 statements, tx/s (avg) |`);
    console.log("|---|---|---|---|---|---|---|---|---|---|---|");
    for (const shape of shapes) {
      const r = results.get(shape.name)!;
      const [sg, pgl] = [r[main], r.PostGraphile];
      const a = alone.get(shape.name);
      console.log(
        `| ${shape.name} | ${cells(sg)} | ${cells(pgl)} | ${ratio(shape, main)} | ` +
          `${a ? `${fmt(a.tps)} (${a.latencyMs.toFixed(1)} ms)` : shape.pgbench ? "– (no pgbench)" : "–"} |`,
      );
    }
    console.log(`\nReq/s of sessiongraph / PostGraphile one process, and (p99 ms sessiongraph vs PostGraphile):\n`);
    console.log(`| | ${shapes.map((s) => s.name).join(" | ")} |`);
    console.log(`|---|${shapes.map(() => "---|").join("")}`);
    for (const workers of WORKERS) {
      const row = shapes.map((shape) => {
        const r = results.get(shape.name)!;
        const [sg, pgl] = [r[label(workers)], r.PostGraphile];
        return sg && pgl ? `${ratio(shape, label(workers))} (${fmt(sg.p99)} vs ${pgl.completed ? fmt(pgl.p99) : "–"})` : "–";
      });
      console.log(`| sessiongraph WORKERS=${workers} / PostGraphile | ${row.join(" | ")} |`);
    }
    console.log(`\nCPU ms per request over the measured rounds (server process(es) + the PostgreSQL backends serving it + the load generator; /proc and process.cpuUsage):\n`);
    console.log(`| | ${shapes.map((s) => s.name).join(" | ")} |`);
    console.log(`|---|${shapes.map(() => "---|").join("")}`);
    for (const { label: server } of servers) {
      const row = shapes.map((shape) => {
        const r = results.get(shape.name)![server];
        return r ? `${r.cpu.server.toFixed(2)} + ${r.cpu.postgres.toFixed(2)} + ${r.cpu.client.toFixed(2)}` : "–";
      });
      console.log(`| ${server} | ${row.join(" | ")} |`);
    }
    console.log(`| cores busy, ${main} / PostGraphile (req/s × the three) | ${shapes.map((shape) => {
      const r = results.get(shape.name)!;
      return [r[main], r.PostGraphile].map((l) => (l ? ((l.rps * (l.cpu.server + l.cpu.postgres + l.cpu.client)) / 1000).toFixed(1) : "–")).join(" / ");
    }).join(" | ")} |`);
    console.log(`| ceiling: the ratio a gateway using no CPU would reach | ${shapes.map((shape) => {
      const ceiling = zeroCpuCeiling(results.get(shape.name)![main], results.get(shape.name)!.PostGraphile);
      return ceiling === null ? "–" : ceiling.toFixed(2);
    }).join(" | ")} |`);
    console.log(
      `\nWith the cores busy, req/s is about cores / CPU per request. The ceiling is PostGraphile's three parts over ${main}'s` +
        " PostgreSQL and load-generator parts alone: the ratio if sessiongraph's own process cost nothing, on this machine, where the" +
        " database and the load generator share the servers' cores.",
    );
    console.log("\nSQL/req: statements each server process sent to PostgreSQL during the measured run, per request (the same counter in both).");
    const [{ server_version: postgresVersion }] = await db.dataSource.query("SHOW server_version");
    console.log(`Machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, gateway on Node ${GATEWAY_NODE === "24" ? "24" : process.version} (BENCH_GATEWAY_NODE), PostGraphile on Node 24, PostgreSQL ${postgresVersion}`);
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
