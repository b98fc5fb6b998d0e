/**
 * Admin actions on a user: exclude from traffic (reversible) and delete all their data (one
 * transaction, counted, no trace afterwards). Everyone else gets FORBIDDEN, another
 * organization's admin NOT_FOUND, no credentials UNAUTHENTICATED.
 */
import { randomUUID } from "node:crypto";
import { insertRows } from "../../src/db/insert";
import { issueApiToken } from "../../src/api-tokens";
import { Role } from "../../src/access";
import { ErrorCode } from "../../src/shared/errors";
import {
  DeleteUserDataDocument,
  ExportByIdDocument,
  ExportSessionsDocument,
  ExportUserDataDocument,
  SessionIdsDocument,
  SetUserExcludedFromTrafficDocument,
  UserByIdDocument,
  UserIdsDocument,
  ViewerDocument,
} from "../generated/graphql";
import { GraphQLClient } from "../support/client";
import { useWorld, type Caller } from "../support/world";

const t = useWorld({ sessionsPerUser: 2, activitiesPerSession: 3 });

/** A new user of the main organization (company alpha) with sessions, activities, attachments, a token and content progress. */
async function userWithData(): Promise<{ id: string; token: string; sessionIds: string[] }> {
  const m = t.gateway.dataSource.manager;
  const { organizationId, companies, users } = t.world;
  const tag = randomUUID().slice(0, 8);
  const [id] = await insertRows(m, "users", [{
    organization_id: organizationId, company_id: companies.alpha, first_name: "Doomed", last_name: tag,
    email: `doomed.${tag}@example.test`, username: `doomed_${tag}`, role: "DEVELOPER",
  }]);
  const sessionIds = await insertRows(m, "sessions", [0, 1, 2].map((i) => ({
    organization_id: organizationId, user_id: id, company_id: companies.alpha, status: "COMPLETED",
    launched_at: new Date(Date.parse("2026-05-01T10:00:00Z") + i * 3_600_000), app_id: `app.${tag}`,
  })));
  await insertRows(m, "attachments", sessionIds.map((sessionId) => ({
    organization_id: organizationId, session_id: sessionId, user_id: id, kind: "LOG", file_name: "device.log", content_type: "text/plain",
  })));
  await insertRows(m, "activities", sessionIds.flatMap((sessionId, i) => [0, 1].map((k) => ({
    organization_id: organizationId, user_id: id, company_id: companies.alpha, session_id: sessionId,
    occurred_at: new Date(Date.parse("2026-05-01T10:01:00Z") + i * 3_600_000 + k * 60_000), category: "Page", action: "View",
  }))));
  await insertRows(m, "content_progress", [{ organization_id: organizationId, user_id: id, content_id: "c-1", first_seen_at: new Date() }]);
  // Another user's session that names the doomed user as its approver.
  await insertRows(m, "sessions", [{
    organization_id: organizationId, user_id: users.member.id, company_id: companies.alpha, status: "COMPLETED",
    launched_at: new Date("2026-05-02T10:00:00Z"), approver_id: id, creator_id: users.admin.id,
  }]);
  const { secret } = await issueApiToken(m, { organizationId, ownerId: id, label: "doomed token", role: Role.DEVELOPER });
  return { id, token: secret, sessionIds };
}

/** Rows anywhere that still point at the user. */
async function traces(userId: string): Promise<Record<string, number>> {
  const [row] = await t.gateway.dataSource.query(
    `SELECT (SELECT count(*) FROM users WHERE id = $1)::int AS users,
            (SELECT count(*) FROM sessions WHERE $1 IN (user_id, creator_id, launcher_id, approver_id, canceled_by_id))::int AS sessions,
            (SELECT count(*) FROM activities WHERE user_id = $1)::int AS activities,
            (SELECT count(*) FROM attachments WHERE user_id = $1)::int AS attachments,
            (SELECT count(*) FROM api_tokens WHERE owner_id = $1)::int AS api_tokens,
            (SELECT count(*) FROM content_progress WHERE user_id = $1)::int AS content_progress`,
    [userId],
  );
  return row;
}

describe("setUserExcludedFromTraffic", () => {
  it("lets an admin exclude a user and include them again", async () => {
    const userId = t.world.users.member.id;
    const excluded = await t.world.clients.asAdmin.data(SetUserExcludedFromTrafficDocument, { userId, excluded: true });
    expect(excluded.setUserExcludedFromTraffic).toEqual({ id: userId, excludedFromTraffic: true });
    const [row] = await t.gateway.dataSource.query(`SELECT excluded_from_traffic FROM users WHERE id = $1`, [userId]);
    expect(row.excluded_from_traffic).toBe(true);
    const included = await t.world.clients.asAdmin.data(SetUserExcludedFromTrafficDocument, { userId, excluded: false });
    expect(included.setUserExcludedFromTraffic.excludedFromTraffic).toBe(false);
  });

  const refused: [Caller, string][] = [
    ["asDeveloper", ErrorCode.FORBIDDEN],
    ["asMember", ErrorCode.FORBIDDEN],
    ["asOtherOrgAdmin", ErrorCode.NOT_FOUND],
    ["anonymous", ErrorCode.UNAUTHENTICATED],
  ];
  it.each(refused)("refuses %s with %s and changes nothing", async (caller, code) => {
    const userId = t.world.users.member2.id;
    const { body } = await t.world.clients[caller].request(SetUserExcludedFromTrafficDocument, { userId, excluded: true });
    expect(body.errors![0].extensions!.code).toBe(code);
    const [row] = await t.gateway.dataSource.query(`SELECT excluded_from_traffic FROM users WHERE id = $1`, [userId]);
    expect(row.excluded_from_traffic).toBe(false);
  });

  it("does not let a member exclude themselves", async () => {
    const { body } = await t.world.clients.asMember.request(SetUserExcludedFromTrafficDocument, { userId: t.world.users.member.id, excluded: true });
    expect(body.errors![0].extensions!.code).toBe(ErrorCode.FORBIDDEN);
  });
});

