/**
 * Folding nested reads into their parent's statement (the planner is src/graphql/folded-reads.ts):
 * the same scope predicate, conditions, order and limits as a table's byIds and pagesByKey, as
 * correlated subqueries that return JSON. Each subquery is built from the child's ScopedTable,
 * so a folded read is scoped exactly as its loader would be.
 */
import { afterPredicate, orderByClause, pageSize } from "../shared/connection";
import { isUuid, type SqlParams } from "../shared/sql";
import { parseTimestamptz } from "../db/pg-types";
import { applyFolded, foldedColumns, hydrateFolded, type FoldedRead } from "./folded-read";
import type { Projection } from "./projection";
import { ALIAS, type Condition, type ListArgs, type ScopedTable } from "./scoped-table";
import { timestampProperties } from "./select-lists";

export type { FoldedRead } from "./folded-read";

/** The JSON select list of `table` under `alias`, with `nested` folded into each row. */
function jsonRows(table: ScopedTable<{ id: string }>, alias: string, projection: Projection, nested: FoldedRead[]): string {
  return `${table.select(projection, alias, true)}${foldedColumns(nested)}`;
}

/** One row by an id expression of the parent, as a JSON object (null when absent or out of scope). */
export function foldedRow(table: ScopedTable<{ id: string }>, idSql: string, alias: string, projection: Projection, nested: FoldedRead[], params: SqlParams): string {
  return `(SELECT row_to_json(x) FROM (SELECT ${jsonRows(table, alias, projection, nested)} FROM ${table.spec.table} ${alias}
      WHERE ${alias}.id = ${idSql} AND ${table.where(params, [], alias)}) x)`;
}

/** One keyset page (`size + 1` rows) of the rows whose `column` is the parent's key, as a JSON array in list order. */
export function foldedPage(
  table: ScopedTable<{ id: string }>,
  column: string,
  keySql: string,
  args: ListArgs,
  conditions: Condition[],
  alias: string,
  projection: Projection,
  nested: FoldedRead[],
  params: SqlParams,
): string {
  const after = afterPredicate(table.spec.order, alias, args.after, params);
  const where = table.where(params, after ? [...conditions, () => after] : conditions, alias);
  // json_agg takes the rows in the sorted subquery's order: PostgreSQL documents this as what a
  // plain aggregate over a sorted subquery does (nothing is joined or grouped at this level), and
  // an ORDER BY inside the aggregate would sort each page again.
  return `(SELECT coalesce(json_agg(x), '[]') FROM (SELECT ${jsonRows(table, alias, projection, nested)} FROM ${table.spec.table} ${alias}
      WHERE ${alias}.${column} = ${keySql} AND ${where}
      ORDER BY ${orderByClause(table.spec.order, alias)} LIMIT ${pageSize(args.first) + 1}) x)`;
}

/** The count of rows whose `column` is the parent's key. */
export function foldedCount(table: ScopedTable<{ id: string }>, column: string, keySql: string, conditions: Condition[], alias: string, params: SqlParams): string {
  return `(SELECT count(*)::int FROM ${table.spec.table} ${alias} WHERE ${alias}.${column} = ${keySql} AND ${table.where(params, conditions, alias)})`;
}

/**
 * Every row whose `column` is the parent's key, in the table's order, as a JSON array: a small
 * one-to-many list without pages (a session's attachments), scoped as its list loader's batch.
 */
export function foldedList(table: ScopedTable<{ id: string }>, column: string, keySql: string, conditions: Condition[], alias: string, params: SqlParams): string {
  return `(SELECT coalesce(json_agg(x), '[]') FROM (SELECT ${table.select(null, alias, true)} FROM ${table.spec.table} ${alias}
      WHERE ${alias}.${column} = ${keySql} AND ${table.where(params, conditions, alias)}
      ORDER BY ${orderByClause(table.spec.order, alias)}) x)`;
}

/** Entities from folded JSON objects: nested reads applied and removed, timestamps parsed as pg parses them. */
export function fromJson<T extends { id: string }>(table: ScopedTable<T>, objects: Record<string, unknown>[], nested: FoldedRead[]): T[] {
  const timestamps = timestampProperties(table.manager, table.spec.entity);
  for (const object of objects) {
    applyFolded(object, nested);
    for (const property of timestamps) {
      const value = object[property];
      if (typeof value === "string") object[property] = parseTimestamptz(value);
    }
  }
  return nested.length ? hydrateFolded(table.spec.entity, objects) : table.hydrate(objects);
}

/** One row by id with `nested` folded in: one statement; the row and each folded value come back separately. */
export async function byIdFolded<T extends { id: string }>(table: ScopedTable<T>, id: string, projection: Projection, nested: FoldedRead[], params: SqlParams): Promise<T | null> {
  if (!isUuid(id) || !table.readable) return null;
  const idParam = params.add(id);
  const [row] = await table.run(
    `SELECT ${table.select(projection)}${foldedColumns(nested)}
       FROM ${table.spec.table} ${ALIAS} WHERE ${ALIAS}.id = ${idParam}::uuid AND ${table.where(params, [])}`,
    params.values,
    "reuse",
  );
  if (!row) return null;
  applyFolded(row, nested);
  return hydrateFolded(table.spec.entity, [row])[0];
}
