/**
 * The normalised SQL of the hot paths, as snapshots: a change of statement shape (an extra
 * statement, a lost predicate, a different index-friendly comparison) shows up in review.
 */
import { recordStatements } from "../src/db/statement-counter";
import { useWorld, type World } from "./support/world";

const t = useWorld({ sessionsPerUser: 2 });


const normalise = (sql: string) => sql.replace(/\s+/g, " ").trim();

async function sqlOf(client: World["clients"]["asAdmin"], query: string, variables: Record<string, unknown> = {}): Promise<string[]> {
  const recorder = recordStatements();
  try {
    const { body } = await client.raw({ query, variables });
    expect(body.errors).toBeUndefined();
  } finally {
    recorder.stop();
  }
  // The API token's last-use bookkeeping runs outside the request, at most once a minute.
  return recorder.statements.map(normalise).filter((s) => !s.startsWith("UPDATE api_tokens SET last_used_at"));
}

describe("SQL of hot paths", () => {
  it("sessions page with user, user.company and company, as an admin", async () => {
    const page1 = await t.world.clients.asAdmin.raw<{ sessions: { pageInfo: { endCursor: string } } }>({ query: "{ sessions(first: 1) { pageInfo { endCursor } } }" });
    const sql = await sqlOf(t.world.clients.asAdmin, `query ($after: String) {
      sessions(first: 2, after: $after, filter: { statuses: [COMPLETED] }) { totalCount nodes { id user { name company { name } } company { name } } }
    }`, { after: page1.body.data!.sessions.pageInfo.endCursor });
    expect(sql).toMatchSnapshot();
  });

  it("sessions page as a member (the ownership predicate is in every statement)", async () => {
    const sql = await sqlOf(t.world.clients.asMember, "{ sessions(first: 2) { nodes { id user { name } attachments { id } } } }");
    expect(sql).toMatchSnapshot();
    for (const statement of sql.slice(1)) expect(statement).toMatch(/organization_id = \$\d+::uuid/);
  });

  it("Session History page (bench Q4a): row columns, runner, user name, attachments, totalCount from the counters", async () => {
    const sql = await sqlOf(t.world.clients.asAdmin, `{
      sessions(first: 50) { totalCount totalCountIsExact nodes {
        id launchedAt status appId appName appGroup appBuild deviceType deviceModel osName osVersion
        queueSeconds durationSeconds inProgress runner { kind label } user { id name } attachments { id kind fileName available } } }
    }`);
    expect(sql).toMatchSnapshot();
  });

  it("a company with users, each with their newest sessions", async () => {
    const sql = await sqlOf(t.world.clients.asAdmin, `query ($id: ID!) {
      company(id: $id) { name users(first: 20) { nodes { name sessions(first: 10) { totalCount nodes { id } } } } }
    }`, { id: t.world.companies.alpha });
    expect(sql).toMatchSnapshot();
  });
});

/** Profile loaders dispatch side by side, so their statements may start in any order: compare them sorted. */
const inAnyOrder = (sql: string[]) => [...sql].sort();

describe("SQL of profiles", () => {
  it("a company's profile with top lists, and its users' profiles (one statement per batch)", async () => {
    const sql = await sqlOf(t.world.clients.asAdmin, `query ($id: ID!) {
      company(id: $id) {
        profile(period: { range: { from: "2026-05-01", to: "2026-06-30" }, timeZone: "Europe/Paris" }) {
          userCount totalEvents sessionCount averageSessionSeconds
          topEvents(first: 5, search: "view") { category action count }
          topPages(first: 5) { title views }
        }
        users(first: 20) { nodes { profile(period: { preset: LAST_90_DAYS }) { totalEvents sessionCount averageSessionSeconds topEvents { count } topPages { views } } } }
      }
    }`, { id: t.world.companies.alpha });
    expect(inAnyOrder(sql)).toMatchSnapshot();
  });

  it("a member's own profile (the ownership predicate is in every statement)", async () => {
    const sql = await sqlOf(t.world.clients.asMember, `query ($id: ID!) {
      user(id: $id) { profile(period: { preset: ALL_TIME }) { totalEvents sessionCount averageSessionSeconds topEvents { count } topPages { views } } }
    }`, { id: t.world.users.member.id });
    expect(inAnyOrder(sql)).toMatchSnapshot();
    for (const statement of sql.slice(1)) expect(statement).toMatch(/organization_id = \$\d+::uuid AND \w+\.(user_id|id) = \$\d+::uuid/);
  });
});
