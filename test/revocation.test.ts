/**
 * Revocation everywhere within 1 s (issue 18, item 2): two gateway processes on one database,
 * each remembering verified tokens for a minute (AUTH_CACHE_SECONDS=60). Revoking a token on one,
 * deleting its owner on one, or changing its owner's role in the database: within 1 s the other
 * process answers accordingly, though its cache entry would have lived another minute. And the
 * issue's own measurement, on one instance with WORKERS=2: 1 s after revokeApiToken, none of 20
 * requests on new connections (spread over both workers) still succeeds.
 */
import http from "node:http";
import { issueApiToken } from "../src/api-tokens";
import { Role } from "../src/access";
import { ErrorCode } from "../src/shared/errors";
import { DeleteUserDataDocument, RevokeApiTokenDocument, ViewerDocument } from "./generated/graphql";
import { GraphQLClient } from "./support/client";
import { startGatewayProcess, type GatewayProcess } from "./support/gateway-process";
import { useWorld } from "./support/world";

jest.setTimeout(120_000);
const t = useWorld({ sessionsPerUser: 1, activitiesPerSession: 0 });
const CHILD_ENV = { AUTH_CACHE_SECONDS: "60", AUTH_FAILURE_LIMIT: "0" };
let a: GatewayProcess;
let b: GatewayProcess;

