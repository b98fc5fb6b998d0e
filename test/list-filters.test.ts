/** UserFilter, CompanyFilter and ActivityFilter, checked against the fixture they were built from. */
import { insertRows } from "../src/db/insert";
import { ActivityIdsDocument, CompanyIdsDocument, UserIdsDocument } from "./generated/graphql";
import { idsOf, useWorld } from "./support/world";

const t = useWorld({ sessionsPerUser: 2, activitiesPerSession: 2 });
let pollId: string;

beforeAll(async () => {
  const { world, gateway } = t;
  const u = world.users.member;
  [pollId] = await insertRows(gateway.dataSource.manager, "activities", [{
    organization_id: u.organizationId, user_id: u.id, company_id: u.companyId, session_id: world.sessions.member[0],
    occurred_at: new Date("2026-01-15T12:00:00.000Z"), category: "Question - Poll", action: "Answer", label: "100% yes",
  }]);
});

const sorted = (ids: string[]) => [...ids].sort();

describe("users(filter)", () => {
  it("searches names, emails and usernames case-insensitively", async () => {
    const { users } = await t.world.clients.asAdmin.data(UserIdsDocument, { filter: { search: "DEVELOPER" }, first: 500 });
    expect(users.nodes.map((u) => u.id)).toEqual([t.world.users.developer.id]);
  });

  it("filters by company and role", async () => {
    const byCompany = await t.world.clients.asAdmin.data(UserIdsDocument, { filter: { companyIds: [t.world.companies.alpha] }, first: 500 });
    expect(sorted(byCompany.users.nodes.map((u) => u.id))).toEqual(sorted([t.world.users.admin.id, t.world.users.member.id]));
    const byRole = await t.world.clients.asAdmin.data(UserIdsDocument, { filter: { roles: ["MEMBER" as never] }, first: 500 });
    expect(sorted(byRole.users.nodes.map((u) => u.id))).toEqual(sorted([t.world.users.member.id, t.world.users.member2.id]));
  });

  it("never widens a member's scope", async () => {
    const { users } = await t.world.clients.asMember.data(UserIdsDocument, { filter: { companyIds: [t.world.companies.alpha, t.world.companies.beta] }, first: 500 });
    expect(users.nodes.map((u) => u.id)).toEqual([t.world.users.member.id]);
  });
});

describe("companies(filter)", () => {
  it("searches names", async () => {
    const { companies } = await t.world.clients.asAdmin.data(CompanyIdsDocument, { filter: { search: "beta" }, first: 500 });
    expect(companies.nodes.map((c) => c.id)).toEqual([t.world.companies.beta]);
  });
});

describe("activities(filter)", () => {
  it("filters by category, action and day", async () => {
    const { activities } = await t.world.clients.asAdmin.data(ActivityIdsDocument, {
      filter: { categories: ["Question - Poll"], actions: ["Answer"], dateRange: { from: "2026-01-15", to: "2026-01-15" } }, first: 500,
    });
    expect(activities.nodes.map((a) => a.id)).toEqual([pollId]);
  });

  it("filters by session, user and company", async () => {
    const client = t.world.clients.asAdmin;
    const bySession = await client.data(ActivityIdsDocument, { filter: { sessionIds: [t.world.sessions.developer[0]] }, first: 500 });
    expect(bySession.activities.nodes.every((a) => a.session?.id === t.world.sessions.developer[0])).toBe(true);
    expect(bySession.activities.totalCount).toBe(2);
    const byUser = await client.data(ActivityIdsDocument, { filter: { userIds: [t.world.users.member.id] }, first: 500 });
    expect(sorted(byUser.activities.nodes.map((a) => a.id))).toEqual(sorted([...t.world.activities.member, pollId]));
    const byCompany = await client.data(ActivityIdsDocument, { filter: { companyIds: [t.world.companies.beta] }, first: 500 });
    expect(sorted(byCompany.activities.nodes.map((a) => a.id))).toEqual(idsOf(t.world.activities, "developer", "member2"));
  });
});
