/**
 * Folded reads (src/auth/folded-reads.ts): a root `company(id)`, `user(id)` or `session(id)`
 * fetches its nested pages, counts and to-one relations in one statement. Checked here:
 * - the benchmark's three shapes cost one statement each (each nested read was one more before);
 * - every answer, for every role and for ids in and out of scope, is exactly the answer the
 *   same query gets with folding switched off (every nested read through its own loader);
 * - scope by construction: what each role sees through the folded path, by id;
 * - arguments the loaders refuse (bad cursors, sizes) fail as they do without folding.
 */
import { FoldedReads } from "../src/graphql/folded-reads";
import type { FoldedRead } from "../src/access";
import { ErrorCode } from "../src/shared/errors";
import type { GraphQLClient } from "./support/client";
import { describeScoped } from "./support/scoped";
import { idsOf, useWorld, type Caller } from "./support/world";

const t = useWorld({ sessionsPerUser: 4, activitiesPerSession: 3 });

beforeAll(async () => {
  // Give one of the developer's sessions a launcher and a canceler from elsewhere in the organization.
  const w = t.world;
  await t.gateway.dataSource.query(`UPDATE sessions SET launcher_id = $1, canceled_by_id = $2, approver_id = $3 WHERE id = $4`, [
    w.users.member2.id,
    w.users.developer.id,
    w.users.admin.id,
    w.sessions.developer[0],
  ]);
});

/**
 * Runs `fn` with folding off: the planner plans nothing, so each root reads its own row and
 * every nested read goes through its loader (the reference answer).
 */
async function unfolded<T>(fn: () => Promise<T>): Promise<T> {
  const planner = jest.spyOn(FoldedReads.prototype as unknown as { plan(): FoldedRead[] }, "plan").mockReturnValue([]);
  try {
    return await fn();
  } finally {
    planner.mockRestore();
  }
}

const Q1 = `query Q1($id: ID!) { company(id: $id) { sessions(first: 50) { nodes { id launchedAt user { id name email company { name } } } } } }`;
const Q2 = `query Q2($id: ID!) { user(id: $id) { id name sessions(first: 0) { totalCount } activities(first: 20) { nodes { id category action occurredAt } } } }`;
const Q3 = `query Q3($id: ID!) { company(id: $id) { id name users(first: 20) { nodes { id name sessions(first: 10) { nodes { id launchedAt status } } } } } }`;
const SESSION = `query S($id: ID!) { session(id: $id) {
  id status user { id email company { id name } } creator { id name } launcher { id email } approver { id } canceledBy { id }
  company { id name }
  activities(first: 2) { totalCount edges { cursor node { id occurredAt user { id } session { id status } company { id } } } pageInfo { hasNextPage endCursor } }
} }`;
const ALIASES = `query A($id: ID!, $after: String) { user(id: $id) {
  ...Who
  newest: sessions(first: 1) { nodes { id } pageInfo { hasNextPage endCursor } }
  next: sessions(first: 2, after: $after) { totalCount nodes { id launchedAt } }
  none: sessions(first: 0) { pageInfo { hasNextPage endCursor } }
  company { id users(first: 3) { totalCount nodes { id email signUpOrFirstSeenAt } } }
} }
fragment Who on User { id name activities(first: 2) { edges { cursor node { id occurredAt } } } }`;

async function ask(client: GraphQLClient, query: string, variables: Record<string, unknown>) {
  const { status, body } = await client.raw({ query, variables });
  return { status, data: body.data, errors: body.errors?.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.code })) };
}

const CALLERS: Exclude<Caller, "anonymous">[] = ["asAdmin", "asDeveloper", "asMember", "asOtherOrgAdmin"];

