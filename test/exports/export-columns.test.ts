/**
 * The column dictionary (`exportColumns(kind)`) and the byte-order mark option, over real HTTP
 * and a real export job: the dictionary lists each column with the header the file carries (the
 * product documents' wording), a meaning and whether it is admin-only, to each role exactly the
 * columns it may ask for; an export's header row is the dictionary's; `bom` starts the file
 * with EF BB BF (both CSV engines), and `bytes` and `sha256` include it.
 */
import { createHash, randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import { insertRows } from "../../src/db/insert";
import { ErrorCode } from "../../src/shared/errors";
import {
  ActivityColumn, ExportActivitiesDocument, ExportByIdDocument, ExportColumnsDocument, ExportKind, ExportSessionsDocument, ExportUserDataDocument, ExportUsersDocument,
} from "../generated/graphql";
import { GraphQLClient } from "../support/client";
import { download, finished } from "../support/exports";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { describeScoped } from "../support/scoped";
import { useWorld, type World } from "../support/world";

jest.setTimeout(120_000);
const t = useWorld({ sessionsPerUser: 1, activitiesPerSession: 1 });

const columnsOf = async (client: GraphQLClient, kind: ExportKind) => {
  const { body } = await client.request(ExportColumnsDocument, { kind });
  return { ids: body.data?.exportColumns.map((c) => c.column) ?? [], errors: body.errors, columns: body.data?.exportColumns ?? [] };
};

/** The session data export's columns, as the product document lists them (seeds/session-data-export.txt). */
const SESSION_DATA_EXPORT_HEADERS = [
  "Test ID", "Session ID", "Operating System", "Test Name", "Contributor Username", "Removed", "Creator Name", "Launch Date (timezone in UTC)",
  "Template", "Creator Email", "Completed Date (timezone in UTC)", "Short Test", "Launcher Name", "Status", "Test Type", "Launcher Email",
  "Booked Duration (min)", "Network Type", "Approver Name", "Actual Duration (min)", "Session Units Used (completed date)", "Approver Email",
  "Session Units Pending (launch date)", "Workspace", "Browser Version",
];
/** The user activity exporter's who / what / when / where (seeds/user-activity-exporter.txt). */
const ACTIVITY_EXPORTER_HEADERS = ["User ID", "First", "Last", "Company", "Email", "Category", "Action", "Label", "Date/Time", "Content ID", "Content Name", "Content Slug"];

const ADMIN_ONLY_SESSION_COLUMNS = ["CREATOR_NAME", "CREATOR_EMAIL", "LAUNCHER_NAME", "LAUNCHER_EMAIL", "APPROVER_NAME", "APPROVER_EMAIL"];

describe("exportColumns(kind)", () => {
  it("lists every session column with the session data export's wording, a meaning, and the admin-only ones marked", async () => {
    const { columns, errors } = await columnsOf(t.world.clients.asAdmin, ExportKind.SESSIONS);
    expect(errors).toBeUndefined();
    const headers = columns.map((c) => c.header);
    for (const header of SESSION_DATA_EXPORT_HEADERS) expect(headers).toContain(header);
    expect(columns.find((c) => c.column === "UNITS_PENDING")).toMatchObject({ header: "Session Units Pending (launch date)", adminOnly: false, numeric: true });
    expect(columns.filter((c) => c.adminOnly).map((c) => c.column).sort()).toEqual([...ADMIN_ONLY_SESSION_COLUMNS].sort());
    for (const c of columns) {
      expect(c.meaning.trim().length).toBeGreaterThan(5);
      expect(c.meaning).not.toMatch(/\n/);
    }
    expect(new Set(headers).size).toBe(headers.length);
  });

  it("lists the activity exporter's who / what / when / where headers, in that order", async () => {
    const { columns } = await columnsOf(t.world.clients.asMember, ExportKind.ACTIVITIES);
    expect(columns.map((c) => c.header).slice(0, ACTIVITY_EXPORTER_HEADERS.length)).toEqual(ACTIVITY_EXPORTER_HEADERS);
  });

  it.each([ExportKind.SESSIONS, ExportKind.ACTIVITIES, ExportKind.USERS, ExportKind.USER_DATA])("%s: an export's header row is the dictionary's headers, in its order", async (kind) => {
    const client = t.world.clients.asAdmin;
    const { columns } = await columnsOf(client, kind);
    const run = {
      [ExportKind.SESSIONS]: async () => (await client.data(ExportSessionsDocument, {})).exportSessions,
      [ExportKind.ACTIVITIES]: async () => (await client.data(ExportActivitiesDocument, {})).exportActivities,
      [ExportKind.USERS]: async () => (await client.data(ExportUsersDocument, {})).exportUsers,
      [ExportKind.USER_DATA]: async () => (await client.data(ExportUserDataDocument, { userId: t.world.users.member.id })).exportUserData,
    }[kind];
    const started = await run();
    expect(started.columns).toEqual(columns.map((c) => c.column));
    const done = await finished(async () => (await client.data(ExportByIdDocument, { id: started.id })).export!);
    const file = await download(done.url!);
    expect(file.records[0]).toEqual(columns.map((c) => c.header));
  });

  it("refuses a column the dictionary does not list to the caller (BAD_USER_INPUT), and stores no export", async () => {
    const before = await exportCount(t.world);
    const { body } = await t.world.clients.asMember.request(ExportSessionsDocument, { columns: ["CREATOR_EMAIL" as never] });
    expect(body.errors![0].extensions!.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(await exportCount(t.world)).toBe(before);
  });
});

async function exportCount(world: World): Promise<number> {
  const [{ n }] = await t.gateway.dataSource.query(`SELECT count(*)::int AS n FROM exports WHERE organization_id = ANY($1::uuid[])`, [[world.organizationId, world.otherOrganizationId]]);
  return n;
}

// Each role is listed exactly the columns it may ask for: admins everything, others no admin-only column.
for (const kind of [ExportKind.SESSIONS, ExportKind.ACTIVITIES, ExportKind.USERS]) {
  describeScoped(`exportColumns(${kind})`, () => t.world, {
    read: (client) => columnsOf(client, kind),
    expected: () => {
      const all: string[] = ({
        [ExportKind.SESSIONS]: ["TEST_ID", "TEST_NAME", "SESSION_ID", "CONTRIBUTOR_USERNAME", ...ADMIN_ONLY_SESSION_COLUMNS, "WORKSPACE", "OPERATING_SYSTEM",
          "BROWSER_VERSION", "NETWORK_TYPE", "LAUNCH_DATE", "COMPLETED_DATE", "STATUS", "BOOKED_DURATION", "ACTUAL_DURATION", "REMOVED", "REMOVED_REASON",
          "TEMPLATE", "SHORT_TEST", "TEST_TYPE", "UNITS_USED", "UNITS_PENDING", "RUN_BY", "APP_ID", "APP_NAME", "APP_GROUP", "APP_BUILD", "DEVICE_TYPE",
          "DEVICE_MODEL", "OS_VERSION", "START_DATE", "QUEUE_TIME", "DURATION"],
        [ExportKind.ACTIVITIES]: Object.values(ActivityColumn) as string[],
        [ExportKind.USERS]: ["USER_ID", "FIRST_NAME", "LAST_NAME", "EMAIL", "USERNAME", "COMPANY", "COUNTRY", "ROLE", "SIGN_UP_DATE", "FIRST_SEEN", "LAST_SEEN",
          "EXCLUDED_FROM_TRAFFIC", "TAGS", "PROPERTIES"],
      } as Record<string, string[]>)[kind];
      const offered = all.filter((c) => !ADMIN_ONLY_SESSION_COLUMNS.includes(c));
      return { asAdmin: all, asOtherOrgAdmin: all, asDeveloper: offered, asMember: offered };
    },
  });
}

// ---------------------------------------------------------------------------------------------
// ExportOptions.bom

/** A fresh user named Zoë Ørsted with one "Zoë’s café" activity. */
async function zoe(): Promise<string> {
  const tag = randomUUID().slice(0, 8);
  const m = t.gateway.dataSource.manager;
  const [userId] = await insertRows(m, "users", [{
    organization_id: t.world.organizationId, company_id: t.world.companies.alpha, first_name: "Zoë", last_name: "Ørsted",
    email: `zoe.${tag}@example.test`, username: `zoe_${tag}`, role: "MEMBER",
  }]);
  await insertRows(m, "activities", [{
    organization_id: t.world.organizationId, user_id: userId, company_id: t.world.companies.alpha,
    occurred_at: new Date("2026-03-01T00:00:00Z"), category: "Page", action: "View", label: "Zoë’s café",
  }]);
  return userId;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

async function exportZoe(gateway: { clients: World["clients"] }, userId: string, bom: boolean | undefined) {
  const client = gateway.clients.asAdmin;
  const { exportActivities } = await client.data(ExportActivitiesDocument, {
    filter: { userIds: [userId] }, columns: [ActivityColumn.FIRST_NAME, ActivityColumn.LAST_NAME, ActivityColumn.LABEL], ...(bom === undefined ? {} : { options: { bom } }),
  });
  const done = await finished(async () => (await client.data(ExportByIdDocument, { id: exportActivities.id })).export!);
  expect(done.status).toBe("COMPLETED");
  return { done, file: await download(done.url!) };
}

describe("ExportOptions.bom", () => {
  let copyGateway: TestGateway;
  let copyClients: World["clients"];
  beforeAll(async () => {
    // The same data through the PostgreSQL (COPY) engine, on a gateway of its own.
    copyGateway = await startTestGateway({ exportCsvEngine: "postgres" });
    copyClients = { ...t.world.clients, asAdmin: new GraphQLClient(copyGateway.url, t.world.tokens.asAdmin) };
  });
  afterAll(async () => copyGateway?.close());

  it("is off by default: the file starts with the header's quote", async () => {
    const { done, file } = await exportZoe(t.world, await zoe(), undefined);
    expect(done.bom).toBe(false);
    expect(file.bytes[0]).toBe(0x22);
  });

  it.each(["json2csv", "postgres"])("writes EF BB BF first (%s engine); bytes and sha256 include it; the text reads Zoë", async (engine) => {
    const userId = await zoe();
    const { done, file } = await exportZoe(engine === "postgres" ? { clients: copyClients } : t.world, userId, true);
    expect(done.bom).toBe(true);
    expect(file.bytes.subarray(0, 3)).toEqual(BOM);
    expect(done.bytes).toBe(file.bytes.length);
    expect(done.sha256).toBe(createHash("sha256").update(file.bytes).digest("hex"));
    // What Excel does with a BOM: reads UTF-8.
    const records = parse(file.bytes.subarray(3).toString("utf8")) as string[][];
    expect(records).toEqual([["First", "Last", "Label"], ["Zoë", "Ørsted", "Zoë’s café"]]);
    // The same file as without the option, after the mark.
    const plain = await exportZoe(t.world, userId, false);
    expect(file.bytes.subarray(3)).toEqual(plain.file.bytes);
    expect(done.bytes).toBe(plain.done.bytes! + 3);
  });
});
