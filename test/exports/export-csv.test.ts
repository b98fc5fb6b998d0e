/**
 * The files themselves, read back with an independent parser (csv-parse): RFC 4180 quoting of
 * commas, quotes and line breaks, UTF-8, ISO 8601 UTC times, formula neutralisation of every
 * trigger character (and its opt-out), and a 100,000-row file compared cell by cell with rows
 * read from the database by plain SQL.
 */
import { randomUUID } from "node:crypto";
import { insertRows } from "../../src/db/insert";
import { TRICKY_LABELS } from "../../src/seed/demo";
import { ActivityColumn, ExportActivitiesDocument, ExportByIdDocument, ExportUsersDocument, UserColumn } from "../generated/graphql";
import { bulkFixture, download, finished } from "../support/exports";
import { useWorld } from "../support/world";

jest.setTimeout(120_000);
const t = useWorld({ sessionsPerUser: 1, activitiesPerSession: 1 });

/** A fresh user of the main organization (company alpha) with activities carrying `labels`. */
async function userWithLabels(labels: string[]): Promise<string> {
  const m = t.gateway.dataSource.manager;
  const tag = randomUUID().slice(0, 8);
  const [userId] = await insertRows(m, "users", [{
    organization_id: t.world.organizationId, company_id: t.world.companies.alpha, first_name: "Csv", last_name: tag,
    email: `csv.${tag}@example.test`, username: `csv_${tag}`, role: "MEMBER",
  }]);
  await insertRows(m, "activities", labels.map((label, i) => ({
    organization_id: t.world.organizationId, user_id: userId, company_id: t.world.companies.alpha,
    occurred_at: new Date(Date.parse("2026-03-01T00:00:00Z") + i * 1000), category: "Question - Poll", action: "Answer", label,
  })));
  return userId;
}

const TRIGGERS = ["=1+1", "+SUM(A1:A9)", "-2+3", "@cmd", "\tleading tab", "\rleading carriage return"];
const HARMLESS = ["plain", "a, comma", 'a "quote"', "two\nlines", "crlf\r\ninside", "ünïcødé ✓ 日本語", "1=1", " =space first", ""];

describe("CSV that opens right", () => {
  it("neutralises every cell a spreadsheet would run as a formula, and quotes the rest per RFC 4180", async () => {
    const labels = [...TRIGGERS, ...HARMLESS, ...TRICKY_LABELS];
    const userId = await userWithLabels(labels);
    const { exportActivities } = await t.world.clients.asAdmin.data(ExportActivitiesDocument, {
      filter: { userIds: [userId] }, columns: [ActivityColumn.LABEL, ActivityColumn.DATE_TIME],
    });
    expect(exportActivities.neutralizeFormulas).toBe(true);
    const file = await download(exportActivities.url!);
    expect(file.records[0]).toEqual(["Label", "Date/Time"]);
    // Newest first: the last label inserted comes first.
    const cells = file.records.slice(1).map((r) => r[0]).reverse();
    const expected = labels.map((label) => (/^[=+\-@\t\r]/.test(label) ? `'${label}` : label));
    expect(cells).toEqual(expected);
    expect(file.records.slice(1).map((r) => r[1]).reverse()).toEqual(labels.map((_, i) => new Date(Date.parse("2026-03-01T00:00:00Z") + i * 1000).toISOString()));
    // CRLF between records, UTF-8 bytes as they are.
    expect(file.bytes.toString("utf8").split("\r\n")[0]).toBe('"Label","Date/Time"');
    expect(file.bytes.includes(Buffer.from("日本語", "utf8"))).toBe(true);
  });

  it("leaves cells verbatim when the caller opts out (machine consumers)", async () => {
    const userId = await userWithLabels(TRIGGERS);
    const { exportActivities } = await t.world.clients.asAdmin.data(ExportActivitiesDocument, {
      filter: { userIds: [userId] }, columns: [ActivityColumn.LABEL], options: { neutralizeFormulas: false },
    });
    expect(exportActivities.neutralizeFormulas).toBe(false);
    const file = await download(exportActivities.url!);
    expect(file.records.slice(1).map((r) => r[0]).reverse()).toEqual(TRIGGERS);
  });

  it("keeps rows whose every cell is empty (one row per activity, even with only an empty column)", async () => {
    const userId = await userWithLabels(["a", "b", "c"]);
    const { exportActivities } = await t.world.clients.asAdmin.data(ExportActivitiesDocument, {
      filter: { userIds: [userId] }, columns: [ActivityColumn.CONTENT_SLUG],
    });
    expect(exportActivities.rowCount).toBe(3);
    const file = await download(exportActivities.url!);
    expect(file.bytes.toString("utf8")).toBe('"Content Slug"\r\n\r\n\r\n');
  });

  it("writes the header row alone when no row matches", async () => {
    const { exportUsers } = await t.world.clients.asAdmin.data(ExportUsersDocument, {
      filter: { search: `nobody-${randomUUID()}` }, columns: [UserColumn.USER_ID, UserColumn.EMAIL],
    });
    expect(exportUsers.rowCount).toBe(0);
    const file = await download(exportUsers.url!);
    expect(file.records).toEqual([["User ID", "Email"]]);
  });
});

