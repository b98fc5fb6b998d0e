import { createHash } from "node:crypto";
import type { Pool } from "pg";
import { DataSource, QueryFailedError, type EntityManager } from "typeorm";
import { noteStatement } from "./statement-counter";

const names = new Map<string, string>();

/**
 * How many distinct SQL texts get a prepared statement. Texts follow the query's shape (its
 * selection, folded reads, filters), so a client sending ever-new shapes could otherwise grow
 * this map and every pooled connection's statement cache without bound; past the cap, new texts
 * run unnamed (parsed each time, as any ad-hoc query), and the hot paths are long prepared.
 */
export const MAX_PREPARED_STATEMENTS = 1_000;

/** A stable statement name per SQL text (pg prepares it once per connection, then reuses it); undefined past the cap. */
function statementName(sql: string): string | undefined {
  let name = names.get(sql);
  if (!name) {
    if (names.size >= MAX_PREPARED_STATEMENTS) return undefined;
    name = `sg_${createHash("sha1").update(sql).digest("hex").slice(0, 24)}`;
    names.set(sql, name);
  }
  return name;
}

/** How many SQL texts have a statement name (for tests). */
export const preparedStatementCount = () => names.size;

/**
 * How a read is planned:
 * - `reuse`: a named prepared statement, parsed once per connection; after five runs PostgreSQL
 *   keeps one generic plan for it when that plan costs no more than planning for each run's
 *   values. For lookups by id (with their folded reads) it does, and planning was a large share
 *   of PostgreSQL's CPU per request (bench/RESULTS.md, "Generic plans for reads by id").
 * - `per-run`: unnamed, so planned for its values every time. Lists with filters, ranges,
 *   cursors and key arrays: a generic plan guesses their selectivity, and for the per-parent
 *   LATERAL pages it walked the wrong index, far slower than a plan for the values (bench/RESULTS.md).
 */
export type Planning = "reuse" | "per-run";

/** What runs a statement: the gateway's DataSource, or a transaction's EntityManager. */
export type Queryable = DataSource | EntityManager;

/** What a statement answers: its rows (RETURNING rows for writes) and how many rows it touched. */
export interface StatementResult<R> {
  rows: R[];
  rowCount: number;
}

/**
 * Runs one statement, planned as `planning` says. Inside a transaction it runs on the
 * transaction's connection. Counted like every other statement; failures surface as TypeORM's
 * QueryFailedError. Only src/access (scoped statements and systemQuery) calls this.
 */
export async function runStatement<R = Record<string, unknown>>(database: Queryable, sql: string, values: unknown[], planning: Planning = "per-run"): Promise<StatementResult<R>> {
  const manager = database instanceof DataSource ? database.manager : database;
  if (manager.queryRunner) {
    const result = await manager.queryRunner.query(sql, values, true);
    const rows = (result.records ?? []) as R[];
    return { rows, rowCount: result.affected ?? rows.length };
  }
  return await runOnPool<R>((manager.connection.driver as unknown as { master: Pool }).master, sql, values, planning);
}

/**
 * Runs one statement on a pool of its own connections: the primary's (through runStatement) or a
 * read replica's (src/db/replicas.ts). Counted and planned as runStatement says; failures surface
 * as TypeORM's QueryFailedError, whichever server failed.
 */
export async function runOnPool<R = Record<string, unknown>>(pool: Pool, sql: string, values: unknown[], planning: Planning = "per-run"): Promise<StatementResult<R>> {
  noteStatement(sql);
  try {
    const name = planning === "reuse" ? statementName(sql) : undefined;
    const result = await pool.query({ name, text: sql, values });
    return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
  } catch (error) {
    throw new QueryFailedError(sql, values, error as Error);
  }
}

/** The rows of a read, planned as `planning` says (runStatement's rows). */
export async function queryPrepared<R = Record<string, unknown>>(database: Queryable, sql: string, values: unknown[], planning: Planning): Promise<R[]> {
  return (await runStatement<R>(database, sql, values, planning)).rows;
}
