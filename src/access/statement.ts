/**
 * Hand-written scoped statements. A statement declares each alias under which it reads or
 * writes a policy table, and receives each alias's row predicate (the viewer's policy, src/access/policy.ts)
 * to place in its SQL. A statement whose SQL leaves out a predicate it declared never runs: the
 * check is on the text, every time, so a forgotten scope fails the first test that runs it.
 * A table a statement touches without declaring it must be reached through a declared one
 * (a scoped join: `JOIN sessions s ON s.id = t.session_id AND ${scope.s}`).
 *
 * Used where one table's generic reads and writes (ScopedTable) cannot express the statement:
 * ingestion's set-based merges, a user's deletion, profile aggregates, export cursors.
 */
import { SqlParams } from "../shared/sql";
import { scopePredicate, type ScopedTableName } from "./policy";
import type { Viewer } from "./viewer";

/** Alias → policy table, for every alias the statement reads or writes. */
export type TableAliases = Readonly<Record<string, ScopedTableName>>;

/** Alias → that alias's row predicate, parenthesised ("FALSE" when the role has no rule). */
export type ScopePredicates<A extends TableAliases> = { readonly [K in keyof A]: string };

/** SQL with its positional parameters, scoped to the viewer it was built for. */
export interface ScopedStatement {
  sql: string;
  values: unknown[];
}

export type StatementBuilder<A extends TableAliases> = (scope: ScopePredicates<A>, params: SqlParams) => string;

/**
 * Builds one scoped statement. Each read of `scope[alias]` makes that alias's predicate with
 * fresh parameters, numbered where the SQL uses them. Throws (a programming error, never a
 * client's) when a declared alias's predicate is never read, or a predicate read is not in the SQL.
 */
export function buildScopedStatement<A extends TableAliases>(viewer: Viewer, tables: A, build: StatementBuilder<A>, params = new SqlParams()): ScopedStatement {
  const made: { alias: string; predicate: string }[] = [];
  const scope: Record<string, string> = {};
  for (const alias of Object.keys(tables)) {
    Object.defineProperty(scope, alias, {
      enumerable: true,
      get() {
        const predicate = scopePredicate(tables[alias], alias, viewer, params);
        made.push({ alias, predicate });
        return predicate;
      },
    });
  }
  const sql = build(scope as ScopePredicates<A>, params);
  for (const alias of Object.keys(tables)) {
    if (!made.some((m) => m.alias === alias)) throw new Error(`Scoped statement: the row predicate of "${alias}" (${tables[alias]}) is never used.`);
  }
  for (const { alias, predicate } of made) {
    if (!sql.includes(predicate)) throw new Error(`Scoped statement: the row predicate of "${alias}" (${tables[alias]}) is missing from its SQL.`);
  }
  return { sql, values: params.values };
}
