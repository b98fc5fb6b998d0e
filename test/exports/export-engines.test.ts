/**
 * The two CSV engines write the same bytes: json2csv in Node (the reference) and PostgreSQL's
 * COPY (used for large exports). Every export kind, every column, formula neutralisation on and
 * off, on data full of quotes, commas, line breaks, empty strings, NULLs, non-ASCII and
 * formula triggers.
 */
import { insertRows } from "../../src/db/insert";
import { TRICKY_LABELS } from "../../src/seed/demo";
import {
  ActivityColumn,
  ExportActivitiesDocument,
  ExportByIdDocument,
  ExportSessionsDocument,
  ExportUserDataDocument,
  ExportUsersDocument,
} from "../generated/graphql";
import { GraphQLClient } from "../support/client";
import { download, finished } from "../support/exports";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { useWorld } from "../support/world";

jest.setTimeout(60_000);
// The world's gateway encodes in Node; a second gateway on the same database lets PostgreSQL do it.
const t = useWorld({ sessionsPerUser: 2, activitiesPerSession: 2 }, { exportCsvEngine: "json2csv" });
let copyGateway: TestGateway;

// The COPY engine neutralises on COPY's quoted output: a formula character after an escaped quote, or a lone one, must come out as json2csv writes it.
const NASTY = [...TRICKY_LABELS, "", "a\r\nb", 'only "quotes"', "tab\tinside", "back\\slash", "\rlead", "日本語,カンマ", '"=quoted first', 'mid "=quote', 'end ""', "=", "-"];

beforeAll(async () => {
  copyGateway = await startTestGateway({ exportCsvEngine: "postgres" });
  const m = t.gateway.dataSource.manager;
  const { organizationId, companies, users } = t.world;
  await m.query(`UPDATE users SET tags = $2::text[], properties = $3::jsonb, country = $4 WHERE id = $1`,
    [users.member.id, ["=vip", "a,b", 'q"uote'], JSON.stringify({ phone: "+1 555 0100", note: 'say "hi"\nbye' }), ""]);
  await insertRows(m, "sessions", NASTY.map((label, i) => ({
    organization_id: organizationId, user_id: users.member.id, company_id: companies.alpha, status: i % 2 ? "STARTED" : "COMPLETED",
    launched_at: new Date(Date.parse("2026-07-01T00:00:00Z") + i * 60_000), started_at: new Date(Date.parse("2026-07-01T00:01:00Z") + i * 60_000),
    completed_at: i % 2 ? null : new Date(Date.parse("2026-07-01T00:09:00Z") + i * 60_000),
    app_name: label, app_id: i % 3 ? null : label, test_name: label, removed_reason: i % 4 ? null : label, units_pending: i, booked_duration_min: i % 2 ? null : 30,
    creator_id: users.admin.id,
  })));
  await insertRows(m, "activities", NASTY.map((label, i) => ({
    organization_id: organizationId, user_id: users.member.id, company_id: companies.alpha,
    occurred_at: new Date(Date.parse("2026-07-02T00:00:00Z") + i * 1000), category: i % 2 ? "Page" : label || "Page", action: "View", label,
    content_id: i % 3 ? null : label, content_name: i % 3 ? null : label, content_slug: null,
  })));
});

afterAll(async () => {
  await copyGateway?.close();
});

type Asked = { id: string };
async function fileOf(client: GraphQLClient, ask: (c: GraphQLClient) => Promise<Asked>): Promise<Buffer> {
  const asked = await ask(client);
  const done = await finished(async () => (await client.data(ExportByIdDocument, { id: asked.id })).export!);
  expect(done.status).toBe("COMPLETED");
  const file = await download(done.url!);
  expect(file.headers.get("x-content-sha256")).toBe(done.sha256);
  return file.bytes;
}

const cases: [string, (c: GraphQLClient) => Promise<Asked>][] = [
  ["sessions, every column", async (c) => (await c.data(ExportSessionsDocument, { filter: { includeRemoved: true } })).exportSessions],
  ["sessions, formulas left as they are", async (c) => (await c.data(ExportSessionsDocument, { options: { neutralizeFormulas: false } })).exportSessions],
  ["activities, every column", async (c) => (await c.data(ExportActivitiesDocument, {})).exportActivities],
  ["activities, formulas left as they are", async (c) => (await c.data(ExportActivitiesDocument, { options: { neutralizeFormulas: false } })).exportActivities],
  ["users", async (c) => (await c.data(ExportUsersDocument, {})).exportUsers],
  ["one user's data", async (c) => (await c.data(ExportUserDataDocument, { userId: t.world.users.member.id })).exportUserData],
  ["one column with empty cells", async (c) => (await c.data(ExportActivitiesDocument, { columns: [ActivityColumn.CONTENT_SLUG] })).exportActivities],
  ["no rows at all", async (c) => (await c.data(ExportUsersDocument, { filter: { search: "no such user anywhere" } })).exportUsers],
];

describe("json2csv and COPY write identical files", () => {
  it.each(cases)("%s", async (_name, ask) => {
    const node = await fileOf(t.world.clients.asAdmin, ask);
    const postgres = await fileOf(new GraphQLClient(copyGateway.url, t.world.tokens.asAdmin), ask);
    expect(postgres.toString("utf8")).toBe(node.toString("utf8"));
    expect(postgres.equals(node)).toBe(true);
  });
});
