/**
 * Walking a connection page by page returns every row exactly once, in the stated order,
 * also when rows share the sort timestamp; the expected order comes from plain SQL.
 */
import { insertRows } from "../src/db/insert";
import { ActivityIdsDocument, SessionIdsDocument, UserIdsDocument } from "./generated/graphql";
import { useWorld } from "./support/world";
import type { GraphQLClient } from "./support/client";

const t = useWorld({ sessionsPerUser: 0, activitiesPerSession: 0 });

beforeAll(async () => {
  const m = t.gateway.dataSource.manager;
  const u = t.world.users.admin;
  // 23 sessions over 5 distinct instants: ties everywhere.
  const sessionIds = await insertRows(m, "sessions", Array.from({ length: 23 }, (_, i) => ({
    organization_id: u.organizationId, user_id: u.id, company_id: u.companyId, status: "PENDING",
    launched_at: new Date(Date.parse("2026-05-01T10:00:00.000Z") + (i % 5) * 1000),
  })));
  await insertRows(m, "activities", Array.from({ length: 17 }, (_, i) => ({
    organization_id: u.organizationId, user_id: u.id, company_id: u.companyId, session_id: sessionIds[0],
    occurred_at: new Date(Date.parse("2026-05-01T10:00:00.000Z") + (i % 3) * 1000), category: "Page", action: "View",
  })));
  // Users sharing first and last names.
  await insertRows(m, "users", Array.from({ length: 9 }, (_, i) => ({
    organization_id: u.organizationId, company_id: u.companyId, first_name: i % 2 ? "Sam" : "Alex", last_name: "Same",
    email: `same${i}.${u.organizationId}@example.test`, username: `same${i}_${u.organizationId}`, role: "MEMBER",
  })));
});

type Doc = typeof SessionIdsDocument | typeof UserIdsDocument | typeof ActivityIdsDocument;

async function walk(client: GraphQLClient, document: Doc, first: number): Promise<{ ids: string[]; pages: number; totalCounts: Set<number> }> {
  const ids: string[] = [];
  const totalCounts = new Set<number>();
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const { body } = await client.request(document as typeof SessionIdsDocument, { first, after });
    expect(body.errors).toBeUndefined();
    const connection = Object.values(body.data!)[0] as unknown as { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes?: { id: string }[]; edges?: { node: { id: string } }[] };
    const nodes = connection.nodes ?? connection.edges!.map((e) => e.node);
    expect(nodes.length).toBeLessThanOrEqual(first);
    ids.push(...nodes.map((n) => n.id));
    totalCounts.add(connection.totalCount);
    pages++;
    if (!connection.pageInfo.hasNextPage) return { ids, pages, totalCounts };
    expect(connection.pageInfo.endCursor).toBeTruthy();
    after = connection.pageInfo.endCursor;
  }
}

const sqlOrder = async (sql: string, organizationId: string): Promise<string[]> =>
  (await t.gateway.dataSource.query(sql, [organizationId])).map((r: { id: string }) => r.id);

describe("keyset pagination", () => {
  it.each([1, 2, 3, 7, 50])("walks sessions newest first in pages of %i, each row once", async (first) => {
    const expected = await sqlOrder(`SELECT id FROM sessions WHERE organization_id = $1 AND NOT removed ORDER BY launched_at DESC, id DESC`, t.world.organizationId);
    const { ids, totalCounts } = await walk(t.world.clients.asAdmin, SessionIdsDocument, first);
    expect(ids).toEqual(expected);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...totalCounts]).toEqual([expected.length]);
  });

  it.each([1, 4])("walks activities newest first in pages of %i", async (first) => {
    const expected = await sqlOrder(`SELECT id FROM activities WHERE organization_id = $1 ORDER BY occurred_at DESC, id DESC`, t.world.organizationId);
    expect((await walk(t.world.clients.asAdmin, ActivityIdsDocument, first)).ids).toEqual(expected);
  });

  it.each([1, 4])("walks users by last name, first name in pages of %i", async (first) => {
    const expected = await sqlOrder(`SELECT id FROM users WHERE organization_id = $1 ORDER BY last_name, first_name, id`, t.world.organizationId);
    expect((await walk(t.world.clients.asAdmin, UserIdsDocument, first)).ids).toEqual(expected);
  });

  it("answers an empty last page when first is 0, with the count", async () => {
    const { body } = await t.world.clients.asAdmin.request(SessionIdsDocument, { first: 0 });
    expect(body.data!.sessions.edges).toEqual([]);
    expect(body.data!.sessions.totalCount).toBe(23);
    expect(body.data!.sessions.pageInfo.hasNextPage).toBe(true);
  });

  it("refuses cursors that are malformed or belong to another list", async () => {
    const users = await t.world.clients.asAdmin.request(UserIdsDocument, { first: 1 });
    const userCursor = users.body.data!.users.pageInfo.endCursor!;
    for (const after of ["garbage", userCursor, Buffer.from('["sessions","not a date","x"]').toString("base64url")]) {
      const { body } = await t.world.clients.asAdmin.request(SessionIdsDocument, { first: 2, after });
      expect(body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
      expect(body.errors?.[0].message).toMatch(/cursor/);
    }
  });

  it("caps the page size at 500 and refuses negative sizes", async () => {
    for (const first of [501, -1]) {
      const { body } = await t.world.clients.asAdmin.request(SessionIdsDocument, { first });
      expect(body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
      expect(body.errors?.[0].message).toMatch(/first/);
    }
  });
});

describe("first: 0", () => {
  const query = `query($f: SessionFilter) { sessions(first: 0, filter: $f) { totalCount nodes { id } pageInfo { hasNextPage endCursor } }
    user(id: "${"$"}{USER}") { sessions(first: 0) { totalCount pageInfo { hasNextPage } } } }`;
  const run = (filter: object) =>
    t.world.clients.asAdmin.raw<{ sessions: { totalCount: number; nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }; user: { sessions: { totalCount: number; pageInfo: { hasNextPage: boolean } } } }>({
      query: query.replace("${USER}", t.world.users.admin.id),
      variables: { f: filter },
    });

  it("counts without fetching rows: no nodes, hasNextPage from the count, one statement per count", async () => {
    const { body } = await run({});
    expect(body.errors).toBeUndefined();
    expect(body.data!.sessions).toEqual({ totalCount: 23, nodes: [], pageInfo: { hasNextPage: true, endCursor: null } });
    expect(body.data!.user.sessions).toEqual({ totalCount: 23, pageInfo: { hasNextPage: true } });
    // Token, the list's count, and the user with its nested count folded in: no row queries.
    expect(body.extensions!.sqlStatements).toBe(3);
  });

  it("answers hasNextPage false when nothing matches", async () => {
    const { body } = await run({ search: "nothing matches this" });
    expect(body.data!.sessions).toEqual({ totalCount: 0, nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});
