/**
 * GET /metrics (issue 18, item 4) over real HTTP: Prometheus text with requests by operation and
 * outcome, latency, errors by code, SQL statements per request, pool and export figures; a bearer
 * METRICS_TOKEN (wrong or missing: 401 JSON) or a METRICS_PORT of its own; operation-name labels
 * capped; and with WORKERS=2 the instance's figures, whichever worker answers the scrape.
 */
import http from "node:http";
import { ErrorCode } from "../src/shared/errors";
import { ExportByIdDocument, ExportSessionsDocument, ViewerDocument } from "./generated/graphql";
import { GraphQLClient } from "./support/client";
import { finished } from "./support/exports";
import { startTestGateway, type TestGateway } from "./support/gateway";
import { startGatewayProcess, type GatewayProcess } from "./support/gateway-process";
import { freePort } from "../src/db/embedded-postgres";
import { useDatabaseClient } from "./support/database";
import { useWorld } from "./support/world";

jest.setTimeout(120_000);
const TOKEN = "metrics-token-for-tests-0123456789";
const database = useDatabaseClient();
const t = useWorld({ sessionsPerUser: 2, activitiesPerSession: 1 }, { metricsToken: TOKEN, metricsMaxOperations: 5 });

interface Sample { name: string; labels: Record<string, string>; value: number }

/** The samples of a Prometheus text exposition (one `name{labels} value` per line). */
function samples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value;
    out.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return out;
}
const value = (all: Sample[], name: string, labels: Record<string, string> = {}) =>
  all.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);

async function scrape(url: string, token: string | null = TOKEN): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(`${url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
}

/** Polls `check` until it passes or `ms` run out. */
async function within<T>(ms: number, check: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** POST /graphql on a new connection each time (a cluster hands each connection to the next worker). */
function postOnNewConnection(url: string, token: string, body: unknown): Promise<number> {
  const target = new URL(`${url}/graphql`);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: target.hostname, port: target.port, path: "/graphql", method: "POST", agent: false,
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode!));
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

describe("GET /metrics with METRICS_TOKEN", () => {
  it("refuses a missing or wrong token with 401 JSON, no metrics in it", async () => {
    for (const token of [null, "wrong", `${TOKEN}x`]) {
      const answer = await scrape(t.gateway.url, token);
      expect(answer.status).toBe(401);
      expect(answer.type).toMatch(/application\/json/);
      expect(JSON.parse(answer.text).errors[0].extensions.code).toBe(ErrorCode.UNAUTHENTICATED);
      expect(answer.text).not.toContain("sessiongraph_");
    }
  });

  it("counts requests by operation and outcome, latency, errors by code and statements per request", async () => {
    const before = samples((await scrape(t.gateway.url)).text);
    const admin = t.world.clients.asAdmin;
    for (let i = 0; i < 3; i++) await admin.data(ViewerDocument);
    await admin.raw({ query: "{ viewer { role } }" });
    // Refused while making the context (a bad token): counted with its operation name.
    await new GraphQLClient(t.gateway.url, "sg_wrong").raw({ query: "query Viewer { viewer { role } }", operationName: "Viewer" });
    // A validation error, and a resolver error with data (partial).
    await admin.raw({ query: "query Broken { nope }" });
    await admin.raw({ query: "query Partial { viewer { role } session(id: \"not-a-uuid\") { id } }" });

    const scraped = await scrape(t.gateway.url);
    expect(scraped.status).toBe(200);
    expect(scraped.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const after = samples(scraped.text);
    const delta = (name: string, labels: Record<string, string> = {}) => value(after, name, labels) - value(before, name, labels);
    expect(delta("sessiongraph_graphql_requests_total", { operation: "Viewer", outcome: "success" })).toBe(3);
    expect(delta("sessiongraph_graphql_requests_total", { operation: "Viewer", outcome: "error" })).toBe(1);
    expect(delta("sessiongraph_graphql_requests_total", { operation: "anonymous", outcome: "success" })).toBe(1);
    expect(delta("sessiongraph_graphql_requests_total", { operation: "Broken", outcome: "error" })).toBe(1);
    expect(delta("sessiongraph_graphql_errors_total", { code: ErrorCode.UNAUTHENTICATED })).toBe(1);
    expect(delta("sessiongraph_graphql_errors_total", { code: "GRAPHQL_VALIDATION_FAILED" })).toBe(1);
    const partial = delta("sessiongraph_graphql_requests_total", { operation: "Partial", outcome: "partial" }) + delta("sessiongraph_graphql_requests_total", { operation: "Partial", outcome: "error" });
    expect(partial).toBe(1);
    expect(delta("sessiongraph_graphql_request_duration_seconds_count", { operation: "Viewer" })).toBe(4);
    expect(delta("sessiongraph_graphql_request_duration_seconds_sum", { operation: "Viewer" })).toBeGreaterThan(0);
    // Every request with a context ran SQL (its token lookup at least); the histogram saw each.
    expect(delta("sessiongraph_graphql_sql_statements_count")).toBe(7);
    expect(delta("sessiongraph_graphql_sql_statements_sum")).toBeGreaterThanOrEqual(6);
    for (const state of ["in_use", "idle", "waiting"]) expect(after.some((s) => s.name === "sessiongraph_db_pool_connections" && s.labels.state === state)).toBe(true);
    expect(value(after, "sessiongraph_db_pool_connections", { state: "idle" }) + value(after, "sessiongraph_db_pool_connections", { state: "in_use" })).toBeGreaterThan(0);
    expect(after.some((s) => s.name === "process_cpu_user_seconds_total")).toBe(true);
  });

  it("keeps operation-name labels bounded: past METRICS_MAX_OPERATIONS names count as other, odd names as invalid", async () => {
    const admin = t.world.clients.asAdmin;
    for (let i = 0; i < 20; i++) await admin.raw({ query: `query Op${i} { viewer { role } }` });
    await admin.raw({ query: "query X { viewer { role } }", operationName: "no such name; with spaces" });
    const after = samples((await scrape(t.gateway.url)).text);
    const operations = new Set(after.filter((s) => s.name === "sessiongraph_graphql_requests_total").map((s) => s.labels.operation));
    const named = [...operations].filter((op) => !["other", "anonymous", "invalid"].includes(op));
    expect(named.length).toBeLessThanOrEqual(5);
    expect(value(after, "sessiongraph_graphql_requests_total", { operation: "other" })).toBeGreaterThanOrEqual(15);
    expect(value(after, "sessiongraph_graphql_requests_total", { operation: "invalid" })).toBe(1);
  });

  // Webhook deliveries: test/webhooks/webhooks.test.ts (only that file's gateway delivers webhooks).
  it("counts export jobs by state and the rows and bytes exported", async () => {
    // The counters are the instance's: they move with every export its queue completes. Only
    // this test's export may complete in the window, so the scrapes wait for an idle queue.
    await within(30_000, async () => expect(await exportsOfQueue("active")).toEqual([]));
    const before = samples((await scrape(t.gateway.url)).text);
    const admin = t.world.clients.asAdmin;
    const { exportSessions } = await admin.data(ExportSessionsDocument, {});
    const done = await finished(async () => (await admin.data(ExportByIdDocument, { id: exportSessions.id })).export!);
    expect(done.status).toBe("COMPLETED");
    // The row turns COMPLETED before the runner counts the file: the scrape may come in between.
    const after = await within(5_000, async () => {
      const scraped = samples((await scrape(t.gateway.url)).text);
      expect(value(scraped, "sessiongraph_export_jobs", { state: "COMPLETED" })).toBeGreaterThanOrEqual(1);
      expect(value(scraped, "sessiongraph_export_rows_total")).toBeGreaterThan(value(before, "sessiongraph_export_rows_total"));
      return scraped;
    });
    expect(await exportsOfQueue("completed")).toEqual([exportSessions.id]);
    expectExportFigures(before, after, done);
  });
});

/** Exports of the world gateway's queue that are queued or running, or that completed since the file began. */
async function exportsOfQueue(which: "active" | "completed"): Promise<string[]> {
  const condition = which === "active" ? `status IN ('QUEUED', 'RUNNING')` : `status = 'COMPLETED'`;
  const { rows } = await database().query(`SELECT id FROM exports WHERE queue = $1 AND ${condition} ORDER BY id`, [t.gateway.exportJobs.name]);
  return rows.map((row: { id: string }) => row.id);
}

/** A completed export `done` shows in the figures between two scrapes. */
function expectExportFigures(before: Sample[], after: Sample[], done: { rowCount?: number | null; bytes?: unknown }): void {
  expect(value(after, "sessiongraph_export_rows_total") - value(before, "sessiongraph_export_rows_total")).toBe(done.rowCount);
  expect(value(after, "sessiongraph_export_bytes_total") - value(before, "sessiongraph_export_bytes_total")).toBe(Number(done.bytes));
  // Every state is reported, 0 included, so a dashboard's series exist before the first one happens.
  expect(after.some((s) => s.name === "sessiongraph_export_jobs" && s.labels.state === "CANCELED")).toBe(true);
}

describe("METRICS_PORT", () => {
  let gateway: TestGateway;
  let metricsPort: number;
  beforeAll(async () => {
    metricsPort = await freePort();
    gateway = await startTestGateway({ metricsPort });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it("serves /metrics on its own port without a token, and not on the main port", async () => {
    expect((await scrape(gateway.url, null)).status).toBe(404);
    const own = await scrape(`http://127.0.0.1:${metricsPort}`, null);
    expect(own.status).toBe(200);
    expect(own.text).toContain("sessiongraph_graphql_requests_total");
    const other = await fetch(`http://127.0.0.1:${metricsPort}/graphql`);
    expect(other.status).toBe(404);
    expect(((await other.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe(ErrorCode.NOT_FOUND);
  });
});

