/**
 * Every write is scoped: for each write path, a MEMBER, a DEVELOPER and another organization's
 * ADMIN cannot change a row outside their scope, and the caller in scope changes exactly the
 * rows it should. Over real HTTP and PostgreSQL; "no row changed" is checked over every row of
 * both organizations, read with a plain pg client before and after (test/support/rows.ts).
 */
import { randomUUID } from "node:crypto";
import { insertRows } from "../../src/db/insert";
import { ErrorCode } from "../../src/shared/errors";
import {
  CancelSessionDocument,
  CreateApiTokenDocument,
  DeleteUserDataDocument,
  ExportActivitiesDocument,
  ExportByIdDocument,
  ExportSessionsDocument,
  ExportUserDataDocument,
  ExportUsersDocument,
  ResetUserContentDocument,
  RevokeApiTokenDocument,
  SetUserExcludedFromTrafficDocument,
  TrackActivitiesDocument,
  ActivityColumn,
  SessionColumn,
  UserColumn,
  type ExportFieldsFragment,
} from "../generated/graphql";
import type { GraphQLClient, GraphQLResponse } from "../support/client";
import { useDatabaseClient } from "../support/database";
import { column, download, finished } from "../support/exports";
import { changedColumns, diffRows, rowChanges, snapshotRows, touchedRows, type RowChanges } from "../support/rows";
import { describeScopedMutation, type Allowed } from "../support/scoped";
import { addUsers, event, MINUTE } from "../support/tracking";
import { MAIN_ORG, OTHER_ORG, useWorld, type Caller, type UserKey, type World } from "../support/world";

const t = useWorld({ sessionsPerUser: 2, activitiesPerSession: 2 });
const db = useDatabaseClient();
const scope = { world: () => t.world, db };
const m = () => t.gateway.dataSource.manager;

type Org = "main" | "other";
type Authenticated = Exclude<Caller, "anonymous">;
/** The world user each caller's token belongs to. */
const SELF: Record<Authenticated, UserKey> = { asAdmin: "admin", asDeveloper: "developer", asMember: "member", asOtherOrgAdmin: "otherAdmin" };
/** Well inside trackActivities' accepted time range, on a whole minute. */
const BASE = Math.floor((Date.now() - 10 * 24 * 60 * MINUTE) / MINUTE) * MINUTE;

const orgOf = (w: World, org: Org) => (org === "main"
  ? { organizationId: w.organizationId, companyId: w.companies.alpha }
  : { organizationId: w.otherOrganizationId, companyId: w.companies.other });

// ---------------------------------------------------------------------------------------------
// Factories: each test builds the rows it aims at.

/** A PENDING session of `owner` with 3 pending units. */
async function pendingSession(owner: UserKey): Promise<string> {
  const user = t.world.users[owner];
  const [id] = await insertRows(m(), "sessions", [{
    organization_id: user.organizationId, user_id: user.id, company_id: user.companyId, status: "PENDING",
    launched_at: new Date(), units_pending: 3, app_id: "app.scoped-writes",
  }]);
  return id;
}

/** An API token of `owner` (its secret is never used: only its row matters here). */
async function tokenRow(owner: UserKey): Promise<string> {
  const user = t.world.users[owner];
  const [id] = await insertRows(m(), "api_tokens", [{
    organization_id: user.organizationId, owner_id: user.id, label: `fixture ${randomUUID().slice(0, 8)}`, role: user.role,
    secret_hash: randomUUID().replace(/-/g, "").repeat(2),
  }]);
  return id;
}

interface UserWithData {
  id: string;
  organizationId: string;
  sessions: string[];
  activities: string[];
  attachments: string[];
  contentProgress: string[];
  apiTokens: string[];
  exports: string[];
}

/**
 * A new MEMBER of `org` with two sessions, an activity and an attachment on each, two content
 * progress rows, an API token and an export of their own.
 */