describe("a 100,000-row round trip", () => {
  it("matches the database cell by cell", async () => {
    const userId = await userWithLabels([]);
    const rows = 100_000;
    // Labels cycle through the tricky ones (each made unique); every 7th activity is on a content page.
    await bulkFixture(
      t.gateway.dataSource,
      `INSERT INTO activities (organization_id, user_id, company_id, occurred_at, category, action, label, content_id, content_name, content_slug)
       SELECT $1, $2, $3, timestamptz '2026-01-01T00:00:00Z' + g * interval '1 second' + (g % 1000) * interval '1 millisecond',
              CASE WHEN g % 7 = 0 THEN 'Content - Course' ELSE 'Page' END, 'View',
              ($4::text[])[1 + g % array_length($4::text[], 1)] || ' #' || g,
              CASE WHEN g % 7 = 0 THEN 'c-' || (g % 13) END, CASE WHEN g % 7 = 0 THEN 'Course, "' || (g % 13) || '"' END,
              CASE WHEN g % 7 = 0 THEN 'course-' || (g % 13) END
       FROM generate_series(1, $5::int) g`,
      [t.world.organizationId, userId, t.world.companies.alpha, TRICKY_LABELS, rows],
    );
    const client = t.world.clients.asAdmin;
    const asked = (await client.data(ExportActivitiesDocument, { filter: { userIds: [userId] } })).exportActivities;
    const done = await finished(async () => (await client.data(ExportByIdDocument, { id: asked.id })).export!);
    expect(done).toMatchObject({ status: "COMPLETED", rowCount: rows, processedRows: rows });

    const file = await download(done.url!);
    expect(Number(file.headers.get("content-length"))).toBe(file.bytes.length);
    expect(file.bytes.length).toBe(done.bytes);
    expect(file.headers.get("x-content-sha256")).toBe(done.sha256);

    const db: Record<string, unknown>[] = await t.gateway.dataSource.query(
      `SELECT a.id, a.user_id, u.first_name, u.last_name, c.name AS company, u.email, a.category, a.action, a.label, a.occurred_at,
              a.content_id, a.content_name, a.content_slug, a.session_id
       FROM activities a JOIN users u ON u.id = a.user_id LEFT JOIN companies c ON c.id = a.company_id
       WHERE a.user_id = $1 ORDER BY a.occurred_at DESC, a.id DESC`,
      [userId],
    );
    const text = (v: unknown) => (v === null ? "" : String(v));
    const safe = (v: unknown) => (typeof v === "string" && /^[=+\-@\t\r]/.test(v) ? `'${v}` : text(v));
    expect(file.records[0]).toEqual([
      "User ID", "First", "Last", "Company", "Email", "Category", "Action", "Label", "Date/Time",
      "Content ID", "Content Name", "Content Slug", "Session ID", "Activity ID",
    ]);
    expect(file.records).toHaveLength(rows + 1);
    let mismatches = 0;
    db.forEach((row, i) => {
      const expected = [
        text(row.user_id), safe(row.first_name), safe(row.last_name), safe(row.company), safe(row.email), safe(row.category), safe(row.action),
        safe(row.label), (row.occurred_at as Date).toISOString(), safe(row.content_id), safe(row.content_name), safe(row.content_slug),
        text(row.session_id), text(row.id),
      ];
      const actual = file.records[i + 1];
      if (actual.join("\u0001") !== expected.join("\u0001") && mismatches++ < 3) expect(actual).toEqual(expected);
    });
    expect(mismatches).toBe(0);
  });
});
