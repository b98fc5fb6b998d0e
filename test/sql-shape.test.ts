/**
 * The normalised SQL of the hot paths, as snapshots: a change of statement shape (an extra
 * statement, a lost predicate, a different index-friendly comparison) shows up in review.
 */
import { recordStatements } from "../src/db/statement-counter";
import { startTestGateway } from "./support/gateway";
import { buildWorld, type World } from "./support/world";

let gateway: Awaited<ReturnType<typeof startTestGateway>>;
let world: World;

beforeAll(async () => {
  gateway = await startTestGateway();
  world = await buildWorld(gateway.dataSource, gateway.url, { sessionsPerUser: 2 });
});
afterAll(async () => {
  await gateway.close();
});

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
    const page1 = await world.clients.asAdmin.raw<{ sessions: { pageInfo: { endCursor: string } } }>({ query: "{ sessions(first: 1) { pageInfo { endCursor } } }" });
    const sql = await sqlOf(world.clients.asAdmin, `query ($after: String) {
      sessions(first: 2, after: $after, filter: { statuses: [COMPLETED] }) { totalCount nodes { id user { name company { name } } company { name } } }
    }`, { after: page1.body.data!.sessions.pageInfo.endCursor });
    expect(sql).toMatchSnapshot();
  });

  it("sessions page as a member (the ownership predicate is in every statement)", async () => {
    const sql = await sqlOf(world.clients.asMember, "{ sessions(first: 2) { nodes { id user { name } attachments { id } } } }");
    expect(sql).toMatchSnapshot();
    for (const statement of sql.slice(1)) expect(statement).toMatch(/organization_id = \$\d+::uuid/);
  });

  it("a company with users, each with their newest sessions", async () => {
    const sql = await sqlOf(world.clients.asAdmin, `query ($id: ID!) {
      company(id: $id) { name users(first: 20) { nodes { name sessions(first: 10) { totalCount nodes { id } } } } }
    }`, { id: world.companies.alpha });
    expect(sql).toMatchSnapshot();
  });
});