async function userWithData(org: Org): Promise<UserWithData> {
  const { organizationId, companyId } = orgOf(t.world, org);
  const tag = randomUUID().slice(0, 8);
  const [id] = await insertRows(m(), "users", [{
    organization_id: organizationId, company_id: companyId, first_name: "Target", last_name: tag,
    email: `target.${tag}@example.test`, username: `target_${tag}`, role: "MEMBER",
  }]);
  const sessions = await insertRows(m(), "sessions", [0, 1].map((i) => ({
    organization_id: organizationId, user_id: id, company_id: companyId, status: "COMPLETED",
    launched_at: new Date(Date.parse("2026-05-01T10:00:00Z") + i * 3_600_000), app_id: `app.${tag}`,
  })));
  const activities = await insertRows(m(), "activities", sessions.map((sessionId, i) => ({
    organization_id: organizationId, user_id: id, company_id: companyId, session_id: sessionId,
    occurred_at: new Date(Date.parse("2026-05-01T10:01:00Z") + i * 3_600_000), category: "Page", action: "View",
  })));
  const attachments = await insertRows(m(), "attachments", sessions.map((sessionId) => ({
    organization_id: organizationId, session_id: sessionId, user_id: id, kind: "LOG", file_name: "device.log", content_type: "text/plain",
  })));
  const contentProgress = await insertRows(m(), "content_progress", [0, 1].map((i) => ({
    organization_id: organizationId, user_id: id, content_id: `course-${i}`, first_seen_at: new Date(BASE + i * MINUTE),
  })));
  const apiTokens = await insertRows(m(), "api_tokens", [{
    organization_id: organizationId, owner_id: id, label: "target token", role: "MEMBER", secret_hash: randomUUID().replace(/-/g, "").repeat(2),
  }]);
  // A finished-and-failed export, so no worker ever picks it up while a test reads the tables.
  const exports = await insertRows(m(), "exports", [{
    organization_id: organizationId, requested_by_id: id, requester_role: "MEMBER", kind: "SESSIONS", columns: ["SESSION_ID"],
    file_name: "sessions-fixture.csv", status: "FAILED", error: "fixture", completed_at: new Date(),
  }]);
  return { id, organizationId, sessions, activities, attachments, contentProgress, apiTokens, exports };
}

/** The target user's rows, counted table by table. */
async function countsOf(userId: string): Promise<Record<string, number>> {
  const { rows: [row] } = await db().query(
    `SELECT (SELECT count(*) FROM users WHERE id = $1)::int AS users,
            (SELECT count(*) FROM sessions WHERE user_id = $1)::int AS sessions,
            (SELECT count(*) FROM activities WHERE user_id = $1)::int AS activities,
            (SELECT count(*) FROM attachments WHERE user_id = $1)::int AS attachments,
            (SELECT count(*) FROM content_progress WHERE user_id = $1)::int AS content_progress,
            (SELECT count(*) FROM api_tokens WHERE owner_id = $1)::int AS api_tokens,
            (SELECT count(*) FROM exports WHERE $1 IN (requested_by_id, subject_user_id))::int AS exports`,
    [userId],
  );
  return row;
}

/** A new user of `org` with no data (a MEMBER of company alpha, or of the other organization's company). */
async function bareUser(org: Org): Promise<string> {
  if (org === "main") return (await addUsers(t.gateway.dataSource, t.world, 1))[0];
  const { organizationId, companyId } = orgOf(t.world, org);
  const tag = randomUUID().slice(0, 8);
  const [id] = await insertRows(m(), "users", [{
    organization_id: organizationId, company_id: companyId, first_name: "Bare", last_name: tag,
    email: `bare.${tag}@example.test`, username: `bare_${tag}`, role: "MEMBER",
  }]);
  return id;
}

const allowed = <T>(changes: Allowed<T>["changes"]): Allowed<T> => ({ changes });
const { NOT_FOUND, FORBIDDEN } = ErrorCode;

// ---------------------------------------------------------------------------------------------
// cancelSession

