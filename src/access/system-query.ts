/**
 * systemQuery: the one named way to run SQL that is deliberately not scoped to a viewer, with
 * three conveniences built on the same rule (systemInsert, systemWrite, systemTransaction). Each
 * call says why in `reason`; `grep -rnE "system(Query|Insert|Write|Transaction)\b" src` lists
 * every bypass for review. The callers are the code that works for no viewer or for every
 * organization: authentication's token and user lookups, the export runner's and queue's
 * bookkeeping, downloads by signed id, health checks, the seed and test fixtures. Everything a
 * viewer asks for goes through a ViewerAccess instead.
 */
import { insertStatement } from "../db/insert";
import { runStatement } from "../db/prepared";
import { managerOf, queryable, type Database } from "./database";

/** Runs `sql` unscoped, for the `reason` given, and answers its rows (RETURNING rows for writes). */
export async function systemQuery<R = Record<string, any>>(database: Database, reason: string, sql: string, params: unknown[] = []): Promise<R[]> {
  if (!reason.trim()) throw new Error("systemQuery: say why this statement bypasses the viewer's scope.");
  return (await runStatement<R>(queryable(database), sql, params)).rows;
}

/** Inserts `rows` (objects keyed by column name) into `table` through systemQuery, for the `reason` given; returns their ids. */
export async function systemInsert(database: Database, reason: string, table: string, rows: Record<string, unknown>[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const { sql, values } = insertStatement(table, rows);
  return (await systemQuery<{ id: string }>(database, reason, sql, values)).map((row) => row.id);
}

/** Runs `work` in one transaction for the `reason` given; its statements are systemQuery calls on the handle it gets. */
export async function systemTransaction<R>(database: Database, reason: string, work: (tx: Database) => Promise<R>): Promise<R> {
  if (!reason.trim()) throw new Error("systemTransaction: say why this work bypasses the viewer's scope.");
  return await managerOf(database).transaction((manager) => work(manager));
}

/** Runs a write unscoped, for the `reason` given, and answers how many rows it wrote (bulk loads that return no rows). */
export async function systemWrite(database: Database, reason: string, sql: string, params: unknown[] = []): Promise<number> {
  if (!reason.trim()) throw new Error("systemWrite: say why this statement bypasses the viewer's scope.");
  return (await runStatement(queryable(database), sql, params)).rowCount;
}
