/**
 * "The export is the query": for every role and several filters, an export holds exactly the
 * rows that the list query returns to the same caller over all its pages, in the same order.
 * Plus the role matrix of each export mutation, column choice, and who sees which exports.
 */
import { ErrorCode } from "../../src/shared/errors";
import {
  ActivityColumn,
  ActivityRowsDocument,
  ExportActivitiesDocument,
  ExportByIdDocument,
  ExportSessionsDocument,
  ExportsDocument,
  ExportUserDataDocument,
  ExportUsersDocument,
  SessionColumn,
  SessionIdsDocument,
  SessionStatus,
  UserColumn,
  UserIdsDocument,
  type ActivityFilter,
  type SessionFilter,
  type UserFilter,
} from "../generated/graphql";
import { allIds, column, download } from "../support/exports";
import { describeScoped } from "../support/scoped";
import { useWorld, type Caller, type UserKey } from "../support/world";

const t = useWorld({ sessionsPerUser: 4, activitiesPerSession: 2 });
const CALLERS: Exclude<Caller, "anonymous">[] = ["asAdmin", "asDeveloper", "asMember", "asOtherOrgAdmin"];

async function exported(caller: Caller, url: string | null | undefined, header: string): Promise<string[]> {
  expect(url).toBeTruthy();
  const file = await download(url!);
  expect(file.status).toBe(200);
  return column(file.records, header);
}

describe("exportSessions holds exactly the list's rows, in its order", () => {
  const filters: [string, (ids: typeof t.world) => SessionFilter | undefined][] = [
    ["no filter", () => undefined],
    ["includeRemoved", () => ({ includeRemoved: true })],
    ["a search", () => ({ search: "OF MEMBER" })],
    ["userIds of two users", (w) => ({ userIds: [w.users.member.id, w.users.developer.id] })],
    ["statuses and a date range", () => ({ statuses: [SessionStatus.COMPLETED], dateRange: { from: "2026-06-01", to: "2026-06-01" } })],
  ];
  for (const caller of CALLERS) {
    it.each(filters)(`${caller}: %s`, async (_name, filterOf) => {
      const filter = filterOf(t.world);
      const client = t.world.clients[caller];
      const { exportSessions } = await client.data(ExportSessionsDocument, { filter, columns: [SessionColumn.SESSION_ID, SessionColumn.LAUNCH_DATE] });
      expect(exportSessions.status).toBe("COMPLETED");
      const listed = await allIds(client, SessionIdsDocument, { filter }, (d) => d.sessions);
      const rows = await exported(caller, exportSessions.url, "Session ID");
      expect(rows).toEqual(listed);
      expect(exportSessions.rowCount).toBe(listed.length);
    });
  }

  it("never gives a member another user's row, even when asked for other users", async () => {
    const { exportSessions } = await t.world.clients.asMember.data(ExportSessionsDocument, {
      filter: { userIds: [t.world.users.admin.id, t.world.users.member2.id, t.world.users.member.id] },
      columns: [SessionColumn.SESSION_ID, SessionColumn.RUN_BY],
    });
    const file = await download(exportSessions.url!);
    expect(column(file.records, "Session ID").sort()).toEqual([...t.world.sessions.member].sort());
    expect(new Set(column(file.records, "Run By"))).toEqual(new Set([t.world.users.member.email]));
  });
});