describeScopedMutation("cancelSession on another user's session of the same organization", scope, {
  target: () => pendingSession("member2"),
  run: (client, id) => client.request(CancelSessionDocument, { id }),
  expected: {
    asAdmin: allowed<string>((id) => rowChanges({ sessions: { changed: [id] } })),
    asDeveloper: NOT_FOUND,
    asMember: NOT_FOUND,
    asOtherOrgAdmin: NOT_FOUND,
  },
  verify: async (id, caller, { refusal }) => {
    const { rows: [row] } = await db().query(`SELECT status, units_pending, canceled_by_id FROM sessions WHERE id = $1`, [id]);
    expect(row).toEqual(refusal
      ? { status: "PENDING", units_pending: 3, canceled_by_id: null }
      : { status: "CANCELED", units_pending: 0, canceled_by_id: t.world.users[SELF[caller as Authenticated]].id });
  },
});

describeScopedMutation("cancelSession on another organization's session", scope, {
  target: () => pendingSession("otherMember"),
  run: (client, id) => client.request(CancelSessionDocument, { id }),
  expected: {
    asAdmin: NOT_FOUND,
    asDeveloper: NOT_FOUND,
    asMember: NOT_FOUND,
    asOtherOrgAdmin: allowed<string>((id) => rowChanges({ sessions: { changed: [id] } })),
  },
});

// ---------------------------------------------------------------------------------------------
// Admin actions on a user: @Authorized(Role.ADMIN), so members and developers are FORBIDDEN
// whoever the user is; another organization's admin gets NOT_FOUND.

for (const org of ["main", "other"] as Org[]) {
  const where = org === "main" ? "this organization" : "another organization";
  const inScope: Authenticated = org === "main" ? "asAdmin" : "asOtherOrgAdmin";
  const outOfScope: Authenticated = org === "main" ? "asOtherOrgAdmin" : "asAdmin";
  const adminOnly = <T>(change: Allowed<T>) => ({
    [inScope]: change, [outOfScope]: NOT_FOUND, asDeveloper: FORBIDDEN, asMember: FORBIDDEN,
  }) as Record<Authenticated, typeof NOT_FOUND | typeof FORBIDDEN | Allowed<T>>;

  describeScopedMutation(`setUserExcludedFromTraffic on a user of ${where}`, scope, {
    target: () => bareUser(org),
    run: (client, userId) => client.request(SetUserExcludedFromTrafficDocument, { userId, excluded: true }),
    expected: adminOnly(allowed<string>((userId) => rowChanges({ users: { changed: [userId] } }))),
    verify: async (userId, _caller, { refusal }) => {
      const { rows: [row] } = await db().query(`SELECT excluded_from_traffic FROM users WHERE id = $1`, [userId]);
      expect(row.excluded_from_traffic).toBe(!refusal);
    },
  });

  describeScopedMutation(`resetUserContent on a user of ${where}`, scope, {
    target: () => userWithData(org),
    run: (client, user) => client.request(ResetUserContentDocument, { userId: user.id }),
    expected: adminOnly(allowed((user: UserWithData) => rowChanges({ users: { changed: [user.id] }, content_progress: { removed: user.contentProgress } }))),
  });

  describeScopedMutation(`deleteUserData on a user of ${where}`, scope, {
    target: async () => {
      const user = await userWithData(org);
      return { user, counts: await countsOf(user.id) };
    },
    run: (client, { user }) => client.request(DeleteUserDataDocument, { userId: user.id }),
    expected: adminOnly(allowed(({ user }: { user: UserWithData }) => rowChanges({
      users: { removed: [user.id] },
      sessions: { removed: user.sessions },
      activities: { removed: user.activities },
      attachments: { removed: user.attachments },
      content_progress: { removed: user.contentProgress },
      api_tokens: { removed: user.apiTokens },
      exports: { removed: user.exports },
    }))),
    verify: async ({ user, counts }, _caller, { refusal }) => {
      expect(counts).toEqual({ users: 1, sessions: 2, activities: 2, attachments: 2, content_progress: 2, api_tokens: 1, exports: 1 });
      const after = await countsOf(user.id);
      expect(after).toEqual(refusal ? counts : { users: 0, sessions: 0, activities: 0, attachments: 0, content_progress: 0, api_tokens: 0, exports: 0 });
    },
  });
}