beforeAll(async () => {
  // Both settle before either failure is thrown: a process that did start is stopped by afterAll.
  const [first, second] = await Promise.allSettled([startGatewayProcess(CHILD_ENV), startGatewayProcess(CHILD_ENV)]);
  if (first.status === "fulfilled") a = first.value;
  if (second.status === "fulfilled") b = second.value;
  for (const outcome of [first, second]) if (outcome.status === "rejected") throw outcome.reason;
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

async function developerToken(ownerId = t.world.users.developer.id, role = Role.DEVELOPER): Promise<{ id: string; secret: string }> {
  return await issueApiToken(t.gateway.dataSource.manager, { organizationId: t.world.organizationId, ownerId, label: "revocation", role });
}

const viewer = async (url: string, secret: string) => {
  const { body } = await new GraphQLClient(url, secret).request(ViewerDocument);
  return { role: body.data?.viewer.role ?? null, code: body.errors?.[0]?.extensions?.code ?? null };
};

/** Milliseconds until `url` answers `expected` for `secret` (polling every 10 ms); fails past 5 s. */
async function msUntil(url: string, secret: string, expected: { role: string | null; code: string | null }, since: number): Promise<number> {
  for (;;) {
    const answer = await viewer(url, secret);
    const elapsed = Date.now() - since;
    if (answer.role === expected.role && answer.code === expected.code) return elapsed;
    if (elapsed > 5000) throw new Error(`still ${JSON.stringify(answer)} after ${elapsed} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("revocation across gateway processes", () => {
  it("a token revoked on one process is refused by the other within 1 s (20 tries)", async () => {
    const delays: number[] = [];
    for (let i = 0; i < 20; i++) {
      const token = await developerToken();
      // Both processes now hold the token in their cache for a minute.
      expect(await viewer(a.url, token.secret)).toEqual({ role: "DEVELOPER", code: null });
      expect(await viewer(b.url, token.secret)).toEqual({ role: "DEVELOPER", code: null });
      const admin = new GraphQLClient(a.url, t.world.tokens.asAdmin);
      const revoked = await admin.data(RevokeApiTokenDocument, { id: token.id });
      const since = Date.now();
      expect(revoked.revokeApiToken.active).toBe(false);
      delays.push(await msUntil(b.url, token.secret, { role: null, code: ErrorCode.UNAUTHENTICATED }, since));
      expect(await viewer(a.url, token.secret)).toEqual({ role: null, code: ErrorCode.UNAUTHENTICATED });
    }
    console.log(`revocation reached the other process after max ${Math.max(...delays)} ms, median ${delays.sort((x, y) => x - y)[10]} ms (20 tries)`);
    expect(Math.max(...delays)).toBeLessThan(1000);
  });

  it("a changed owner role, written straight into the database, reaches both processes within 1 s", async () => {
    const owner = t.world.users.member2;
    await t.gateway.dataSource.query(`UPDATE users SET role = 'DEVELOPER' WHERE id = $1`, [owner.id]);
    // The token acts with the lower of its role and its owner's: demoting the owner lowers it.
    const token2 = await developerToken(owner.id, Role.DEVELOPER);
    expect(await viewer(a.url, token2.secret)).toEqual({ role: "DEVELOPER", code: null });
    expect(await viewer(b.url, token2.secret)).toEqual({ role: "DEVELOPER", code: null });
    await t.gateway.dataSource.query(`UPDATE users SET role = 'MEMBER' WHERE id = $1`, [owner.id]);
    const since = Date.now();
    expect(await msUntil(b.url, token2.secret, { role: "MEMBER", code: null }, since)).toBeLessThan(1000);
    expect(await msUntil(a.url, token2.secret, { role: "MEMBER", code: null }, since)).toBeLessThan(1000);
  });

  it("a listener whose connection drops reconnects, and revocations reach it again", async () => {
    const token = await developerToken();
    expect(await viewer(b.url, token.secret)).toEqual({ role: "DEVELOPER", code: null });
    const [{ terminated }] = await t.gateway.dataSource.query(
      `SELECT count(*)::int AS terminated FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1) x`,
      [`sessiongraph-listen-${b.child.pid}`],
    );
    expect(terminated).toBe(1);
    // Back within the first backoff step; then a revocation reaches it as before.
    const reconnected = Date.now();
    for (;;) {
      const [{ listening }] = await t.gateway.dataSource.query(`SELECT count(*)::int AS listening FROM pg_stat_activity WHERE application_name = $1`, [`sessiongraph-listen-${b.child.pid}`]);
      if (listening === 1) break;
      if (Date.now() - reconnected > 5000) throw new Error("the listener did not reconnect within 5 s");
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await viewer(b.url, token.secret)).toEqual({ role: "DEVELOPER", code: null });
    await new GraphQLClient(a.url, t.world.tokens.asAdmin).data(RevokeApiTokenDocument, { id: token.id });
    expect(await msUntil(b.url, token.secret, { role: null, code: ErrorCode.UNAUTHENTICATED }, Date.now())).toBeLessThan(1000);
  });

  it("a user deleted on one process loses their token on the other within 1 s", async () => {
    const owner = t.world.users.developer;
    const token = await developerToken(owner.id);
    expect(await viewer(b.url, token.secret)).toEqual({ role: "DEVELOPER", code: null });
    const deleted = await new GraphQLClient(a.url, t.world.tokens.asAdmin).data(DeleteUserDataDocument, { userId: owner.id });
    const since = Date.now();
    expect(deleted.deleteUserData.apiTokens).toBeGreaterThanOrEqual(1);
    expect(await msUntil(b.url, token.secret, { role: null, code: ErrorCode.UNAUTHENTICATED }, since)).toBeLessThan(1000);
  });
});

/** The viewer's role, or the error code, on a new connection (a cluster hands each to the next worker). */
function roleOnNewConnection(url: string, secret: string): Promise<string> {
  const target = new URL(`${url}/graphql`);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: target.hostname, port: target.port, path: "/graphql", method: "POST", agent: false,
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}` } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => {
        const body = JSON.parse(text) as { data?: { viewer: { role: string } }; errors?: { extensions: { code: string } }[] };
        resolve(body.data?.viewer.role ?? body.errors![0].extensions.code);
      });
    });
    req.on("error", reject);
    req.end(JSON.stringify({ query: "{ viewer { role } }" }));
  });
}

describe("revocation on WORKERS=2", () => {
  let cluster: GatewayProcess;
  beforeAll(async () => {
    cluster = await startGatewayProcess({ ...CHILD_ENV, WORKERS: "2" });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it("1 s after revokeApiToken, none of 20 requests on new connections succeeds", async () => {
    const token = await developerToken(t.world.users.member.id, Role.MEMBER);
    // Both workers cache the token.
    for (let i = 0; i < 20; i++) expect(await roleOnNewConnection(cluster.url, token.secret)).toBe("MEMBER");
    await new GraphQLClient(cluster.url, t.world.tokens.asAdmin).data(RevokeApiTokenDocument, { id: token.id });
    await new Promise((r) => setTimeout(r, 1000));
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push(await roleOnNewConnection(cluster.url, token.secret));
    expect(answers).toEqual(Array(20).fill(ErrorCode.UNAUTHENTICATED));
  });
});
