/**
 * exportPreview over real HTTP and PostgreSQL, checked against the real export of the same
 * request read back with an independent CSV parser: the same row count (the list's totalCount),
 * headers and first rows, the file's first bytes, an exact size up to 10 rows and a close
 * estimate beyond; within each caller's scope; bad input refused with a stable code; nothing
 * started.
 */
import { randomUUID } from "node:crypto";
import { insertRows } from "../../src/db/insert";
import { ErrorCode } from "../../src/shared/errors";
import {
  ActivityIdsDocument, ExportActivitiesDocument, ExportByIdDocument, ExportKind, ExportPreviewDocument, ExportSessionsDocument, ExportUsersDocument,
  SessionIdsDocument, UserIdsDocument, type ExportPreviewFilter, type ExportPreviewQuery,
} from "../generated/graphql";
import type { GraphQLClient } from "../support/client";
import { useDatabaseClient } from "../support/database";
import { download, finished } from "../support/exports";
import { describeScoped } from "../support/scoped";
import { useWorld, type Caller } from "../support/world";

jest.setTimeout(120_000);
const t = useWorld({ sessionsPerUser: 1, activitiesPerSession: 2 });
const db = useDatabaseClient();

/** A fresh member of the main organization with an activity per label, one second apart. */
async function userWithLabels(labels: string[]): Promise<string> {
  const m = t.gateway.dataSource.manager;
  const tag = randomUUID().slice(0, 8);
  const [userId] = await insertRows(m, "users", [{
    organization_id: t.world.organizationId, company_id: t.world.companies.alpha, first_name: "Preview", last_name: tag,
    email: `preview.${tag}@example.test`, username: `preview_${tag}`, role: "MEMBER",
  }]);
  await insertRows(m, "activities", labels.map((label, i) => ({
    organization_id: t.world.organizationId, user_id: userId, company_id: t.world.companies.alpha,
    occurred_at: new Date(Date.parse("2026-03-01T00:00:00Z") + i * 1000), category: "Question - Poll", action: "Answer", label,
  })));
  return userId;
}

async function preview(client: GraphQLClient, kind: ExportKind, filter?: ExportPreviewFilter, columns?: string[], options?: { neutralizeFormulas?: boolean; bom?: boolean }) {
  return await client.request(ExportPreviewDocument, { kind, filter, columns, options });
}

async function previewOk(...args: Parameters<typeof preview>): Promise<ExportPreviewQuery["exportPreview"]> {
  const { body } = await preview(...args);
  expect(body.errors).toBeUndefined();
  return body.data!.exportPreview;
}

/** Runs the real export of the same request and reads the file back. */
async function exportFile(client: GraphQLClient, kind: ExportKind, filter: ExportPreviewFilter, columns: string[] | undefined, options?: { neutralizeFormulas?: boolean; bom?: boolean }) {
  const started = kind === ExportKind.SESSIONS
    ? (await client.data(ExportSessionsDocument, { filter: filter.sessions, columns: columns as never, options })).exportSessions
    : kind === ExportKind.ACTIVITIES
      ? (await client.data(ExportActivitiesDocument, { filter: filter.activities, columns: columns as never, options })).exportActivities
      : (await client.data(ExportUsersDocument, { filter: filter.users, columns: columns as never, options })).exportUsers;
  const done = await finished(async () => (await client.data(ExportByIdDocument, { id: started.id })).export!);
  expect(done.status).toBe("COMPLETED");
  return { done, file: await download(done.url!) };
}

async function listTotal(client: GraphQLClient, kind: ExportKind, filter: ExportPreviewFilter): Promise<number> {
  if (kind === ExportKind.SESSIONS) return (await client.data(SessionIdsDocument, { filter: filter.sessions, first: 1 })).sessions.totalCount;
  if (kind === ExportKind.ACTIVITIES) return (await client.data(ActivityIdsDocument, { filter: filter.activities, first: 1 })).activities.totalCount;
  return (await client.data(UserIdsDocument, { filter: filter.users, first: 1 })).users.totalCount;
}

