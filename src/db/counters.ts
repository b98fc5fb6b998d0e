/**
 * The maintained counts (migrations MaintainedCounts and DeviceAndOsCounts) as the database keeps
 * them now, and the SQL that counts rows already written in one pass: for a bulk loader that
 * switches the insert trigger off for its statements and counts its rows once at the end (the
 * generator into empty tables, src/seed/deferred-counts.ts) instead of a grouped upsert per
 * statement.
 *
 * SQL text only, no connection. The triggers and this count are built from the same definitions
 * (each grain's key expressions); a migration that changes a trigger function changes
 * MAINTAINED_COUNTS too, and test/maintained-counts.test.ts fails while the functions installed
 * differ from the ones these definitions give.
 */
import { COUNTED, triggerFunction, type Counted } from "./migrations/1795500100000-MaintainedCounts";
import { SESSIONS_COUNTED } from "./migrations/1795500200000-DeviceAndOsCounts";

export type { Counted };

/** Every counted table with the grains its trigger keeps. */
export const MAINTAINED_COUNTS: readonly Counted[] = COUNTED.map((counted) => (counted.table === SESSIONS_COUNTED.table ? SESSIONS_COUNTED : counted));

/** The statement-level trigger that counts rows inserted into `counted.table` (named as migration MaintainedCounts names it). */
export const insertCountsTrigger = (counted: Counted) => `${counted.table}_counts_insert`;

/** The source (`prosrc`) of the trigger function that keeps `counted`'s grains. */
export function countsFunctionSource(counted: Counted): string {
  return triggerFunction(counted).split("$fn$")[1];
}

/**
 * Statements that count the rows of `counted.table` of one organization (a SQL uuid literal) into
 * every grain, when none of them is counted yet (the organization's counters are all zero, as
 * after deleting its rows): one scan grouped by the keys of all grains into a temporary table,
 * then each grain's zero counters of the organization deleted and its counters inserted from
 * it, in key order. A counter left non-zero fails the insert on the grain's unique key instead
 * of counting a row twice; plain inserts skip the upsert's conflict check on every row.
 */
export function countRowsSql(counted: Counted, organization: string): string[] {
  const keys: Record<string, string> = {};
  for (const grain of counted.grains) {
    for (const [name, sql] of Object.entries(grain.keys)) {
      if (keys[name] !== undefined && keys[name] !== sql) throw new Error(`counter key ${name} of ${counted.table} has two definitions`);
      keys[name] = sql;
    }
  }
  const rows = `counted_${counted.table}`;
  const names = Object.keys(keys);
  return [
    `CREATE TEMP TABLE ${rows} ON COMMIT DROP AS
       SELECT ${Object.entries(keys).map(([name, sql]) => `${sql} AS ${name}`).join(", ")}, count(*) AS n
         FROM ${counted.table} WHERE organization_id = ${organization} GROUP BY ${names.map((_, i) => i + 1).join(", ")}`,
    ...counted.grains.flatMap((grain) => {
      const list = Object.keys(grain.keys).join(", ");
      return [
        `DELETE FROM ${grain.name} WHERE organization_id = ${organization} AND n = 0`,
        `INSERT INTO ${grain.name} (${list}, n) SELECT ${list}, sum(n) FROM ${rows} GROUP BY ${list} ORDER BY ${list}`,
      ];
    }),
    `DROP TABLE ${rows}`,
  ];
}
