import { createHash } from "node:crypto";
import type { Pool } from "pg";
import { QueryFailedError, type EntityManager } from "typeorm";
import { noteStatement } from "./statement-counter";

const names = new Map<string, string>();

/** A stable statement name per SQL text (pg prepares it once per connection, then reuses it). */
function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = `sg_${createHash("sha1").update(sql).digest("hex").slice(0, 24)}`;
    names.set(sql, name);
  }
  return name;
}

/**
 * Runs a read as a named prepared statement, so PostgreSQL parses and plans each distinct SQL
 * text once per connection instead of on every request (planning cost more than executing on
 * the hot list pages). Inside a transaction it runs on the transaction's connection as usual.
 * Counted like every other statement; failures surface as TypeORM's QueryFailedError.
 */
export async function queryPrepared<R = Record<string, unknown>>(manager: EntityManager, sql: string, values: unknown[]): Promise<R[]> {
  if (manager.queryRunner) return (await manager.query(sql, values)) as R[];
  const pool = (manager.connection.driver as unknown as { master: Pool }).master;
  noteStatement(sql);
  try {
    return (await pool.query({ name: statementName(sql), text: sql, values })).rows as R[];
  } catch (error) {
    throw new QueryFailedError(sql, values, error as Error);
  }
}
