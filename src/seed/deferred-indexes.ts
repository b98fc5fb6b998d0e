/**
 * Index building deferred to the end of a bulk load. Writing millions of rows into tables with a
 * dozen secondary indexes (per-user and per-company ones take every row on a different page, the
 * search ones many trigram entries per row) costs far more than building those indexes once from
 * the loaded rows, sorted, as pg_restore does. The generator does so only into empty tables
 * (a fresh data dir, the benchmark's setup): dropping an index locks its table against every
 * reader until commit, which a gateway serving other organizations' rows must not see.
 *
 * Everything happens in the generator's transaction: on failure the drops roll back with the
 * rows. Indexes behind a constraint (primary keys, unique constraints) stay; the maintained
 * counts are counted after the load too (deferred-counts.ts).
 *
 * The empty tables are also truncated, attachments with them (it references sessions, so it is
 * empty too): TRUNCATE gives a table, its indexes and TOAST new files in this transaction, and at
 * wal_level = minimal (the embedded server's) PostgreSQL writes rows and indexes into files
 * created in the writing transaction without WAL, syncing the files at commit instead, as it does
 * for CREATE INDEX; at other WAL levels the TRUNCATE of empty tables costs nothing. Its counters'
 * triggers (ENABLE ALWAYS) truncate the counted tables' counters, all zero with the tables
 * empty, and so lock them until commit too.
 */
import type { GeneratorRun } from "./generator-run";

/** Tables whose secondary indexes the generator builds after loading them, when they are empty. */
export const DEFERRED_INDEX_TABLES = ["sessions", "activities"] as const;

/** The tables truncated before the load when empty: DEFERRED_INDEX_TABLES and every table referencing them (TRUNCATE needs them together). */
const TRUNCATED_TABLES = ["sessions", "attachments", "activities"] as const;

export interface DeferredIndexes {
  /** How many indexes were dropped and are to be built again. */
  readonly count: number;
  /** Builds the dropped indexes from their saved definitions, reporting the "indexes" phase. */
  build(): Promise<void>;
}

/**
 * Drops the secondary indexes of DEFERRED_INDEX_TABLES when none of them (nor attachments) holds
 * a row, keeping their definitions, and truncates them; null (nothing dropped) when some table
 * has rows.
 */
export async function deferIndexesIfEmpty(run: GeneratorRun): Promise<DeferredIndexes | null> {
  const { query, onProgress } = run;
  const empty = async () =>
    (await query<{ empty: boolean }>(`SELECT ${TRUNCATED_TABLES.map((t) => `NOT EXISTS (SELECT 1 FROM ${t})`).join(" AND ")} AS empty`))[0].empty;
  if (!(await empty())) return null;
  // Dropping needs the tables to ourselves anyway; a row committed before we had them undoes
  // the lock (a savepoint's locks go with it), so tables in use are never held.
  await query(`SAVEPOINT deferred_indexes`);
  await query(`LOCK TABLE ${TRUNCATED_TABLES.join(", ")} IN ACCESS EXCLUSIVE MODE`);
  if (!(await empty())) {
    await query(`ROLLBACK TO SAVEPOINT deferred_indexes`);
    await query(`RELEASE SAVEPOINT deferred_indexes`);
    return null;
  }
  await query(`RELEASE SAVEPOINT deferred_indexes`);
  const indexes = await query<{ name: string; definition: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i
      WHERE i.indrelid = ANY($1::regclass[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
      ORDER BY i.indrelid, i.indexrelid::regclass::text`,
    [DEFERRED_INDEX_TABLES],
  );
  for (const index of indexes) await query(`DROP INDEX ${index.name}`);
  await query(`TRUNCATE ${TRUNCATED_TABLES.join(", ")}`);
  return {
    count: indexes.length,
    async build() {
      // Sorts and trigram lists of a few million rows fit in memory instead of spilling to disk.
      await query(`SET LOCAL maintenance_work_mem = '512MB'`);
      onProgress("indexes", 0, indexes.length);
      for (const [i, index] of indexes.entries()) {
        await query(index.definition);
        onProgress("indexes", i + 1, indexes.length);
      }
    },
  };
}