describe("deleteUserData", () => {
  it("deletes the user and everything theirs in one go, counts it, and leaves no trace", async () => {
    const doomed = await userWithData();
    const { asAdmin } = t.world.clients;
    const usersBefore = (await asAdmin.data(UserIdsDocument, { first: 500 })).users.totalCount;

    const { deleteUserData } = await asAdmin.data(DeleteUserDataDocument, { userId: doomed.id });
    expect(deleteUserData).toEqual({
      userId: doomed.id, sessions: 3, activities: 6, attachments: 3, apiTokens: 1, contentProgress: 1, sessionReferencesCleared: 1, exports: 0,
    });

    expect(await traces(doomed.id)).toEqual({ users: 0, sessions: 0, activities: 0, attachments: 0, api_tokens: 0, content_progress: 0 });
    expect((await asAdmin.data(UserByIdDocument, { id: doomed.id })).user).toBeNull();
    expect((await asAdmin.data(UserIdsDocument, { first: 500 })).users.totalCount).toBe(usersBefore - 1);
    const sessions = await asAdmin.data(SessionIdsDocument, { filter: { userIds: [doomed.id], includeRemoved: true } });
    expect(sessions.sessions.totalCount).toBe(0);
    // Their API token no longer opens anything.
    const { body } = await new GraphQLClient(t.gateway.url, doomed.token).request(ViewerDocument);
    expect(body.errors![0].extensions!.code).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it("deletes the exports that hold only their data, files included, and keeps the admin's organization-wide ones", async () => {
    const doomed = await userWithData();
    const own = (await new GraphQLClient(t.gateway.url, doomed.token).data(ExportSessionsDocument, {})).exportSessions;
    const theirData = (await t.world.clients.asAdmin.data(ExportUserDataDocument, { userId: doomed.id })).exportUserData;
    const orgWide = (await t.world.clients.asAdmin.data(ExportSessionsDocument, {})).exportSessions;
    for (const e of [own, theirData, orgWide]) expect((await fetch(e.url!)).status).toBe(200);

    const { deleteUserData } = await t.world.clients.asAdmin.data(DeleteUserDataDocument, { userId: doomed.id });
    expect(deleteUserData.exports).toBe(2);
    for (const e of [own, theirData]) {
      expect((await fetch(e.url!)).status).toBe(404);
      expect((await t.world.clients.asAdmin.data(ExportByIdDocument, { id: e.id })).export).toBeNull();
    }
    expect((await fetch(orgWide.url!)).status).toBe(200);
    const [{ n }] = await t.gateway.dataSource.query(`SELECT count(*)::int AS n FROM exports WHERE $1 IN (subject_user_id, requested_by_id)`, [doomed.id]);
    expect(n).toBe(0);
  });

  it("answers NOT_FOUND the second time", async () => {
    const doomed = await userWithData();
    await t.world.clients.asAdmin.data(DeleteUserDataDocument, { userId: doomed.id });
    const { body } = await t.world.clients.asAdmin.request(DeleteUserDataDocument, { userId: doomed.id });
    expect(body.errors![0].extensions!.code).toBe(ErrorCode.NOT_FOUND);
  });

  it("deletes once when two admins ask at the same time", async () => {
    const doomed = await userWithData();
    const results = await Promise.all([0, 1].map(() => t.world.clients.asAdmin.request(DeleteUserDataDocument, { userId: doomed.id })));
    const codes = results.map((r) => r.body.errors?.[0].extensions?.code ?? "OK").sort();
    expect(codes).toEqual([ErrorCode.NOT_FOUND, "OK"]);
    expect(results.find((r) => !r.body.errors)!.body.data!.deleteUserData.sessions).toBe(3);
  });

  const refused: [Caller, string][] = [
    ["asDeveloper", ErrorCode.FORBIDDEN],
    ["asMember", ErrorCode.FORBIDDEN],
    ["asOtherOrgAdmin", ErrorCode.NOT_FOUND],
    ["anonymous", ErrorCode.UNAUTHENTICATED],
  ];
  it.each(refused)("refuses %s with %s and deletes nothing", async (caller, code) => {
    const doomed = await userWithData();
    const before = await traces(doomed.id);
    const { body } = await t.world.clients[caller].request(DeleteUserDataDocument, { userId: doomed.id });
    expect(body.errors![0].extensions!.code).toBe(code);
    expect(await traces(doomed.id)).toEqual(before);
    expect(before.users).toBe(1);
  });

  it("does not let an admin delete themselves", async () => {
    const { body } = await t.world.clients.asAdmin.request(DeleteUserDataDocument, { userId: t.world.users.admin.id });
    expect(body.errors![0].extensions!.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect((await traces(t.world.users.admin.id)).users).toBe(1);
  });
});
