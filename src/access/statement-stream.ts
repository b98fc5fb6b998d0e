/**
 * Streaming one scoped statement on a connection of its own (export cursors): its rows through
 * a cursor, or PostgreSQL's own CSV through COPY. The statement is a ScopedStatement, so what is
 * streamed is scoped like every other read; only the connection handling is special: a large
 * export runs as long as it needs (no statement timeout) and holds one pooled connection.
 */
import type { Readable } from "node:stream";
import type { PoolClient } from "pg";
import QueryStream from "pg-query-stream";
import { to as copyTo } from "pg-copy-streams";
import { CopyRecords } from "./copy-records";
import { managerOf, type Database } from "./database";
import type { ScopedStatement } from "./statement";

export interface StatementStreams {
  /** The planner's estimate of the statement's rows. */
  estimateRows(statement: ScopedStatement): Promise<number>;
  /** The statement's rows, read through a cursor a batch at a time (backpressure holds the cursor). */
  rows(statement: ScopedStatement): Readable;
  /**
   * `COPY (statement) TO STDOUT` in CSV, `quoted` columns always quoted: PostgreSQL encodes the
   * rows itself. COPY takes no bind parameters, so the statement's values are inlined as
   * literals escaped by the driver.
   */
  csv(statement: ScopedStatement, quoted: readonly string[]): Readable;
  /**
   * The same CSV with `lineBreak` before each record instead of "\n" after it (the caller writes
   * its header first), read straight off the connection (copy-records.ts); `records` counts them.
   */
  csvRecords(statement: ScopedStatement, quoted: readonly string[], lineBreak: Buffer): Readable & { readonly records: number };
}

/** Runs `work` with streams on a dedicated connection, released (and reset) when it settles. */
export async function streamStatements<R>(database: Database, work: (streams: StatementStreams) => Promise<R>): Promise<R> {
  const [client, release] = (await managerOf(database).connection.driver.obtainMasterConnection()) as [PoolClient, (error?: unknown) => void];
  try {
    // A large export runs as long as it needs; the pool's statement timeout is for requests.
    await client.query("SET statement_timeout = 0");
    const result = await work({
      async estimateRows(statement) {
        const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${statement.sql}`, statement.values);
        return Number(rows[0]["QUERY PLAN"][0].Plan["Plan Rows"]);
      },
      rows(statement) {
        return client.query(new QueryStream(statement.sql, statement.values, { batchSize: 250, highWaterMark: 250 }));
      },
      csv(statement, quoted) {
        return client.query(copyTo(copyCsv(client, statement, quoted)));
      },
      csvRecords(statement, quoted, lineBreak) {
        return client.query(new CopyRecords(copyCsv(client, statement, quoted), lineBreak));
      },
    });
    await client.query("RESET statement_timeout");
    release();
    return result;
  } catch (error) {
    release(error);
    throw error;
  }
}

/** `COPY (statement) TO STDOUT` in CSV, `quoted` columns always quoted, the statement's values inlined. */
function copyCsv(client: PoolClient, statement: ScopedStatement, quoted: readonly string[]): string {
  const inlined = statement.sql.replace(/\$(\d+)/g, (_, n: string) => literal(client, statement.values[Number(n) - 1]));
  const forceQuote = quoted.length ? `, FORCE_QUOTE (${quoted.map((column) => `"${column}"`).join(", ")})` : "";
  return `COPY (${inlined}) TO STDOUT WITH (FORMAT csv${forceQuote})`;
}

/** A literal for `value`, escaped by the driver. */
function literal(client: PoolClient, value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return client.escapeLiteral(value.toISOString());
  if (Array.isArray(value)) {
    // An array literal: every element double-quoted with " and \\ escaped, then the whole escaped.
    const elements = value.map((v) => (v === null ? "NULL" : `"${String(v).replace(/["\\]/g, (c) => `\\${c}`)}"`));
    return client.escapeLiteral(`{${elements.join(",")}}`);
  }
  return client.escapeLiteral(String(value));
}