describe("exportActivities and exportUsers hold exactly the list's rows", () => {
  const activityFilters: [string, (w: typeof t.world) => ActivityFilter | undefined][] = [
    ["no filter", () => undefined],
    ["a user and a company", (w) => ({ userIds: [w.users.member.id], companyIds: [w.companies.alpha] })],
  ];
  for (const caller of CALLERS) {
    it.each(activityFilters)(`activities, ${caller}: %s`, async (_name, filterOf) => {
      const filter = filterOf(t.world);
      const client = t.world.clients[caller];
      const { exportActivities } = await client.data(ExportActivitiesDocument, { filter, columns: [ActivityColumn.ACTIVITY_ID, ActivityColumn.USER_ID] });
      const listed = await allIds(client, ActivityRowsDocument, { filter }, (d) => d.activities);
      expect(await exported(caller, exportActivities.url, "Activity ID")).toEqual(listed);
    });

    const userFilters: UserFilter[] = [{}, { search: "member" }];
    it.each(userFilters)(`users, ${caller}: %j`, async (filter) => {
      const client = t.world.clients[caller];
      const { exportUsers } = await client.data(ExportUsersDocument, { filter, columns: [UserColumn.USER_ID, UserColumn.EMAIL] });
      const listed = await allIds(client, UserIdsDocument, { filter }, (d) => d.users);
      expect(await exported(caller, exportUsers.url, "User ID")).toEqual(listed);
    });
  }
});

describe("exportUserData", () => {
  it("holds the user's profile on each of their activities, newest first", async () => {
    const member = t.world.users.member;
    const { exportUserData } = await t.world.clients.asAdmin.data(ExportUserDataDocument, { userId: member.id });
    const file = await download(exportUserData.url!);
    expect(new Set(column(file.records, "User ID"))).toEqual(new Set([member.id]));
    expect(new Set(column(file.records, "Email"))).toEqual(new Set([member.email]));
    const listed = await allIds(t.world.clients.asAdmin, ActivityRowsDocument, { filter: { userIds: [member.id] } }, (d) => d.activities);
    expect(column(file.records, "Date/Time")).toHaveLength(listed.length);
    expect(column(file.records, "Date/Time")).toEqual([...column(file.records, "Date/Time")].sort().reverse());
  });

  const cases: [Caller, UserKey, string][] = [
    ["asMember", "member", "COMPLETED"],
    ["asDeveloper", "developer", "COMPLETED"],
    ["asMember", "admin", ErrorCode.NOT_FOUND],
    ["asDeveloper", "member", ErrorCode.NOT_FOUND],
    ["asOtherOrgAdmin", "member", ErrorCode.NOT_FOUND],
    ["asAdmin", "otherMember", ErrorCode.NOT_FOUND],
    ["anonymous", "member", ErrorCode.UNAUTHENTICATED],
  ];
  it.each(cases)("%s exporting the data of %s → %s", async (caller, whose, outcome) => {
    const { body } = await t.world.clients[caller].request(ExportUserDataDocument, { userId: t.world.users[whose].id });
    if (outcome === "COMPLETED") expect(body.data!.exportUserData.status).toBe("COMPLETED");
    else expect(body.errors![0].extensions!.code).toBe(outcome);
  });
});

