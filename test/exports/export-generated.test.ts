/**
 * Export parity on a generated data set (the project's own generator, seed 7002): for an admin
 * and for a member of the generated organization, exports hold exactly the rows the list
 * queries return over all pages, in order, across a spread of filters.
 */
import { issueApiToken } from "../../src/api-tokens";
import { Role } from "../../src/access";
import { generateDataset } from "../../src/seed/generate";
import {
  ActivityColumn,
  ActivityRowsDocument,
  ExportActivitiesDocument,
  ExportByIdDocument,
  ExportSessionsDocument,
  SessionColumn,
  SessionIdsDocument,
  SessionStatus,
  type ActivityFilter,
  type SessionFilter,
} from "../generated/graphql";
import { GraphQLClient } from "../support/client";
import { allIds, column, download, finished } from "../support/exports";
import { startTestGateway, type TestGateway } from "../support/gateway";

jest.setTimeout(120_000);
let gateway: TestGateway;
const clients: Record<"admin" | "member", GraphQLClient> = {} as never;
let memberId = "";
let someUsers: string[] = [];

beforeAll(async () => {
  gateway = await startTestGateway();
  const generated = await generateDataset(gateway.dataSource, { companies: 4, users: 40, sessions: 600, activities: 5_000, seed: 7002 });
  const m = gateway.dataSource.manager;
  const [member] = await gateway.dataSource.query(
    `SELECT u.id FROM users u JOIN sessions s ON s.user_id = u.id WHERE u.organization_id = $1 AND u.role = 'MEMBER' GROUP BY u.id ORDER BY count(*) DESC, u.id LIMIT 1`,
    [generated.organizationId],
  );
  memberId = member.id;
  someUsers = (await gateway.dataSource.query(`SELECT id FROM users WHERE organization_id = $1 ORDER BY id LIMIT 5`, [generated.organizationId])).map((r: { id: string }) => r.id);
  const token = async (ownerId: string, role: Role) => (await issueApiToken(m, { organizationId: generated.organizationId, ownerId, label: "parity", role })).secret;
  clients.admin = new GraphQLClient(gateway.url, await token(generated.adminUserId, Role.ADMIN));
  clients.member = new GraphQLClient(gateway.url, await token(memberId, Role.MEMBER));
});

afterAll(async () => {
  await gateway?.close();
});

const sessionFilters: [string, () => SessionFilter | undefined][] = [
  ["everything", () => undefined],
  ["removed included", () => ({ includeRemoved: true })],
  ["a search", () => ({ search: "bank" })],
  ["pending units", () => ({ pendingUnitsOnly: true, includeRemoved: true })],
  ["statuses", () => ({ statuses: [SessionStatus.PENDING, SessionStatus.CANCELED, SessionStatus.EXPIRED] })],
  ["users and devices", () => ({ userIds: [...someUsers, memberId], deviceTypes: ["iPhone 15", "Pixel 8"] })],
  ["a quarter in Tokyo", () => ({ dateRange: { from: "2026-04-01", to: "2026-06-30" }, timeZone: "Asia/Tokyo" })],
];

describe.each(["admin", "member"] as const)("as the generated organization's %s", (who) => {
  it.each(sessionFilters)("exportSessions = sessions, all pages: %s", async (_name, filterOf) => {
    const filter = filterOf();
    const asked = (await clients[who].data(ExportSessionsDocument, { filter, columns: [SessionColumn.SESSION_ID] })).exportSessions;
    const done = await finished(async () => (await clients[who].data(ExportByIdDocument, { id: asked.id })).export!);
    const listed = await allIds(clients[who], SessionIdsDocument, { filter }, (d) => d.sessions, 100);
    expect(column((await download(done.url!)).records, "Session ID")).toEqual(listed);
    if (who === "admin") expect(listed.length).toBeGreaterThan(0);
  });

  const activityFilters: [string, () => ActivityFilter | undefined][] = [
    ["everything", () => undefined],
    ["a month of views", () => ({ actions: ["View"], dateRange: { from: "2026-05-01", to: "2026-05-31" } })],
    ["some users", () => ({ userIds: [...someUsers, memberId] })],
  ];
  it.each(activityFilters)("exportActivities = activities, all pages: %s", async (_name, filterOf) => {
    const filter = filterOf();
    const asked = (await clients[who].data(ExportActivitiesDocument, { filter, columns: [ActivityColumn.ACTIVITY_ID] })).exportActivities;
    const done = await finished(async () => (await clients[who].data(ExportByIdDocument, { id: asked.id })).export!);
    const listed = await allIds(clients[who], ActivityRowsDocument, { filter }, (d) => d.activities, 500);
    expect(column((await download(done.url!)).records, "Activity ID")).toEqual(listed);
    expect(listed.length).toBeGreaterThan(0);
  });
});