// ---------------------------------------------------------------------------------------------
// API tokens

describeScopedMutation("revokeApiToken on another user's token of the same organization", scope, {
  target: () => tokenRow("member2"),
  run: (client, id) => client.request(RevokeApiTokenDocument, { id }),
  expected: {
    asAdmin: allowed<string>((id) => rowChanges({ api_tokens: { changed: [id] } })),
    asDeveloper: NOT_FOUND,
    asMember: NOT_FOUND,
    asOtherOrgAdmin: NOT_FOUND,
  },
  verify: async (id, _caller, { refusal }) => {
    const { rows: [row] } = await db().query(`SELECT revoked_at FROM api_tokens WHERE id = $1`, [id]);
    expect(row.revoked_at === null).toBe(!!refusal);
  },
});

describeScopedMutation("revokeApiToken on another organization's token", scope, {
  target: () => tokenRow("otherMember"),
  run: (client, id) => client.request(RevokeApiTokenDocument, { id }),
  expected: {
    asAdmin: NOT_FOUND,
    asDeveloper: NOT_FOUND,
    asMember: NOT_FOUND,
    asOtherOrgAdmin: allowed<string>((id) => rowChanges({ api_tokens: { changed: [id] } })),
  },
});

type Created = { createApiToken: { apiToken: { id: string } } };
const createdToken = (data: unknown) => (data as Created).createApiToken.apiToken.id;

describeScopedMutation("createApiToken: owner and organization come from the caller", scope, {
  target: async () => null,
  run: (client) => client.request(CreateApiTokenDocument, { label: `scoped ${randomUUID().slice(0, 8)}` }),
  expected: {
    asAdmin: allowed((_, data) => rowChanges({ api_tokens: { added: [createdToken(data)] } })),
    asDeveloper: allowed((_, data) => rowChanges({ api_tokens: { added: [createdToken(data)] } })),
    // @Authorized(Role.ADMIN, Role.DEVELOPER).
    asMember: FORBIDDEN,
    asOtherOrgAdmin: allowed((_, data) => rowChanges({ api_tokens: { added: [createdToken(data)] } })),
  },
  verify: async (_, caller, { refusal, data }) => {
    if (refusal) return;
    const self = t.world.users[SELF[caller as Authenticated]];
    const { rows } = await db().query(`SELECT organization_id, owner_id, role::text FROM api_tokens WHERE id = $1`, [createdToken(data)]);
    expect(rows).toEqual([{ organization_id: self.organizationId, owner_id: self.id, role: self.role }]);
  },
});

describe("createApiToken takes no owner or organization from its input", () => {
  it.each([
    ["ownerId", () => t.world.users.member2.id],
    ["organizationId", () => t.world.otherOrganizationId],
  ])("an extra %s argument is refused before anything is stored", async (argument, value) => {
    const organizations = [t.world.organizationId, t.world.otherOrganizationId];
    const before = await snapshotRows(db(), organizations);
    const { body } = await t.world.clients.asAdmin.raw({
      query: `mutation ($v: ID!) { createApiToken(label: "smuggled", ${argument}: $v) { token apiToken { id } } }`,
      variables: { v: value() },
    });
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(diffRows(before, await snapshotRows(db(), organizations))).toEqual({});
  });
});

// ---------------------------------------------------------------------------------------------
// Exports: the stored export's organization and requester come from the caller, and its file
// holds only the caller's scope even when the filter names everyone.