describe("WORKERS=2", () => {
  let cluster: GatewayProcess;
  let metricsPort: number;
  beforeAll(async () => {
    metricsPort = await freePort();
    cluster = await startGatewayProcess({ WORKERS: "2", METRICS_TOKEN: TOKEN, METRICS_PORT: String(metricsPort), AUTH_FAILURE_LIMIT: "0" });
  });
  afterAll(async () => {
    const code = await cluster?.stop();
    expect({ code, output: code === 0 ? "" : cluster.output() }).toEqual({ code: 0, output: "" });
  });

  it("reports the instance's requests, on the main port (any worker) and on METRICS_PORT (the primary)", async () => {
    const requests = 20;
    for (let i = 0; i < requests; i++) expect(await postOnNewConnection(cluster.url, t.world.tokens.asAdmin, { query: "query Counted { viewer { role } }" })).toBe(200);
    const viaWorkers = await Promise.all([1, 2, 3, 4].map(() => scrape(cluster.url)));
    for (const scraped of viaWorkers) {
      expect(scraped.status).toBe(200);
      expect(value(samples(scraped.text), "sessiongraph_graphql_requests_total", { operation: "Counted" })).toBe(requests);
    }
    const viaPrimary = samples((await scrape(`http://127.0.0.1:${metricsPort}`)).text);
    expect(value(viaPrimary, "sessiongraph_graphql_requests_total", { operation: "Counted" })).toBe(requests);
    // The primary cluster schedules connections round-robin: each worker alone saw about half.
    expect((await scrape(`http://127.0.0.1:${metricsPort}`, "wrong")).status).toBe(401);
  });
});
