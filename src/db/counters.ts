/**
 * The maintained counts (migrations MaintainedCounts and DeviceAndOsCounts) as the database keeps
 * them now, and the SQL that adds rows already written to them in one pass. For a bulk loader
 * that switches the insert trigger off for its statements and counts the rows once at the end
 * (the generator into empty tables, src/seed/deferred-counts.ts): the trigger groups every
 * statement's rows and upserts them, which a load of many statements pays each time.
 *
 * SQL text only, no connection. The triggers and this fill are built from the same definitions
 * (each grain's key expressions) and the same upsert; a migration that changes a trigger
 * function changes MAINTAINED_COUNTS too, and test/maintained-counts.test.ts fails while the
 * functions installed differ from the ones these definitions give.
 */
import { COUNTED, triggerFunction, upsert, type Counted } from "./migrations/1795500100000-MaintainedCounts";
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
 * Statements that add the rows of `counted.table` matching `where` (SQL over its columns) to
 * every grain, as the insert trigger adds a statement's rows: one scan grouped by the keys of
 * all grains into a temporary table, then each grain's upsert from it, in key order.
 */
export function addCountsSql(counted: Counted, where: string): string[] {
  const keys: Record<string, string> = {};
  for (const grain of counted.grains) {
    for (const [name, sql] of Object.entries(grain.keys)) {
      if (keys[name] !== undefined && keys[name] !== sql) throw new Error(`counter key ${name} of ${counted.table} has two definitions`);
      keys[name] = sql;
    }
  }
  const rows = `added_counts_${counted.table}`;
  const names = Object.keys(keys);
  return [
    `CREATE TEMP TABLE ${rows} ON COMMIT DROP AS
       SELECT ${Object.entries(keys).map(([name, sql]) => `${sql} AS ${name}`).join(", ")}, count(*) AS d
         FROM ${counted.table} WHERE ${where} GROUP BY ${names.map((_, i) => i + 1).join(", ")}`,
    ...counted.grains.map((grain) => upsert(grain, rows)),
    `DROP TABLE ${rows}`,
  ];
}
