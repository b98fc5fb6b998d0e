/**
 * No N+1: a page of sessions with user, user.company and company costs the same number of SQL
 * statements for 1 row as for 500. Counts come from the gateway's own per-request tally.
 */
import { insertRows } from "../src/db/insert";
import { SessionsWithRelationsDocument } from "./generated/graphql";
import { useWorld } from "./support/world";

const t = useWorld({ sessionsPerUser: 1, activitiesPerSession: 1 });

beforeAll(async () => {
  // 50 users over 5 companies with 10 sessions each: 500 sessions, all relations distinct.
  const m = t.gateway.dataSource.manager;
  const companyIds = await insertRows(m, "companies", Array.from({ length: 5 }, (_, i) => ({ organization_id: t.world.organizationId, name: `N+1 company ${i}` })));
  const userIds = await insertRows(m, "users", Array.from({ length: 50 }, (_, i) => ({
    organization_id: t.world.organizationId, company_id: companyIds[i % 5], first_name: `U${i}`, last_name: "Load",
    email: `load${i}.${t.world.organizationId}@example.test`, username: `load${i}_${t.world.organizationId}`, role: "MEMBER",
  })));
  await insertRows(m, "sessions", Array.from({ length: 500 }, (_, i) => ({
    organization_id: t.world.organizationId, user_id: userIds[i % 50], company_id: companyIds[i % 5], status: "COMPLETED",
    launched_at: new Date(Date.parse("2026-07-01T00:00:00Z") - i * 60_000),
  })));
});

async function statementsFor(first: number): Promise<{ statements: number; rows: number }> {
  const { body } = await t.world.clients.asAdmin.request(SessionsWithRelationsDocument, { first });
  expect(body.errors).toBeUndefined();
  for (const node of body.data!.sessions.nodes) {
    expect(node.user?.company?.id).toBe(node.company?.id);
  }
  return { statements: body.extensions!.sqlStatements!, rows: body.data!.sessions.nodes.length };
}

describe("SQL statements per request", () => {
  it("are the same for a page of 1 and a page of 500 sessions with user, user.company and company", async () => {
    const one = await statementsFor(1);
    const five = await statementsFor(500);
    expect(one.rows).toBe(1);
    expect(five.rows).toBe(500);
    expect(five.statements).toBe(one.statements);
    // API token lookup, and the page with each session's user and company folded in (the users'
    // companies are among the sessions' companies, which the folded rows primed).
    expect(five.statements).toBe(2);
  });

  it("are the same for 1 and 50 users each with their sessions, activities and company", async () => {
    const query = `query ($first: Int) {
      users(first: $first) {
        nodes { id company { name } sessions(first: 10) { totalCount nodes { id company { id } } } activities(first: 5) { nodes { id } } }
      }
    }`;
    const count = async (first: number) => {
      const { body } = await t.world.clients.asAdmin.raw<{ users: { nodes: unknown[] } }>({ query, variables: { first } });
      expect(body.errors).toBeUndefined();
      expect(body.data!.users.nodes.length).toBe(first);
      return body.extensions!.sqlStatements!;
    };
    const [one, fifty] = [await count(1), await count(50)];
    expect(fifty).toBe(one);
    // token, users page, companies, sessions pages (one LATERAL), session counts, activities pages.
    expect(fifty).toBe(6);
  });
});