describe("columns", () => {
  it("picks and orders a subset, with human-readable headers", async () => {
    const { exportSessions } = await t.world.clients.asAdmin.data(ExportSessionsDocument, {
      columns: [SessionColumn.UNITS_PENDING, SessionColumn.LAUNCH_DATE, SessionColumn.STATUS, SessionColumn.SESSION_ID],
    });
    const file = await download(exportSessions.url!);
    expect(file.records[0]).toEqual(["Session Units Pending (launch date)", "Launch Date (timezone in UTC)", "Status", "Session ID"]);
    expect(exportSessions.columns).toEqual(["UNITS_PENDING", "LAUNCH_DATE", "STATUS", "SESSION_ID"]);
  });

  it("defaults to every column offered to the role: a member is never offered other users' emails", async () => {
    const admin = (await t.world.clients.asAdmin.data(ExportSessionsDocument, {})).exportSessions;
    const member = (await t.world.clients.asMember.data(ExportSessionsDocument, {})).exportSessions;
    expect(admin.columns).toEqual(expect.arrayContaining(["CREATOR_EMAIL", "LAUNCHER_EMAIL", "APPROVER_EMAIL", "CREATOR_NAME"]));
    expect(member.columns.filter((c) => /CREATOR|LAUNCHER|APPROVER/.test(c))).toEqual([]);
    const file = await download(member.url!);
    expect(file.bytes.toString()).not.toContain(t.world.users.admin.email);
  });

  it.each([
    ["a column the role is not offered", "asMember" as Caller, [SessionColumn.CREATOR_EMAIL]],
    ["a duplicate column", "asAdmin" as Caller, [SessionColumn.SESSION_ID, SessionColumn.SESSION_ID]],
    ["no column at all", "asAdmin" as Caller, []],
  ])("answers BAD_USER_INPUT for %s, and records no export", async (_what, caller, columns) => {
    const before = (await t.world.clients[caller].data(ExportsDocument, { first: 500 })).exports.totalCount;
    const { body } = await t.world.clients[caller].request(ExportSessionsDocument, { columns });
    expect(body.errors![0].extensions!.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect((await t.world.clients[caller].data(ExportsDocument, { first: 500 })).exports.totalCount).toBe(before);
  });

  it("answers BAD_USER_INPUT for an unknown column", async () => {
    const { body } = await t.world.clients.asAdmin.raw({
      query: "mutation { exportSessions(columns: [NOT_A_COLUMN]) { id } }",
    });
    expect(body.errors![0].extensions!.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
  });

  it("answers BAD_USER_INPUT for a bad filter before recording anything", async () => {
    const { body } = await t.world.clients.asAdmin.request(ExportSessionsDocument, { filter: { dateRange: { from: "2026-02-01", to: "2026-01-01" } } });
    expect(body.errors![0].extensions!.code).toBe(ErrorCode.BAD_USER_INPUT);
  });
});

describe("the export mutations refuse callers without credentials", () => {
  it.each([
    ["exportSessions", () => t.world.clients.anonymous.request(ExportSessionsDocument)],
    ["exportActivities", () => t.world.clients.anonymous.request(ExportActivitiesDocument)],
    ["exportUsers", () => t.world.clients.anonymous.request(ExportUsersDocument)],
  ])("%s → UNAUTHENTICATED", async (_name, call) => {
    const { body } = await call();
    expect(body.errors![0].extensions!.code).toBe(ErrorCode.UNAUTHENTICATED);
  });
});

describe("who sees which exports", () => {
  const made: Record<string, string[]> = {};
  beforeAll(async () => {
    for (const caller of CALLERS) {
      const ids = [];
      for (let i = 0; i < 2; i++) ids.push((await t.world.clients[caller].data(ExportUsersDocument, { columns: [UserColumn.USER_ID] })).exportUsers.id);
      made[caller] = ids;
    }
  });

  describeScoped("export(id)", () => t.world, {
    read: async (client) => {
      const all = Object.values(made).flat();
      const found = await Promise.all(all.map((id) => client.request(ExportByIdDocument, { id })));
      const errors = found.flatMap((r) => r.body.errors ?? []);
      return { ids: found.map((r) => r.body.data?.export?.id).filter((id): id is string => !!id), errors: errors.length ? errors : undefined };
    },
    expected: () => ({
      asAdmin: [...made.asAdmin, ...made.asDeveloper, ...made.asMember],
      asDeveloper: made.asDeveloper,
      asMember: made.asMember,
      asOtherOrgAdmin: made.asOtherOrgAdmin,
    }),
  });

  it("lists each caller's own exports, and the organization's to an admin, newest first", async () => {
    const adminList = (await t.world.clients.asAdmin.data(ExportsDocument, { first: 500 })).exports.nodes;
    const memberList = (await t.world.clients.asMember.data(ExportsDocument, { first: 500 })).exports.nodes;
    expect(new Set(memberList.map((e) => e.requestedBy?.id))).toEqual(new Set([t.world.users.member.id]));
    expect(adminList.map((e) => e.id)).toEqual(expect.arrayContaining([...made.asDeveloper, ...made.asMember]));
    expect(adminList.map((e) => e.id)).not.toEqual(expect.arrayContaining(made.asOtherOrgAdmin));
  });
});