let many: string;
let tricky: string;
beforeAll(async () => {
  many = await userWithLabels(Array.from({ length: 40 }, (_, i) => `answer number ${i} of forty, "quoted" and all`));
  tricky = await userWithLabels(["=1+1", "+SUM(A1:A9)", "-2", "@cmd", "a, comma", "two\nlines", "Zoë’s café"]);
});

describe("exportPreview is the export's beginning", () => {
  const cases: [string, Caller, ExportKind, () => ExportPreviewFilter, string[] | undefined][] = [
    ["admin, activities of one user (40 rows)", "asAdmin", ExportKind.ACTIVITIES, () => ({ activities: { userIds: [many] } }), undefined],
    ["admin, every activity", "asAdmin", ExportKind.ACTIVITIES, () => ({}), ["ACTIVITY_ID", "LABEL", "DATE_TIME"]],
    ["member, its sessions", "asMember", ExportKind.SESSIONS, () => ({}), undefined],
    ["admin, sessions with removed ones", "asAdmin", ExportKind.SESSIONS, () => ({ sessions: { includeRemoved: true } }), ["SESSION_ID", "STATUS", "UNITS_PENDING", "LAUNCH_DATE"]],
    ["developer, its activities", "asDeveloper", ExportKind.ACTIVITIES, () => ({}), undefined],
    ["another organization's admin, its users", "asOtherOrgAdmin", ExportKind.USERS, () => ({}), undefined],
    ["admin, users of company alpha", "asAdmin", ExportKind.USERS, () => ({ users: { companyIds: [t.world.companies.alpha] } }), undefined],
  ];
  it.each(cases)("%s", async (_name, caller, kind, filter, columns) => {
    const client = t.world.clients[caller];
    const shown = await previewOk(client, kind, filter(), columns);
    const { done, file } = await exportFile(client, kind, filter(), columns);
    expect(shown.rowCount).toBe(done.rowCount);
    expect(shown.rowCount).toBe(await listTotal(client, kind, filter()));
    expect(shown.rowCount).toBeGreaterThan(0);
    expect(shown.columns).toEqual(done.columns);
    expect(shown.headers).toEqual(file.records[0]);
    expect(shown.rows).toEqual(file.records.slice(1, 11));
    const text = file.bytes.toString("utf8");
    if (shown.rowCount <= 10) {
      expect(shown.csv).toBe(text);
      expect(shown.estimatedBytes).toBe(done.bytes);
    } else {
      expect(text.startsWith(`${shown.csv}\r\n`)).toBe(true);
      // An estimate from the first rows' average size: close when rows are alike (the 40 similar
      // answers), within a factor of two when they are not (every activity, labels or none).
      const ratio = shown.estimatedBytes / done.bytes!;
      if (filter().activities?.userIds?.[0] === many) expect(Math.abs(ratio - 1)).toBeLessThan(0.1);
      else expect(ratio > 0.5 && ratio < 2).toBe(true);
    }
  });

  it("shows cells as written: formulas neutralised by default, verbatim when opted out, a byte-order mark when asked", async () => {
    const filter = { activities: { userIds: [tricky] } };
    const neutral = await previewOk(t.world.clients.asAdmin, ExportKind.ACTIVITIES, filter, ["LABEL"]);
    expect(neutral.rows.map((r) => r[0]).reverse()).toEqual(["'=1+1", "'+SUM(A1:A9)", "'-2", "'@cmd", "a, comma", "two\nlines", "Zoë’s café"]);
    const raw = await previewOk(t.world.clients.asAdmin, ExportKind.ACTIVITIES, filter, ["LABEL"], { neutralizeFormulas: false });
    expect(raw.rows.map((r) => r[0]).reverse()).toEqual(["=1+1", "+SUM(A1:A9)", "-2", "@cmd", "a, comma", "two\nlines", "Zoë’s café"]);
    const withBom = await previewOk(t.world.clients.asAdmin, ExportKind.ACTIVITIES, filter, ["LABEL"], { bom: true });
    const { done, file } = await exportFile(t.world.clients.asAdmin, ExportKind.ACTIVITIES, filter, ["LABEL"], { bom: true });
    expect(withBom.csv.startsWith("\uFEFF")).toBe(true);
    expect(Buffer.from(withBom.csv, "utf8")).toEqual(file.bytes);
    expect(withBom.estimatedBytes).toBe(done.bytes);
  });

  it("starts nothing", async () => {
    const { rows: [before] } = await db().query(`SELECT count(*)::int AS n FROM exports`);
    await previewOk(t.world.clients.asAdmin, ExportKind.SESSIONS);
    const { rows: [after] } = await db().query(`SELECT count(*)::int AS n FROM exports`);
    expect(after.n).toBe(before.n);
  });
});

