/** Every query and relation, as every kind of caller: each sees exactly its scope. */
import {
  ActivityIdsDocument,
  CompanyByIdDocument,
  CompanyIdsDocument,
  SessionByIdDocument,
  SessionIdsDocument,
  UserByIdDocument,
  UserIdsDocument,
  ViewerDocument,
} from "./generated/graphql";
import { describeScoped } from "./support/scoped";
import { useWorld, idsOf, MAIN_ORG, OTHER_ORG } from "./support/world";
import type { GraphQLClient } from "./support/client";

const t = useWorld();


const w = () => t.world;

/** Reads every id of a top-level connection, page by page (small pages prove the walk too). */
async function allIds(client: GraphQLClient, document: typeof SessionIdsDocument | typeof UserIdsDocument | typeof CompanyIdsDocument | typeof ActivityIdsDocument, filter?: Record<string, unknown>) {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const { body } = await client.request(document as typeof SessionIdsDocument, { filter, first: 4, after } as never);
    if (body.errors) return { ids, errors: body.errors };
    const connection = Object.values(body.data!)[0] as unknown as { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges?: { node: { id: string } }[]; nodes?: { id: string }[] };
    const nodes = connection.nodes ?? connection.edges!.map((e) => e.node);
    ids.push(...nodes.map((n) => n.id));
    if (!connection.pageInfo.hasNextPage) {
      expect(connection.totalCount).toBe(ids.length);
      return { ids };
    }
    after = connection.pageInfo.endCursor;
  }
}

describeScoped("sessions", w, {
  read: (client) => allIds(client, SessionIdsDocument),
  expected: (x) => ({
    asAdmin: idsOf(x.sessions, ...MAIN_ORG),
    asDeveloper: idsOf(x.sessions, "developer"),
    asMember: idsOf(x.sessions, "member"),
    asOtherOrgAdmin: idsOf(x.sessions, ...OTHER_ORG),
  }),
});

describeScoped("sessions with includeRemoved", w, {
  read: (client) => allIds(client, SessionIdsDocument, { includeRemoved: true }),
  expected: (x) => ({
    asAdmin: [...idsOf(x.sessions, ...MAIN_ORG), ...idsOf(x.removedSessions, ...MAIN_ORG)],
    asDeveloper: [...x.sessions.developer, ...x.removedSessions.developer],
    asMember: [...x.sessions.member, ...x.removedSessions.member],
    asOtherOrgAdmin: [...idsOf(x.sessions, ...OTHER_ORG), ...idsOf(x.removedSessions, ...OTHER_ORG)],
  }),
});

describeScoped("sessions filtered by another user's id", w, {
  read: (client) => allIds(client, SessionIdsDocument, { userIds: [t.world.users.member2.id] }),
  expected: (x) => ({ asAdmin: x.sessions.member2, asDeveloper: [], asMember: [], asOtherOrgAdmin: [] }),
});

describeScoped("session(id) for every session of both organizations", w, {
  read: async (client) => {
    const all = idsOf(t.world.sessions, ...MAIN_ORG, ...OTHER_ORG);
    const seen: string[] = [];
    for (const id of all) {
      const { body } = await client.request(SessionByIdDocument, { id });
      if (body.errors) return { ids: seen, errors: body.errors };
      if (body.data?.session) seen.push(body.data.session.id);
    }
    return { ids: seen };
  },
  expected: (x) => ({
    asAdmin: idsOf(x.sessions, ...MAIN_ORG),
    asDeveloper: x.sessions.developer,
    asMember: x.sessions.member,
    asOtherOrgAdmin: idsOf(x.sessions, ...OTHER_ORG),
  }),
});

describeScoped("session → attachments (members read none)", w, {
  read: async (client) => {
    const seen: string[] = [];
    for (const id of idsOf(t.world.sessions, ...MAIN_ORG, ...OTHER_ORG)) {
      const { body } = await client.request(SessionByIdDocument, { id });
      if (body.errors) return { ids: seen, errors: body.errors };
      seen.push(...(body.data?.session?.attachments.map((a) => a.id) ?? []));
    }
    return { ids: seen };
  },
  expected: (x) => ({
    asAdmin: idsOf(x.attachments, ...MAIN_ORG),
    asDeveloper: x.attachments.developer,
    asMember: [],
    asOtherOrgAdmin: idsOf(x.attachments, ...OTHER_ORG),
  }),
});

