/**
 * The fast timestamptz parser agrees with pg's own parser on what PostgreSQL really prints:
 * random instants across centuries, with and without fractions, in zones with hour, half-hour
 * and odd offsets, plus the cases it hands back to pg's parser (BC, infinity, early years).
 */
import { useDatabaseClient } from "../support/database";
import { defaultTimestamptzParser as parsePostgresDate } from "../../src/db/pg-types";
import { parseTimestamptz } from "../../src/db/pg-types";
import { isoString } from "../../src/shared/timestamptz";

const database = useDatabaseClient();

describe("parseTimestamptz", () => {
  it.each(["UTC", "Asia/Kolkata", "America/St_Johns", "Asia/Kathmandu", "Pacific/Kiritimati", "America/Los_Angeles", "Africa/Monrovia"])(
    "matches pg's parser on 2,000 instants printed in %s",
    async (zone) => {
      await database().query(`SET TIME ZONE '${zone}'`);
      const { rows } = await database().query<{ t: string }>(
        `SELECT (timestamptz '1850-01-01 00:00:00Z' + (random() * 300 * 365) * interval '1 day' + random() * interval '1 day')::text AS t
         FROM generate_series(1, 1000)
         UNION ALL
         SELECT date_trunc('second', timestamptz '1990-01-01Z' + random() * interval '60 years')::text FROM generate_series(1, 1000)`,
      );
      for (const { t } of rows) {
        expect([t, parseTimestamptz(t).getTime()]).toEqual([t, (parsePostgresDate(t) as Date).getTime()]);
        // What the DateTime scalar sends: sliced from the text when it was printed at UTC.
        expect([t, isoString(parseTimestamptz(t))]).toEqual([t, (parsePostgresDate(t) as Date).toISOString()]);
      }
    },
  );

  it.each(["Asia/Kolkata", "UTC"])("reads JSON's form of the same instants (folded reads) to the same Date, printed in %s", async (zone) => {
    await database().query(`SET TIME ZONE '${zone}'`);
    const { rows } = await database().query<{ t: string; j: string }>(
      `SELECT x::text AS t, to_json(x)#>>'{}' AS j FROM (
         SELECT date_trunc('milliseconds', timestamptz '1850-01-01 00:00:00Z' + (random() * 300 * 365) * interval '1 day') AS x
         FROM generate_series(1, 1000)) s
       UNION ALL SELECT x::text, to_json(x)#>>'{}' FROM (VALUES (timestamptz '0044-03-15 12:00:00+00 BC')) v(x)`,
    );
    for (const { t, j } of rows) {
      expect(j).toContain("T");
      expect([j, String(parseTimestamptz(j))]).toEqual([j, String(parsePostgresDate(t))]);
      if (!t.endsWith("BC")) expect([j, isoString(parseTimestamptz(j))]).toEqual([j, (parsePostgresDate(t) as Date).toISOString()]);
    }
  });

  it("formats a date changed after it was read from its time, not from the text", () => {
    const date = parseTimestamptz("2026-07-01 10:00:00.5+00");
    expect(isoString(date)).toBe("2026-07-01T10:00:00.500Z");
    date.setTime(Date.parse("2030-01-02T03:04:05.006Z"));
    expect(isoString(date)).toBe("2030-01-02T03:04:05.006Z");
  });

  it.each(["0044-03-15 12:00:00+00 BC", "0099-12-31 23:59:59+00", "infinity", "-infinity", "12345-01-01 00:00:00+00"])("defers %s to pg's parser", (t) => {
    expect(String(parseTimestamptz(t))).toBe(String(parsePostgresDate(t)));
  });
});