describe("exportPreview refuses bad input with BAD_USER_INPUT", () => {
  const bad: [string, Caller, ExportKind, ExportPreviewFilter | undefined, string[] | undefined][] = [
    ["an unknown column", "asAdmin", ExportKind.SESSIONS, undefined, ["NOPE"]],
    ["another kind's column", "asAdmin", ExportKind.USERS, undefined, ["TEST_NAME"]],
    ["an admin-only column for a member", "asMember", ExportKind.SESSIONS, undefined, ["CREATOR_EMAIL"]],
    ["a column twice", "asAdmin", ExportKind.USERS, undefined, ["EMAIL", "EMAIL"]],
    ["no columns", "asAdmin", ExportKind.USERS, undefined, []],
    ["another kind's filter", "asAdmin", ExportKind.SESSIONS, { activities: {} }, undefined],
    ["a user data export", "asAdmin", ExportKind.USER_DATA, undefined, undefined],
    ["an inverted date range", "asAdmin", ExportKind.ACTIVITIES, { activities: { dateRange: { from: "2026-03-02", to: "2026-03-01" } } }, undefined],
    ["an id that is not a UUID", "asAdmin", ExportKind.ACTIVITIES, { activities: { userIds: ["not-a-uuid"] } }, undefined],
    ["an unknown time zone", "asAdmin", ExportKind.SESSIONS, { sessions: { dateRange: { from: "2026-03-01" }, timeZone: "Mars/Olympus" } }, undefined],
  ];
  it.each(bad)("%s", async (_name, caller, kind, filter, columns) => {
    const { status, body } = await preview(t.world.clients[caller], kind, filter, columns);
    expect(status).toBeLessThan(500);
    expect(body.data ?? null).toBeNull();
    expect(body.errors![0].extensions!.code).toBe(ErrorCode.BAD_USER_INPUT);
  });
});

// The rows a preview shows are the caller's scope, exactly: admins the organization's, others their own.
describeScoped("exportPreview(SESSIONS) rows", () => t.world, {
  read: async (client) => {
    const { body } = await preview(client, ExportKind.SESSIONS, undefined, ["SESSION_ID"]);
    return { ids: body.data?.exportPreview.rows.map((r) => r[0]) ?? [], errors: body.errors };
  },
  expected: (w) => ({
    asAdmin: [...w.sessions.admin, ...w.sessions.developer, ...w.sessions.member, ...w.sessions.member2],
    asDeveloper: w.sessions.developer,
    asMember: w.sessions.member,
    asOtherOrgAdmin: [...w.sessions.otherAdmin, ...w.sessions.otherMember],
  }),
});

// Naming someone else in the filter never widens it: the count and rows stay the caller's.
describeScoped("exportPreview(ACTIVITIES) naming every user of the organization", () => t.world, {
  read: async (client) => {
    const w = t.world;
    const { body } = await preview(client, ExportKind.ACTIVITIES, { activities: { userIds: [w.users.admin.id, w.users.developer.id, w.users.member.id, w.users.member2.id] } }, ["ACTIVITY_ID"]);
    const shown = body.data?.exportPreview;
    if (shown) expect(shown.rowCount).toBe(shown.rows.length);
    return { ids: shown?.rows.map((r) => r[0]) ?? [], errors: body.errors };
  },
  expected: (w) => ({
    asAdmin: [...w.activities.admin, ...w.activities.developer, ...w.activities.member, ...w.activities.member2],
    asDeveloper: w.activities.developer,
    asMember: w.activities.member,
    asOtherOrgAdmin: [],
  }),
});