describeScoped("session → activities", w, {
  read: async (client) => {
    const seen: string[] = [];
    for (const id of idsOf(t.world.sessions, ...MAIN_ORG, ...OTHER_ORG)) {
      const { body } = await client.request(SessionByIdDocument, { id });
      if (body.errors) return { ids: seen, errors: body.errors };
      const activities = body.data?.session?.activities;
      if (activities) expect(activities.totalCount).toBe(activities.nodes.length);
      seen.push(...(activities?.nodes.map((a) => a.id) ?? []));
    }
    return { ids: seen };
  },
  expected: (x) => ({
    asAdmin: idsOf(x.activities, ...MAIN_ORG),
    asDeveloper: x.activities.developer,
    asMember: x.activities.member,
    asOtherOrgAdmin: idsOf(x.activities, ...OTHER_ORG),
  }),
});

describeScoped("users", w, {
  read: (client) => allIds(client, UserIdsDocument),
  expected: (x) => ({
    asAdmin: MAIN_ORG.map((k) => x.users[k].id),
    asDeveloper: [x.users.developer.id],
    asMember: [x.users.member.id],
    asOtherOrgAdmin: OTHER_ORG.map((k) => x.users[k].id),
  }),
});

describeScoped("user(id) → sessions and activities", w, {
  read: async (client) => {
    const seen: string[] = [];
    for (const key of [...MAIN_ORG, ...OTHER_ORG]) {
      const { body } = await client.request(UserByIdDocument, { id: t.world.users[key].id });
      if (body.errors) return { ids: seen, errors: body.errors };
      const user = body.data?.user;
      if (!user) continue;
      expect(user.sessions.totalCount).toBe(user.sessions.nodes.length);
      expect(user.activities.totalCount).toBe(user.activities.nodes.length);
      seen.push(`user:${user.id}`, ...user.sessions.nodes.map((s) => s.id), ...user.activities.nodes.map((a) => a.id));
    }
    return { ids: seen };
  },
  expected: (x) => {
    const of = (...keys: (keyof typeof x.users)[]) => keys.flatMap((k) => [`user:${x.users[k].id}`, ...x.sessions[k], ...x.activities[k]]);
    return { asAdmin: of(...MAIN_ORG), asDeveloper: of("developer"), asMember: of("member"), asOtherOrgAdmin: of(...OTHER_ORG) };
  },
});

describeScoped("companies", w, {
  read: (client) => allIds(client, CompanyIdsDocument),
  expected: (x) => ({
    asAdmin: [x.companies.alpha, x.companies.beta],
    asDeveloper: [x.companies.beta],
    asMember: [x.companies.alpha],
    asOtherOrgAdmin: [x.companies.other],
  }),
});

describeScoped("company(id) → users, userCount and sessions", w, {
  read: async (client) => {
    const seen: string[] = [];
    for (const id of Object.values(t.world.companies)) {
      const { body } = await client.request(CompanyByIdDocument, { id });
      if (body.errors) return { ids: seen, errors: body.errors };
      const company = body.data?.company;
      if (!company) continue;
      expect(company.userCount).toBe(company.users.nodes.length);
      expect(company.users.totalCount).toBe(company.users.nodes.length);
      expect(company.sessions.totalCount).toBe(company.sessions.nodes.length);
      seen.push(`company:${company.id}`, ...company.users.nodes.map((u) => `user:${u.id}`), ...company.sessions.nodes.map((s) => s.id));
    }
    return { ids: seen };
  },
  expected: (x) => ({
    asAdmin: [
      `company:${x.companies.alpha}`, `company:${x.companies.beta}`,
      ...MAIN_ORG.map((k) => `user:${x.users[k].id}`), ...idsOf(x.sessions, ...MAIN_ORG),
    ],
    asDeveloper: [`company:${x.companies.beta}`, `user:${x.users.developer.id}`, ...x.sessions.developer],
    asMember: [`company:${x.companies.alpha}`, `user:${x.users.member.id}`, ...x.sessions.member],
    asOtherOrgAdmin: [`company:${x.companies.other}`, ...OTHER_ORG.map((k) => `user:${x.users[k].id}`), ...idsOf(x.sessions, ...OTHER_ORG)],
  }),
});

