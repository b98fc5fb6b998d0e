/**
 * A read folded into its parent's statement, and a root list's reads folded into its page
 * statement: the shapes the planner (src/graphql/folded-reads.ts) hands to the statements built
 * in this room (folded-sql.ts, ScopedTable.page). No SQL is built here.
 */
import type { SqlParams } from "../shared/sql";
import type { Projection } from "./projection";

/** A read folded into its parent's statement: a subquery that yields JSON, and what to do with that JSON once the parent row is back. */
export interface FoldedRead {
  sql: string;
  /** Primes the loaders the nested resolvers will call, from the subquery's value for `parent`. */
  apply(value: unknown, parent: Record<string, unknown>): void;
}

/**
 * What a root list (`sessions(...)`) folds into its page statement: the nodes' projection, the
 * reads nested under each node, and whether the connection's totalCount is selected (then the
 * count is a scalar subquery of the same statement). `params` already holds the nested reads'
 * parameters; the page adds its own to it.
 */
export interface ListFold {
  projection: Projection;
  nested: FoldedRead[];
  params: SqlParams;
  count: boolean;
}

/** The column name under which the i-th folded read of a row comes back. */
const foldedColumn = (i: number) => `__f${i}`;

/** Hands each folded value of `row` to its read (the row keeps it: see hydrateFolded). */
export function applyFolded(row: Record<string, unknown>, nested: FoldedRead[]): void {
  nested.forEach((read, i) => read.apply(row[foldedColumn(i)], row));
}

/**
 * Entities from rows that carry folded columns (`__f0`, `__count`, …), copied without them:
 * deleting them from the rows instead turns each row into a slow dictionary-mode object, which
 * showed in a CPU profile of the Session History page (bench/RESULTS.md, issue 16).
 */
export function hydrateFolded<T>(entity: new () => T, rows: Record<string, unknown>[]): T[] {
  return rows.map((row) => {
    const target = new entity() as Record<string, unknown>;
    for (const key in row) if (!key.startsWith("__")) target[key] = row[key];
    return target as T;
  });
}

/** `nested` as extra select-list entries, one column each. */
export const foldedColumns = (nested: FoldedRead[]) => nested.map((read, i) => `, ${read.sql} AS "${foldedColumn(i)}"`).join("");
