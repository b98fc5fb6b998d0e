/**
 * A viewer's way into the database: every statement run through it carries the viewer's row
 * predicates. Feature repositories are built from one (`new SessionRepository(access)`), and a
 * transaction hands its work a ViewerAccess on the transaction's connection.
 */
import { runStatement, type Planning } from "../db/prepared";
import { managerOf, queryable, runRead, type Database } from "./database";
import { buildScopedStatement, type ScopedStatement, type StatementBuilder, type TableAliases } from "./statement";
import type { Viewer } from "./viewer";

/** Names of advisory lock spaces: one per kind of serialised work. */
export type LockSpace = "sessiongraph.activities";

export class ViewerAccess {
  constructor(
    /** The pool, or a transaction's connection. Only src/access runs statements on it. */
    readonly database: Database,
    readonly viewer: Viewer,
  ) {}

  /**
   * Runs a hand-written scoped statement (src/access/statement.ts) and answers its rows
   * (RETURNING rows for writes). `planning` as for queryPrepared; writes are planned per run.
   * In a read request it runs where the request's route says (a replica, usually): a write
   * there is refused by the replica and run again on the primary (read-routing.ts).
   */
  async query<R = Record<string, unknown>, A extends TableAliases = TableAliases>(tables: A, build: StatementBuilder<A>, planning: Planning = "per-run"): Promise<R[]> {
    const statement = this.statement(tables, build);
    return (await runRead<R>(this.database, statement.sql, statement.values, planning)).rows;
  }

  /** A scoped statement's text and parameters, for callers that stream it (export cursors). */
  statement<A extends TableAliases>(tables: A, build: StatementBuilder<A>): ScopedStatement {
    return buildScopedStatement(this.viewer, tables, build);
  }

  /** Runs `work` in one transaction, with a ViewerAccess bound to the same viewer on its connection. */
  async transaction<R>(work: (tx: ViewerAccess) => Promise<R>): Promise<R> {
    return await managerOf(this.database).transaction((manager) => work(new ViewerAccess(manager, this.viewer)));
  }

  /**
   * Transaction-level advisory locks on `ids` in `space`, taken in ascending key order so two
   * transactions sharing ids never deadlock. Needs a transaction (held until it ends).
   */
  async lock(space: LockSpace, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await runStatement(
      queryable(this.database),
      `SELECT pg_advisory_xact_lock(hashtext('${space}'), k.key)
     FROM (SELECT DISTINCT hashtext(id::text) AS key FROM unnest($1::uuid[]) AS id ORDER BY 1) k`,
      [[...ids]],
    );
  }
}