describe("folded reads answer exactly what the loaders answer", () => {
  const cases: [string, string, (w: typeof t.world) => Record<string, unknown>[]][] = [
    ["Q1", Q1, (w) => [w.companies.alpha, w.companies.beta, w.companies.other].map((id) => ({ id }))],
    ["Q2", Q2, (w) => [w.users.admin, w.users.developer, w.users.member, w.users.otherMember].map(({ id }) => ({ id }))],
    ["Q3", Q3, (w) => [w.companies.alpha, w.companies.beta, w.companies.other].map((id) => ({ id }))],
    ["session", SESSION, (w) => [w.sessions.developer[0], w.sessions.admin[1], w.sessions.member[0], w.removedSessions.member2[0], w.sessions.otherAdmin[0]].map((id) => ({ id }))],
    ["aliases and fragments", ALIASES, (w) => [w.users.admin, w.users.developer, w.users.member].map(({ id }) => ({ id, after: null }))],
  ];
  for (const [name, query, variablesOf] of cases) {
    it.each(CALLERS)(`${name} as %s`, async (caller) => {
      const client = t.world.clients[caller];
      for (const variables of variablesOf(t.world)) {
        const folded = await ask(client, query, variables);
        const loaded = await unfolded(() => ask(client, query, variables));
        expect(folded).toEqual(loaded);
        expect(folded.errors).toBeUndefined();
      }
    });
  }

  it("follows a cursor in a folded page as the loader does", async () => {
    const client = t.world.clients.asAdmin;
    const first = await ask(client, ALIASES, { id: t.world.users.developer.id, after: null });
    const after = (first.data as any).user.newest.pageInfo.endCursor as string;
    const folded = await ask(client, ALIASES, { id: t.world.users.developer.id, after });
    expect(folded).toEqual(await unfolded(() => ask(client, ALIASES, { id: t.world.users.developer.id, after })));
    // The page after the newest session: the next two, in order.
    expect((folded.data as any).user.next.nodes.map((n: { id: string }) => n.id)).toEqual(t.world.sessions.developer.slice(1, 3));
  });

  it.each([
    ["a malformed cursor", { after: "not-a-cursor" }, "first: 2", /cursor/],
    ["a page size over the limit", { after: null }, "first: 600", /first must not be greater than 500/],
    ["a negative page size", { after: null }, "first: -1", /first must not be negative/],
  ])("leaves %s to the resolver: the same error, the same answer", async (_name, variables, first, message) => {
    const query = `query ($id: ID!, $after: String) { user(id: $id) { id sessions(${first}, after: $after) { nodes { id } } activities(first: 1) { nodes { id } } } }`;
    const client = t.world.clients.asAdmin;
    const folded = await ask(client, query, { id: t.world.users.member.id, ...variables });
    expect(folded).toEqual(await unfolded(() => ask(client, query, { id: t.world.users.member.id, ...variables })));
    expect(folded.errors?.[0].code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(folded.errors?.[0].path).toEqual(["user", "sessions"]);
    expect(folded.errors?.[0].message).toMatch(message);
  });
});

describe("statements per request", () => {
  const statements = async (query: string, variables: Record<string, unknown>) => {
    const { body } = await t.world.clients.asAdmin.raw({ query, variables });
    expect(body.errors).toBeUndefined();
    return body.extensions!.sqlStatements!;
  };

  it.each([
    // The company with its sessions page and each session's user (whose company is the root, already known).
    ["Q1", Q1, () => ({ id: t.world.companies.alpha }), 1, 3],
    // The user with their session count and activities page.
    ["Q2", Q2, () => ({ id: t.world.users.member.id }), 1, 3],
    // The company with its users page and each user's sessions page.
    ["Q3", Q3, () => ({ id: t.world.companies.alpha }), 1, 3],
    // The session with its user (and their company), creator, launcher, approver, canceler, company, and its
    // activities page with each activity's user, session and company. Through the loaders, users asked with
    // different selections are different batches: 9.
    ["a session with its people, company and activities", SESSION, () => ({ id: t.world.sessions.developer[0] }), 1, 9],
  ])("%s: %i statement(s) folded, %i through the loaders", async (_name, query, variables, folded, loaded) => {
    // What every request costs before any resolver runs (authentication).
    const base = await statements(`{ __typename }`, {});
    expect((await statements(query, variables())) - base).toBe(folded);
    expect((await unfolded(() => statements(query, variables()))) - base).toBe(loaded);
  });

  it("stops folding pages whose rows would multiply past the limit, and batches them instead", async () => {
    // 100 users × 100 sessions could be 10,000 rows in one statement: the sessions go through their batched loader.
    const base = await statements(`{ __typename }`, {});
    const query = `query ($id: ID!) { company(id: $id) { users(first: 100) { nodes { id sessions(first: 100) { nodes { id } } } } } }`;
    expect((await statements(query, { id: t.world.companies.alpha })) - base).toBe(2);
  });
});

// Scope through the folded path: the sessions (and their users) each caller sees under a company.
describeScoped("company(id) { sessions { user } } folded", () => t.world, {
  read: async (client) => {
    const ids: string[] = [];
    const errors = [];
    for (const id of [t.world.companies.alpha, t.world.companies.beta, t.world.companies.other]) {
      const { body } = await client.raw<any>({ query: Q1, variables: { id } });
      if (body.errors) errors.push(...body.errors);
      for (const node of body.data?.company?.sessions.nodes ?? []) ids.push(node.id, `user:${node.user?.id ?? null}`);
    }
    return { ids, errors };
  },
  expected: (w) => {
    const seen = (...keys: (keyof typeof w.users)[]) => keys.flatMap((k) => [...w.sessions[k], ...w.sessions[k].map(() => `user:${w.users[k].id}`)]);
    return {
      asAdmin: seen("admin", "member", "developer", "member2"),
      // A developer reads only their own company (beta) and only their own sessions and user.
      asDeveloper: seen("developer"),
      asMember: seen("member"),
      asOtherOrgAdmin: seen("otherAdmin", "otherMember"),
    };
  },
});

describeScoped("user(id) { activities } folded", () => t.world, {
  read: async (client) => {
    const ids: string[] = [];
    const errors = [];
    for (const key of ["admin", "developer", "member", "otherMember"] as const) {
      const { body } = await client.raw<any>({ query: Q2, variables: { id: t.world.users[key].id } });
      if (body.errors) errors.push(...body.errors);
      ids.push(...(body.data?.user?.activities.nodes ?? []).map((n: { id: string }) => n.id));
    }
    return { ids, errors };
  },
  expected: (w) => ({
    asAdmin: idsOf(w.activities, "admin", "developer", "member"),
    asDeveloper: idsOf(w.activities, "developer"),
    asMember: idsOf(w.activities, "member"),
    asOtherOrgAdmin: idsOf(w.activities, "otherMember"),
  }),
});