describeScoped("activities", w, {
  read: (client) => allIds(client, ActivityIdsDocument),
  expected: (x) => ({
    asAdmin: idsOf(x.activities, ...MAIN_ORG),
    asDeveloper: x.activities.developer,
    asMember: x.activities.member,
    asOtherOrgAdmin: idsOf(x.activities, ...OTHER_ORG),
  }),
});

describeScoped("activity → user, company and session", w, {
  read: async (client) => {
    const { body } = await client.request(ActivityIdsDocument, { first: 500 });
    if (body.errors) return { ids: [], errors: body.errors };
    const ids = body.data!.activities.nodes.flatMap((a) => [a.user?.id, a.company?.id, a.session?.id]).filter((id): id is string => !!id);
    return { ids: [...new Set(ids)] };
  },
  expected: (x) => ({
    asAdmin: [...MAIN_ORG.map((k) => x.users[k].id), x.companies.alpha, x.companies.beta, ...idsOf(x.sessions, ...MAIN_ORG)],
    asDeveloper: [x.users.developer.id, x.companies.beta, ...x.sessions.developer],
    asMember: [x.users.member.id, x.companies.alpha, ...x.sessions.member],
    asOtherOrgAdmin: [...OTHER_ORG.map((k) => x.users[k].id), x.companies.other, ...idsOf(x.sessions, ...OTHER_ORG)],
  }),
});

describe("viewer", () => {
  it("describes each caller and refuses anonymous ones", async () => {
    const admin = await t.world.clients.asAdmin.data(ViewerDocument);
    expect(admin.viewer).toMatchObject({ role: "ADMIN", authenticatedBy: "API_TOKEN", user: { id: t.world.users.admin.id, email: t.world.users.admin.email }, organization: { id: t.world.organizationId } });
    const member = await t.world.clients.asMember.data(ViewerDocument);
    expect(member.viewer).toMatchObject({ role: "MEMBER", user: { id: t.world.users.member.id, email: t.world.users.member.email } });
    const other = await t.world.clients.asOtherOrgAdmin.data(ViewerDocument);
    expect(other.viewer.organization.id).toBe(t.world.otherOrganizationId);
    const { body } = await t.world.clients.anonymous.request(ViewerDocument);
    expect(body.data).toBeNull();
    expect(body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("email visibility", () => {
  it("shows other users' emails to admins only", async () => {
    const asAdmin = await t.world.clients.asAdmin.data(UserIdsDocument, { first: 500 });
    expect(asAdmin.users.nodes.map((u) => u.email).sort()).toEqual(MAIN_ORG.map((k) => t.world.users[k].email).sort());
    // A member can reach another user only as a session's creator: the user stays hidden.
    const session = await t.world.clients.asMember.data(SessionByIdDocument, { id: t.world.sessions.member[0] });
    expect(session.session?.creator).toBeNull();
    expect(session.session?.user?.email).toBe(t.world.users.member.email);
    const asAdminSession = await t.world.clients.asAdmin.data(SessionByIdDocument, { id: t.world.sessions.member[0] });
    expect(asAdminSession.session?.creator?.id).toBe(t.world.users.admin.id);
  });
});

describe("ids outside any scope", () => {
  it("answers null for an unknown id, like an out-of-scope one", async () => {
    for (const id of ["00000000-0000-4000-8000-000000000000", t.world.sessions.otherAdmin[0]]) {
      const { body } = await t.world.clients.asAdmin.request(SessionByIdDocument, { id });
      expect(body.errors).toBeUndefined();
      expect(body.data).toEqual({ session: null });
    }
  });
  it("refuses a malformed id as BAD_USER_INPUT, before any session query runs", async () => {
    const { body } = await t.world.clients.asAdmin.request(SessionByIdDocument, { id: "not-a-uuid" });
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    // The one statement is the API token lookup; nothing about the session ran.
    expect(body.extensions?.sqlStatements).toBe(1);
  });
  it("refuses a malformed id inside a filter as BAD_USER_INPUT", async () => {
    const { body } = await t.world.clients.asAdmin.request(SessionIdsDocument, { filter: { userIds: ["nope"] } });
    expect(body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });
});