/** Runs an export mutation and follows it until its job has finished (so no row moves after). */
async function exportAndWait(client: GraphQLClient, run: () => Promise<GraphQLResponse<unknown>>): Promise<GraphQLResponse<unknown>> {
  const answer = await run();
  const data = answer.body.data as Record<string, ExportFieldsFragment> | null | undefined;
  const started = data ? Object.values(data)[0] : null;
  if (!started) return answer;
  const done = await finished(async () => (await client.data(ExportByIdDocument, { id: started.id })).export!);
  return { ...answer, body: { ...answer.body, data: { [Object.keys(data!)[0]]: done } } };
}

const exported = (data: unknown) => Object.values(data as Record<string, ExportFieldsFragment>)[0];

/** The stored export: organization, requester and subject as the database has them. */
async function storedExport(id: string) {
  const { rows: [row] } = await db().query(
    `SELECT organization_id, requested_by_id, requester_role::text AS requester_role, subject_user_id, status::text AS status FROM exports WHERE id = $1`, [id]);
  return row;
}

/** Ids (of `table`) the caller may read, from the database: the organization's for admins, their own for others. */
async function scopeIds(caller: Authenticated, table: "sessions" | "activities" | "users", extra = "TRUE"): Promise<string[]> {
  const self = t.world.users[SELF[caller]];
  const owner = table === "users" ? "id" : "user_id";
  const { rows } = await db().query(
    `SELECT id::text FROM ${table} WHERE organization_id = $1 AND ($2::boolean OR ${owner} = $3) AND ${extra}`,
    [self.organizationId, self.role === "ADMIN", self.id],
  );
  return rows.map((r: { id: string }) => r.id).sort();
}

const everyUser = () => [...MAIN_ORG, ...OTHER_ORG].map((k) => t.world.users[k].id);
const exportAdded = allowed((_: unknown, data: unknown) => rowChanges({ exports: { added: [exported(data).id] } }));
const EVERY_CALLER_EXPORTS = { asAdmin: exportAdded, asDeveloper: exportAdded, asMember: exportAdded, asOtherOrgAdmin: exportAdded };

/** The export row is the caller's, and its file's `header` column holds exactly `expected`. */
async function expectOwnExport(caller: Caller, data: unknown, header: string, expected: string[], subjectUserId: string | null = null) {
  const self = t.world.users[SELF[caller as Authenticated]];
  const done = exported(data);
  expect(done.status).toBe("COMPLETED");
  expect(await storedExport(done.id)).toEqual({
    organization_id: self.organizationId, requested_by_id: self.id, requester_role: self.role, subject_user_id: subjectUserId, status: "COMPLETED",
  });
  const file = await download(done.url!);
  expect(file.status).toBe(200);
  const ids = [...new Set(column(file.records, header))].sort();
  expect(ids).toEqual([...new Set(expected)].sort());
  // Not vacuous: every caller's scope holds rows.
  expect(ids.length).toBeGreaterThan(0);
}

describeScopedMutation("exportSessions naming every user of both organizations", scope, {
  target: async () => null,
  run: (client) => exportAndWait(client, () => client.request(ExportSessionsDocument, {
    filter: { userIds: everyUser() }, columns: [SessionColumn.SESSION_ID],
  })),
  expected: EVERY_CALLER_EXPORTS,
  verify: async (_, caller, { refusal, data }) => {
    if (refusal) return;
    const world = `user_id = ANY('{${everyUser().join(",")}}'::uuid[])`;
    await expectOwnExport(caller, data, "Session ID", await scopeIds(caller as Authenticated, "sessions", `NOT removed AND ${world}`));
  },
});

describeScopedMutation("exportActivities naming every user and session of both organizations", scope, {
  target: async () => null,
  run: (client) => exportAndWait(client, () => client.request(ExportActivitiesDocument, {
    filter: { userIds: everyUser(), sessionIds: [...MAIN_ORG, ...OTHER_ORG].flatMap((k) => t.world.sessions[k]) },
    columns: [ActivityColumn.ACTIVITY_ID],
  })),
  expected: EVERY_CALLER_EXPORTS,
  verify: async (_, caller, { refusal, data }) => {
    if (refusal) return;
    const sessions = [...MAIN_ORG, ...OTHER_ORG].flatMap((k) => t.world.sessions[k]);
    await expectOwnExport(caller, data, "Activity ID",
      await scopeIds(caller as Authenticated, "activities", `session_id = ANY('{${sessions.join(",")}}'::uuid[])`));
  },
});

