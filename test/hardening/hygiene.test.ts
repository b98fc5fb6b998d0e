/**
 * Error hygiene and what the schema reveals: a cancelled (too slow) query is answered without
 * SQL or server text and logged with the request id; suggestions are hidden from callers
 * without credentials; with NODE_ENV=production, introspection is for admins and developers.
 */
import pg from "pg";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { buildWorld, useWorld, type World } from "../support/world";
import { expectRefused, expectServing, leakIn, postJson } from "./hostile";

const t = useWorld({ sessionsPerUser: 1 }, { statementTimeoutMs: 1000 });
const INTROSPECTION = "{ __schema { queryType { name } types { name } } }";

describe("a query past statement_timeout", () => {
  it("is cancelled and answered with a masked error, while other requests are served", async () => {
    const sessionId = t.world.sessions.member[0];
    await t.gateway.dataSource.query(`UPDATE sessions SET status = 'PENDING' WHERE id = $1`, [sessionId]);
    const locker = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await locker.connect();
    try {
      // Hold the session's row lock so the cancel waits past the 1 s statement timeout.
      await locker.query("BEGIN");
      await locker.query("SELECT id FROM sessions WHERE id = $1 FOR UPDATE", [sessionId]);
      const started = Date.now();
      const slow = postJson(t.gateway.url, { query: `mutation { cancelSession(id: "${sessionId}") { id status } }` }, t.world.tokens.asAdmin);
      // Meanwhile the gateway keeps answering others.
      await expectServing(t.gateway.url, t.world.tokens.asMember);
      const answer = await slow;
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(900);
      expect(elapsed).toBeLessThan(10_000);
      const message = expectRefused("statement timeout", answer, 200, "INTERNAL_SERVER_ERROR");
      const requestId = answer.json!.errors![0].extensions!.requestId as string;
      expect(message).toBe(`The query took too long and was cancelled (request ${requestId}).`);
      const logged = t.gateway.logs.map((l) => JSON.parse(l)).find((l) => l.requestId === requestId);
      expect(logged?.error?.message).toMatch(/statement timeout/);
    } finally {
      await locker.query("ROLLBACK").catch(() => undefined);
      await locker.end();
    }
    // The row was left as it was, and the gateway serves the same mutation once the lock is gone.
    const again = await postJson(t.gateway.url, { query: `mutation { cancelSession(id: "${sessionId}") { id } }` }, t.world.tokens.asAdmin);
    expect(leakIn(again.text)).toBeNull();
    expect(again.json?.data).toEqual({ cancelSession: { id: sessionId } });
  });
});

describe("field suggestions", () => {
  const typo = { query: "{ sesions { totalCount } }" };

  it("are hidden from callers without credentials", async () => {
    const message = expectRefused("typo, anonymous", await postJson(t.gateway.url, typo, null), 400, "GRAPHQL_VALIDATION_FAILED");
    expect(message).toBe('Cannot query field "sesions" on type "Query".');
  });

  it("are kept for authenticated callers", async () => {
    const answer = await postJson(t.gateway.url, typo, t.world.tokens.asMember);
    expect(answer.json?.errors?.[0]?.message).toMatch(/Did you mean "sessions"/);
  });
});

describe("introspection", () => {
  it("is open in development, even without credentials", async () => {
    const answer = await postJson(t.gateway.url, { query: INTROSPECTION }, null);
    expect(answer.status).toBe(200);
    expect((answer.json?.data as { __schema: { queryType: { name: string } } }).__schema.queryType.name).toBe("Query");
  });

  describe("with NODE_ENV=production", () => {
    let prod: TestGateway;
    let world: World;
    beforeAll(async () => {
      prod = await startTestGateway({ nodeEnv: "production" });
      world = await buildWorld(prod.dataSource, prod.url, { sessionsPerUser: 1 });
    });
    afterAll(async () => {
      await prod?.close();
    });

    it("answers admins and developers", async () => {
      for (const token of [world.tokens.asAdmin, world.tokens.asDeveloper]) {
        const answer = await postJson(prod.url, { query: INTROSPECTION }, token);
        expect(answer.json?.errors).toBeUndefined();
        expect((answer.json?.data as { __schema: { types: unknown[] } }).__schema.types.length).toBeGreaterThan(10);
      }
    });

    it("refuses members (FORBIDDEN) and callers without credentials (UNAUTHENTICATED)", async () => {
      expectRefused("introspection as member", await postJson(prod.url, { query: INTROSPECTION }, world.tokens.asMember), 403, "FORBIDDEN");
      expectRefused("introspection anonymous", await postJson(prod.url, { query: INTROSPECTION }, null), 401, "UNAUTHENTICATED");
      expectRefused("__type as member", await postJson(prod.url, { query: '{ __type(name: "Session") { fields { name } } }' }, world.tokens.asMember), 403, "FORBIDDEN");
      const viaFragment = "query { ...F } fragment F on Query { __schema { types { name } } }";
      expectRefused("introspection via fragment", await postJson(prod.url, { query: viaFragment }, world.tokens.asMember), 403, "FORBIDDEN");
    });

    it("still lets everyone ask for __typename", async () => {
      const answer = await postJson(prod.url, { query: "{ __typename viewer { role } }" }, world.tokens.asMember);
      expect(answer.json?.data).toEqual({ __typename: "Query", viewer: { role: "MEMBER" } });
    });
  });
});
