/**
 * The maintained counts of a bulk load into empty tables, counted once after it. The counters'
 * insert triggers group and upsert every statement's rows, and PostgreSQL keeps each statement's
 * rows as a transition table for them; into empty sessions and activities (the same case as
 * deferred-indexes.ts, with the tables already locked) the generator switches those triggers off
 * for its inserts and counts its rows into the counters with one grouped pass per table instead
 * (src/db/counters.ts: the same grains as the triggers), by plain inserts: the organization's
 * rows were deleted before (or never written), so its counters are all zero. What it saves is in
 * bench/RESULTS.md (Generator).
 *
 * In the generator's transaction: on failure the triggers are back on with the rows gone. Only
 * the insert triggers are switched off; the load neither updates nor deletes these tables.
 */
import { countRowsSql, insertCountsTrigger, MAINTAINED_COUNTS, type Counted } from "../db/counters";
import type { GeneratorRun } from "./generator-run";

export interface DeferredCounts {
  /** Counts the organization's rows into the counters and switches the insert triggers on again as they were, reporting the "counts" phase. */
  count(): Promise<void>;
}

/** How `ALTER TABLE ... ENABLE` restores each pg_trigger.tgenabled state. */
const ENABLE: Record<string, string> = { O: "ENABLE", A: "ENABLE ALWAYS", R: "ENABLE REPLICA" };

/**
 * Switches off the insert triggers counting `tables`, which hold no row and which this
 * transaction has locked (deferIndexesIfEmpty). A trigger that is off already stays off, and
 * its counters get nothing, as they would have with it.
 */
export async function deferCounts(run: GeneratorRun, tables: readonly string[]): Promise<DeferredCounts> {
  const { query, onProgress } = run;
  const deferred: { counted: Counted; trigger: string; enable: string }[] = [];
  for (const counted of MAINTAINED_COUNTS.filter((c) => tables.includes(c.table))) {
    const trigger = insertCountsTrigger(counted);
    const [row] = await query<{ enabled: string }>(`SELECT tgenabled AS enabled FROM pg_trigger WHERE tgrelid = $1::regclass AND tgname = $2`, [counted.table, trigger]);
    if (!row) throw new Error(`no trigger ${trigger} on ${counted.table}`);
    if (row.enabled === "D") continue;
    deferred.push({ counted, trigger, enable: ENABLE[row.enabled] });
    await query(`ALTER TABLE ${counted.table} DISABLE TRIGGER ${trigger}`);
  }
  return {
    async count() {
      const statements = deferred.map(({ counted }) => countRowsSql(counted, run.org));
      const total = statements.reduce((n, s) => n + s.length, 0);
      let done = 0;
      onProgress("counts", 0, total);
      for (const [i, { counted, trigger, enable }] of deferred.entries()) {
        for (const statement of statements[i]) {
          await query(statement);
          onProgress("counts", ++done, total);
        }
        await query(`ALTER TABLE ${counted.table} ${enable} TRIGGER ${trigger}`);
      }
    },
  };
}