describeScopedMutation("exportUsers naming every company of both organizations", scope, {
  target: async () => null,
  run: (client) => exportAndWait(client, () => client.request(ExportUsersDocument, {
    filter: { companyIds: Object.values(t.world.companies) }, columns: [UserColumn.USER_ID],
  })),
  expected: EVERY_CALLER_EXPORTS,
  verify: async (_, caller, { refusal, data }) => {
    if (refusal) return;
    const companies = `company_id = ANY('{${Object.values(t.world.companies).join(",")}}'::uuid[])`;
    await expectOwnExport(caller, data, "User ID", await scopeIds(caller as Authenticated, "users", companies));
  },
});

for (const org of ["main", "other"] as Org[]) {
  const inScope: Authenticated = org === "main" ? "asAdmin" : "asOtherOrgAdmin";
  const outOfScope: Authenticated = org === "main" ? "asOtherOrgAdmin" : "asAdmin";
  // exportUserData is @Authorized() for everyone; another user's id is out of scope: NOT_FOUND.
  describeScopedMutation(`exportUserData of another user of ${org === "main" ? "this" : "another"} organization`, scope, {
    target: () => userWithData(org),
    run: (client, user) => exportAndWait(client, () => client.request(ExportUserDataDocument, { userId: user.id })),
    expected: {
      [inScope]: exportAdded, [outOfScope]: NOT_FOUND, asDeveloper: NOT_FOUND, asMember: NOT_FOUND,
    } as Record<Authenticated, typeof NOT_FOUND | typeof exportAdded>,
    verify: async (user, caller, { refusal, data }) => {
      if (refusal) return;
      await expectOwnExport(caller, data, "User ID", [user.id], user.id);
    },
  });
}

// ---------------------------------------------------------------------------------------------
// trackActivities: a refused event is reported in `rejected` (the call itself succeeds) and
// nothing is stored. Non-admins naming another user are FORBIDDEN whatever the id (so the answer
// never tells who exists); an admin naming a user outside its organization gets NOT_FOUND.

type Tracked = { trackActivities: { acceptedCount: number; accepted: { activityId: string; sessionId: string }[]; rejected: { index: number; code: string }[] } };

function trackRefusal(body: GraphQLResponse<unknown>["body"]): string | undefined {
  expect(body.errors).toBeUndefined();
  const result = (body.data as Tracked).trackActivities;
  expect(result.acceptedCount).toBe(0);
  expect(result.rejected.map((r) => r.index)).toEqual([0]);
  return result.rejected[0].code;
}

const trackedInto = (userId: string, data: unknown): RowChanges => {
  const [accepted] = (data as Tracked).trackActivities.accepted;
  return rowChanges({ activities: { added: [accepted.activityId] }, sessions: { added: [accepted.sessionId] }, users: { changed: [userId] } });
};

for (const org of ["main", "other"] as Org[]) {
  const inScope: Authenticated = org === "main" ? "asAdmin" : "asOtherOrgAdmin";
  const outOfScope: Authenticated = org === "main" ? "asOtherOrgAdmin" : "asAdmin";
  describeScopedMutation(`trackActivities for another user of ${org === "main" ? "this" : "another"} organization`, scope, {
    target: () => bareUser(org),
    run: (client, userId) => client.request(TrackActivitiesDocument, {
      events: [event(userId, BASE, `scoped-${randomUUID()}`)],
    }),
    expected: {
      [inScope]: allowed((userId: string, data) => trackedInto(userId, data)),
      [outOfScope]: NOT_FOUND,
      asDeveloper: FORBIDDEN,
      asMember: FORBIDDEN,
    } as Record<Authenticated, typeof NOT_FOUND | typeof FORBIDDEN | Allowed<string>>,
    refusal: trackRefusal,
    verify: async (userId, _caller, { refusal }) => {
      expect(await countsOf(userId)).toMatchObject(refusal ? { sessions: 0, activities: 0 } : { sessions: 1, activities: 1 });
    },
  });
}

// ---------------------------------------------------------------------------------------------
// The ingestion merge: an event that bridges two of a user's sessions keeps the earlier one,
// moves the later one's activities and attachments to it and deletes it, touching no row of any
// other user or organization.

/** Whose row it is: users by id, the rest by user_id / owner_id / requested_by_id. */
function ownerOf(table: string, row: Record<string, unknown> | undefined): unknown {
  if (!row) return undefined;
  if (table === "users") return row.id;
  return row.user_id ?? row.owner_id ?? row.requested_by_id ?? null;
}

/** Rows of anyone but `userId` (or of no user) among the changes, as they read before and after. */
function othersTouched(before: Awaited<ReturnType<typeof snapshotRows>>, after: Awaited<ReturnType<typeof snapshotRows>>, changes: RowChanges, userId: string) {
  return touchedRows(before, after, changes).filter((r) => [r.before, r.after].some((row) => row && ownerOf(r.table, row) !== userId));
}

describe("trackActivities merging sessions", () => {
  const cases: [string, Authenticated, () => Promise<string>, number][] = [
    ["an admin, for a user of its organization", "asAdmin", () => bareUser("main"), BASE],
    ["a member, for themselves", "asMember", async () => t.world.users.member.id, BASE + 2 * 24 * 60 * MINUTE],
  ];
  it.each(cases)("%s: attachments move to the kept session and no row of another user or organization changes", async (_who, caller, userOf, base) => {
    const client = t.world.clients[caller];
    const userId = await userOf();
    const track = async (events: ReturnType<typeof event>[]) => {
      const { body } = await client.request(TrackActivitiesDocument, { events: events.map((e) => (caller === "asAdmin" ? e : { ...e, userId: undefined })) });
      expect(body.errors).toBeUndefined();
      expect((body.data as Tracked).trackActivities.rejected).toEqual([]);
      return (body.data as Tracked).trackActivities.accepted;
    };
    const early = await track([event(userId, base, "a"), event(userId, base + 10 * MINUTE, "b")]);
    const late = await track([event(userId, base + 70 * MINUTE, "d"), event(userId, base + 80 * MINUTE, "e")]);
    const [keptId, mergedId] = [early[0].sessionId, late[0].sessionId];
    expect(mergedId).not.toBe(keptId);
    const organizationId = t.world.organizationId;
    const [keptAttachment, movedAttachment] = await insertRows(m(), "attachments", [keptId, mergedId].map((sessionId) => ({
      organization_id: organizationId, session_id: sessionId, user_id: userId, kind: "LOG", file_name: "x.log", content_type: "text/plain",
    })));

    const organizations = [t.world.organizationId, t.world.otherOrganizationId];
    const before = await snapshotRows(db(), organizations);
    // Exactly one gap after "b" and one before "d": the event joins both sessions.
    const [bridge] = await track([event(userId, base + 40 * MINUTE, "c")]);
    const after = await snapshotRows(db(), organizations);
    const changes = diffRows(before, after);

    expect(bridge.sessionId).toBe(keptId);
    expect(changes).toEqual(rowChanges({
      sessions: { removed: [mergedId], changed: [keptId] },
      activities: { added: [bridge.activityId], changed: late.map((a) => a.activityId) },
      attachments: { changed: [movedAttachment] },
    }));
    expect(after.attachments.get(movedAttachment)).toMatchObject({ session_id: keptId, user_id: userId, organization_id: organizationId });
    expect(changedColumns(before, after, "attachments", movedAttachment)).toEqual(["session_id"]);
    expect(after.attachments.get(keptAttachment)).toEqual(before.attachments.get(keptAttachment));
    expect(othersTouched(before, after, changes, userId)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The merge's own writes (moving attachments, refreshing spans, deleting emptied sessions) act
// on session ids read from the user's activities. The API never points an activity at another
// user's session, but the writes should not trust that: each is meant to be a scoped write.
// On 083e0c6 both cases fail (issue 15, item 3): moveAttachments moves every attachment of a
// merged session id with no organization or owner filter, and refreshSpans (and
// deleteEmptySessions) filter by organization only, so a member's merge rewrites another
// member's session span.

describe("trackActivities merging sessions, when an activity points at a session outside the caller's scope", () => {
  const cases: [string, Authenticated, UserKey, () => Promise<string>, number][] = [
    ["a member, for themselves; the stray session is another member's", "asMember", "member2", async () => t.world.users.member.id, BASE + 4 * 24 * 60 * MINUTE],
    ["an admin, for a user of its organization; the stray session is another organization's", "asAdmin", "otherMember", () => bareUser("main"), BASE + 5 * 24 * 60 * MINUTE],
  ];
  it.each(cases)("%s: no row outside the caller's scope changes", async (_who, caller, victimKey, userOf, base) => {
    const client = t.world.clients[caller];
    const userId = await userOf();
    const victim = t.world.users[victimKey];
    const organizationId = t.world.organizationId;
    // The caller's own session: two tracked events.
    const { body } = await client.request(TrackActivitiesDocument, {
      events: [0, 10].map((minutes, i) => ({ ...event(userId, base + minutes * MINUTE, `own-${i}`), ...(caller === "asAdmin" ? {} : { userId: undefined }) })),
    });
    expect(body.errors).toBeUndefined();
    const ownSession = (body.data as Tracked).trackActivities.accepted[0].sessionId;
    // The victim's tracked session, with one of their activities (days earlier) and an attachment.
    const [victimSession] = await insertRows(m(), "sessions", [{
      organization_id: victim.organizationId, user_id: victim.id, company_id: victim.companyId, status: "COMPLETED", origin: "TRACKED",
      launched_at: new Date(base - 3 * 24 * 60 * MINUTE),
    }]);
    await insertRows(m(), "activities", [{
      organization_id: victim.organizationId, user_id: victim.id, company_id: victim.companyId, session_id: victimSession,
      occurred_at: new Date(base - 3 * 24 * 60 * MINUTE), category: "Page", action: "View", label: "victim",
    }]);
    const [victimAttachment] = await insertRows(m(), "attachments", [{
      organization_id: victim.organizationId, session_id: victimSession, user_id: victim.id, kind: "LOG", file_name: "victim.log", content_type: "text/plain",
    }]);
    // The inconsistent row: one of the caller's user's activities, pointing at the victim's session.
    await insertRows(m(), "activities", [{
      organization_id: organizationId, user_id: userId, company_id: t.world.companies.alpha, session_id: victimSession,
      occurred_at: new Date(base + 20 * MINUTE), category: "Page", action: "View", label: "stray",
    }]);

    const organizations = [t.world.organizationId, t.world.otherOrganizationId];
    const before = await snapshotRows(db(), organizations);
    const bridge = await client.request(TrackActivitiesDocument, {
      events: [{ ...event(userId, base + 30 * MINUTE, "bridge"), ...(caller === "asAdmin" ? {} : { userId: undefined }) }],
    });
    expect(bridge.body.errors).toBeUndefined();
    expect((bridge.body.data as Tracked).trackActivities.accepted[0].sessionId).toBe(ownSession);
    const after = await snapshotRows(db(), organizations);
    const changes = diffRows(before, after);

    // Nothing of the victim's moved: not their session, not its attachment.
    expect({ session: after.sessions.get(victimSession), attachment: after.attachments.get(victimAttachment) })
      .toEqual({ session: before.sessions.get(victimSession), attachment: before.attachments.get(victimAttachment) });
    expect(othersTouched(before, after, changes, userId)).toEqual([]);
  });
});
