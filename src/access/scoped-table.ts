/**
 * One policy table's viewer-scoped reads and writes: lookups by id and by key, keyset pages,
 * per-parent pages and counts for DataLoader batches, single-row updates and inserts. Every
 * statement built here carries the viewer's row predicate; feature repositories add their
 * filter conditions on top and never write a FROM clause without it.
 */
import type { EntityManager } from "typeorm";
import { ConnectionValue, KeysetOrder, afterPredicate, orderByClause, pageSize, toPage } from "../shared/connection";
import { SqlParams, groupInKeyOrder, indexInKeyOrder, isUuid } from "../shared/sql";
import { runStatement, type Planning } from "../db/prepared";
import { managerOf, queryable, runRead } from "./database";
import { ownerColumn, mayRead, scopePredicate, type ScopedTableName } from "./policy";
import { COUNT_BOUND, onlyFields, type Count, type CountPlan, type MaintainedCounts } from "./maintained-counts";
import { applyFolded, foldedColumns, hydrateFolded, type ListFold } from "./folded-read";
import type { Projection } from "./projection";
import { cachedSelectList, hydrate } from "./select-lists";
import type { Viewer } from "./viewer";
import type { ViewerAccess } from "./viewer-access";

import type { Condition } from "./condition";

export type { Condition } from "./condition";

/** `column = ANY(values)` for a filter list; null (no condition) when the list is absent. */
export function anyOf(column: string, values: readonly unknown[] | null | undefined, type: "uuid" | "text" | "role" | "session_status"): Condition | null {
  if (!values) return null;
  return (a, p) => `${a}.${column} = ANY(${p.add(values)}::${type}[])`;
}

export interface ListArgs {
  first?: number | null;
  after?: string | null;
}

export interface TableSpec<T> {
  entity: new () => T;
  table: ScopedTableName;
  order: KeysetOrder<T>;
}

/** The alias of a table's own statements. */
export const ALIAS = "t";
/** The alias of a count's rows. */
const COUNT_ALIAS = "k";

/** The counters a list's totalCount may be summed from (maintained-counts.ts), the filter's plan over them, and how far rows are counted without one. */
type Counting = { grains: MaintainedCounts<unknown>["grains"]; plan: CountPlan | null; bound: number };

/** A count as SQL (a scalar subquery) and how to read its value. */
type CountQuery = { sql: string; result(n: number): Count };

/** Rows counted up to `bound`: one more means "at least `bound`", not exact. */
const boundedCount = (bound: number): Pick<CountQuery, "result"> => ({
  result: (n) => (n > bound ? { n: bound, exact: false } : { n, exact: true }),
});

export class ScopedTable<T extends { id: string }> {
  readonly viewer: Viewer;
  /** Every column: writes return whole rows. */
  private readonly columns: string;
  /** False when the viewer's role has no rule for the table: every read is empty, no SQL runs. */
  readonly readable: boolean;

  constructor(
    private readonly access: ViewerAccess,
    readonly spec: TableSpec<T>,
  ) {
    this.viewer = access.viewer;
    this.columns = this.select(null);
    this.readable = mayRead(spec.table, access.viewer);
  }

  /** For entity metadata (select lists, column names). */
  get manager(): EntityManager {
    return managerOf(this.access.database);
  }

  /** The select list of `projection` under `alias` (JSON form for folded subqueries). */
  select(projection: Projection, alias = ALIAS, json = false): string {
    return cachedSelectList(this.manager, this.spec.entity, this.spec.order as KeysetOrder<never>, projection, alias, json);
  }

  /** The WHERE clause: the viewer's row predicate and each condition, over `alias`. */
  where(params: SqlParams, conditions: Condition[], alias = ALIAS): string {
    const parts = [scopePredicate(this.spec.table, alias, this.viewer, params)];
    for (const condition of conditions) {
      const sql = condition(alias, params);
      if (sql) parts.push(`(${sql})`);
    }
    return parts.join(" AND ");
  }

  /** Runs a read built here on the viewer's connection (pool, transaction, or the request's read route). */
  async run<R = Record<string, unknown>>(sql: string, values: unknown[], planning: Planning): Promise<R[]> {
    return (await runRead<R>(this.access.database, sql, values, planning)).rows;
  }

  private async rows(sql: string, params: SqlParams, planning: Planning): Promise<T[]> {
    return hydrate(this.spec.entity, await this.run(sql, params.values, planning));
  }

  /** Rows by id in key order; null for ids that are absent, malformed or out of scope. */
  async byIds(ids: readonly string[], projection: Projection = null): Promise<(T | null)[]> {
    const valid = [...new Set(ids.filter(isUuid))];
    if (valid.length === 0 || !this.readable) return ids.map(() => null);
    const params = new SqlParams();
    const idList = params.add(valid);
    const rows = await this.rows(
      `SELECT ${this.select(projection)} FROM ${this.spec.table} ${ALIAS} WHERE ${ALIAS}.id = ANY(${idList}::uuid[]) AND ${this.where(params, [])}`,
      params,
      "reuse",
    );
    return indexInKeyOrder(ids, rows, (row) => row.id);
  }

  /** Rows whose `column` is one of `keys`, grouped in key order (for one-to-many relations). */
  async byKeys(column: string, keys: readonly string[], conditions: Condition[] = []): Promise<T[][]> {
    if (!this.readable) return keys.map(() => []);
    const params = new SqlParams();
    const keyList = params.add([...new Set(keys)]);
    const rows = await this.rows(
      `SELECT ${this.columns} FROM ${this.spec.table} ${ALIAS}
       WHERE ${ALIAS}.${column} = ANY(${keyList}::uuid[]) AND ${this.where(params, conditions)}
       ORDER BY ${orderByClause(this.spec.order, ALIAS)}`,
      params,
      "per-run",
    );
    const property = this.propertyOf(column);
    return groupInKeyOrder(keys, rows, (row) => (row as Record<string, unknown>)[property] as string);
  }

  /**
   * One keyset page of the rows matching `conditions`; totalCount is counted only if asked:
   * from maintained counters when `counting` is given (its grains and the filter's plan, null
   * when the counters cannot answer it: then exactly up to `counting.bound` rows), else by count(*).
   *
   * `read` is the nodes' projection, or a root list's folded reads (ListFold): then the reads
   * nested under each row, and the count when selected (a scalar subquery, run once), come back
   * in the page's own statement, and the loaders they prime answer the nested resolvers. A page
   * past a cursor with no rows carries no count: it is counted on its own if asked.
   * `planning`: see db/prepared.ts; "reuse" only where one plan serves every value.
   */
  async page(
    conditions: Condition[],
    args: ListArgs,
    read: Projection | ListFold = null,
    counting?: Counting,
    planning: Planning = "per-run",
  ): Promise<ConnectionValue<T>> {
    const fold = read !== null && !Array.isArray(read) ? (read as ListFold) : null;
    const projection = fold ? fold.projection : (read as Projection);
    const size = pageSize(args.first);
    if (!this.readable) return new ConnectionValue({ nodes: [], hasNextPage: false }, this.spec.order, async () => 0);
    let counted: Promise<Count> | undefined;
    const count = () => (counted ??= this.countRows(conditions, counting));
    const total = async () => (await count()).n;
    const exact = async () => (await count()).exact;
    // `first: 0` (a count alone): no rows to fetch; whether more exist is the count, if asked.
    if (size === 0 && !args.after) {
      return new ConnectionValue({ nodes: [], hasNextPage: async () => (await total()) > 0 }, this.spec.order, total, exact);
    }
    const params = fold?.params ?? new SqlParams();
    const after = afterPredicate(this.spec.order, ALIAS, args.after, params);
    const where = this.where(params, after ? [...conditions, () => after] : conditions);
    const order = orderByClause(this.spec.order, ALIAS);
    let counter: Pick<CountQuery, "result"> | null = null;
    let rows: Record<string, unknown>[];
    if (fold?.count && counting && !args.after && !this.countGrain(counting) && counting.bound + 1 <= 2 * (size + 1)) {
      // A first page whose count is a bounded count of the same rows (a filter no counter
      // answers, e.g. a two-letter search), at most about twice the page: one ordered pass finds
      // the count's rows and the page's (the first `size + 1` of them). Two passes would test the
      // filter on the page's rows twice.
      counter = boundedCount(counting.bound);
      rows = await this.run(
        `WITH matched AS MATERIALIZED (
           SELECT ${ALIAS}.* FROM ${this.spec.table} ${ALIAS} WHERE ${where} ORDER BY ${order} LIMIT ${Math.max(counting.bound, size) + 1})
         SELECT ${this.select(projection)}${foldedColumns(fold.nested)}, (SELECT count(*)::int FROM matched) AS "__count"
           FROM matched ${ALIAS} ORDER BY ${order} LIMIT ${size + 1}`,
        params.values,
        planning,
      );
    } else {
      const countSql = fold?.count ? this.countQuery(conditions, counting, params) : null;
      counter = countSql;
      rows = await this.run(
        `SELECT ${this.select(projection)}${fold ? foldedColumns(fold.nested) : ""}${countSql ? `, (${countSql.sql}) AS "__count"` : ""}
         FROM ${this.spec.table} ${ALIAS} WHERE ${where}
         ORDER BY ${order} LIMIT ${size + 1}`,
        params.values,
        planning,
      );
    }
    // No rows and no cursor: nothing matches the filter in this statement's snapshot, so the
    // count, had it had a row to ride on, was 0.
    if (counter && rows.length > 0) counted = Promise.resolve(counter.result(rows[0].__count as number));
    else if (counter && !args.after) counted = Promise.resolve({ n: 0, exact: true });
    if (fold) for (const row of rows) applyFolded(row, fold.nested);
    const nodes = fold ? hydrateFolded(this.spec.entity, rows) : this.hydrate(rows);
    return new ConnectionValue(toPage(nodes, size), this.spec.order, total, exact);
  }

  async count(conditions: Condition[]): Promise<number> {
    return (await this.countRows(conditions)).n;
  }

  /**
   * The rows matching `conditions`, from the counters of the first grain the viewer may read
   * that has what the plan needs (under that grain's own row predicate), or, without a plan or
   * such a grain, counted on the rows up to `counting.bound`; without `counting`, count(*).
   */
  private async countRows(conditions: Condition[], counting?: Counting): Promise<Count> {
    if (!this.readable) return { n: 0, exact: true };
    const params = new SqlParams();
    const counter = this.countQuery(conditions, counting, params);
    const [row] = await this.run<{ n: number }>(`SELECT (${counter.sql}) AS n`, params.values, "per-run");
    return counter.result(row.n);
  }

  /**
   * The count of the rows matching `conditions` as one scalar query: a sum over the counters
   * when `counting` has a grain for it, else count(*), bounded at `counting.bound` when `counting` is
   * given (a filter the counters cannot answer); `result` reads its value.
   */
  private countQuery(conditions: Condition[], counting: Counting | undefined, params: SqlParams): CountQuery {
    const plan = counting?.plan;
    const grain = counting && this.countGrain(counting);
    if (plan && grain) {
      const where = [scopePredicate(grain.table, "c", this.viewer, params), ...plan.conditions.map((c) => c("c", params)).filter(Boolean).map((sql) => `(${sql})`)];
      return { sql: `SELECT coalesce(sum(c.n), 0)::int FROM ${grain.table} c WHERE ${where.join(" AND ")}`, result: (n) => ({ n, exact: true }) };
    }
    // Its own alias: it may sit inside a page statement over ALIAS.
    const where = this.where(params, conditions, COUNT_ALIAS);
    if (!counting) return { sql: `SELECT count(*)::int FROM ${this.spec.table} ${COUNT_ALIAS} WHERE ${where}`, result: (n) => ({ n, exact: true }) };
    return { sql: `SELECT count(*)::int FROM (SELECT FROM ${this.spec.table} ${COUNT_ALIAS} WHERE ${where} LIMIT ${counting.bound + 1}) x`, ...boundedCount(counting.bound) };
  }

  /** The first grain the viewer may read whose counters have every dimension the filter's plan needs. */
  private countGrain(counting: Counting): Counting["grains"][number] | undefined {
    const plan = counting.plan;
    return plan ? counting.grains.find((g) => mayRead(g.table, this.viewer) && plan.needs.every((d) => g.dimensions.includes(d))) : undefined;
  }

  /**
   * One page per parent key in a single statement: a LATERAL subquery per key walks the
   * (key, order...) index, so the cost follows the page size, not the parent's total rows.
   */
  async pagesByKey(
    column: string,
    keys: readonly string[],
    args: ListArgs,
    countFor: (key: string) => number | Promise<number>,
    conditions: Condition[] = [],
    projection: Projection = null,
  ): Promise<ConnectionValue<T>[]> {
    const size = pageSize(args.first);
    if (!this.readable) return keys.map((key) => new ConnectionValue({ nodes: [], hasNextPage: false }, this.spec.order, () => countFor(key)));
    if (size === 0 && !args.after) {
      return keys.map((key) => new ConnectionValue({ nodes: [], hasNextPage: async () => (await countFor(key)) > 0 }, this.spec.order, () => countFor(key)));
    }
    const params = new SqlParams();
    const keyList = params.add([...new Set(keys)]);
    const after = afterPredicate(this.spec.order, ALIAS, args.after, params);
    const where = this.where(params, after ? [...conditions, () => after] : conditions);
    const rows = await this.run(
      `SELECT k.key AS "__key", x.* FROM unnest(${keyList}::uuid[]) AS k(key)
       CROSS JOIN LATERAL (
         SELECT ${this.select(projection)} FROM ${this.spec.table} ${ALIAS}
         WHERE ${ALIAS}.${column} = k.key AND ${where}
         ORDER BY ${orderByClause(this.spec.order, ALIAS)} LIMIT ${size + 1}
       ) x`,
      params.values,
      "per-run",
    );
    const grouped = groupInKeyOrder(keys, rows, (row) => row.__key as string);
    return grouped.map((group, i) => {
      const nodes = hydrate(this.spec.entity, group.map(({ __key, ...row }) => row));
      return new ConnectionValue(toPage(nodes, size), this.spec.order, () => countFor(keys[i]));
    });
  }

  /** Row counts per key, in key order (0 where none). */
  async countsByKey(column: string, keys: readonly string[], conditions: Condition[] = []): Promise<number[]> {
    if (!this.readable) return keys.map(() => 0);
    const params = new SqlParams();
    const keyList = params.add([...new Set(keys)]);
    const rows = await this.run<{ key: string; n: number }>(
      `SELECT ${ALIAS}.${column} AS key, count(*)::int AS n FROM ${this.spec.table} ${ALIAS}
       WHERE ${ALIAS}.${column} = ANY(${keyList}::uuid[]) AND ${this.where(params, conditions)}
       GROUP BY 1`,
      params.values,
      "per-run",
    );
    const counts = new Map(rows.map((r) => [r.key, r.n]));
    return keys.map((k) => counts.get(k) ?? 0);
  }

  /** The database column of an entity property (for joins on a foreign key). */
  columnOf(property: string): string {
    return this.manager.connection.getMetadata(this.spec.entity).findColumnWithPropertyName(property)!.databaseName;
  }

  /** The entity property of a database column. */
  propertyOf(column: string): string {
    return this.manager.connection.getMetadata(this.spec.entity).findColumnWithDatabaseName(column)!.propertyName;
  }

  /** Entities from raw rows keyed by property name. */
  hydrate(rows: Record<string, unknown>[]): T[] {
    return hydrate(this.spec.entity, rows);
  }

  /**
   * Updates one row the viewer may read (writes follow the same policy as reads), if it also
   * matches `conditions`; returns the updated row, or null when no row qualified. One atomic
   * statement: under concurrency the conditions are re-checked on the locked row.
   */
  async update(id: string, assignments: (params: SqlParams) => string, conditions: Condition[] = []): Promise<T | null> {
    if (!isUuid(id) || !this.readable) return null;
    const params = new SqlParams();
    const set = assignments(params);
    const { rows } = await runStatement(
      queryable(this.access.database),
      `UPDATE ${this.spec.table} ${ALIAS} SET ${set}
       WHERE ${ALIAS}.id = ${params.add(id)}::uuid AND ${this.where(params, conditions)}
       RETURNING ${this.columns}`,
      params.values,
    );
    return rows.length ? this.hydrate(rows)[0] : null;
  }

  /** Deletes one row in scope and returns it as it was; null when out of scope or absent. */
  async delete(id: string, conditions: Condition[] = []): Promise<T | null> {
    if (!isUuid(id) || !this.readable) return null;
    const params = new SqlParams();
    const { rows } = await runStatement(
      queryable(this.access.database),
      `DELETE FROM ${this.spec.table} ${ALIAS}
       WHERE ${ALIAS}.id = ${params.add(id)}::uuid AND ${this.where(params, conditions)}
       RETURNING ${this.columns}`,
      params.values,
    );
    return rows.length ? this.hydrate(rows)[0] : null;
  }

  /**
   * Inserts one row owned by the viewer and returns it: the organization, and the owner column
   * where the policy names one, come from the viewer, never from `values` (which must not set
   * them). Values are keyed by column name; each takes its column's type.
   */
  async insert(values: Record<string, unknown>): Promise<T> {
    return (await this.insertRow(values, null))!;
  }

  /**
   * `insert`, unless the row would conflict on `conflictTarget` (a unique index's columns and
   * predicate, e.g. `(requested_by_id, idempotency_key) WHERE idempotency_key IS NOT NULL`):
   * then nothing is written and the answer is null (`ON CONFLICT … DO NOTHING`; a concurrent
   * insert of the same key is waited for). The caller reads the existing row back.
   */
  async insertUnlessConflict(values: Record<string, unknown>, conflictTarget: string): Promise<T | null> {
    return await this.insertRow(values, conflictTarget);
  }

  private async insertRow(values: Record<string, unknown>, conflictTarget: string | null): Promise<T | null> {
    const stamped: Record<string, unknown> = { organization_id: this.viewer.organizationId };
    const owner = ownerColumn[this.spec.table];
    if (owner) stamped[owner] = this.viewer.userId;
    for (const column of Object.keys(stamped)) {
      if (column in values) throw new Error(`ScopedTable.insert: ${this.spec.table}.${column} comes from the viewer, not from values.`);
    }
    const row = { ...stamped, ...values };
    const params = new SqlParams();
    const columns = Object.keys(row);
    const { rows } = await runStatement(
      queryable(this.access.database),
      `INSERT INTO ${this.spec.table} AS ${ALIAS} (${columns.map((c) => `"${c}"`).join(", ")})
       VALUES (${columns.map((c) => params.add(row[c])).join(", ")})${conflictTarget ? `
       ON CONFLICT ${conflictTarget} DO NOTHING` : ""}
       RETURNING ${this.columns}`,
      params.values,
    );
    return rows.length ? this.hydrate(rows)[0] : null;
  }
}

/**
 * A feature repository: one scoped table plus the feature's filter, turned into conditions.
 * Features extend it with their own reads and writes.
 */
export class ScopedRepository<T extends { id: string }, F> {
  readonly table: ScopedTable<T>;

  constructor(
    access: ViewerAccess,
    spec: TableSpec<T>,
    private readonly conditionsOf: (filter: F | null | undefined) => Condition[],
    /** Counters that answer totalCount for the filters they can express (maintained-counts.ts). */
    private readonly counts?: MaintainedCounts<F>,
  ) {
    this.table = new ScopedTable(access, spec);
  }

  /** One keyset page of the rows the viewer may read that match `filter` (with a root list's folded reads: ScopedTable.page). */
  page(filter: F | null | undefined, args: ListArgs, read: Projection | ListFold = null): Promise<ConnectionValue<T>> {
    const conditions = this.conditionsOf(filter);
    const counting = this.counts && { grains: this.counts.grains, plan: this.counts.plan(filter), bound: this.counts.rowCountBound?.(filter) ?? COUNT_BOUND };
    // Without a filter the page walks the list's own index for any viewer, key and cursor, so one
    // generic plan serves every run; planning the statement (with its folded reads) cost more
    // than running it (bench/RESULTS.md, issue 16). Filters keep a plan for their values.
    const unfiltered = !filter || onlyFields(filter, []);
    return this.table.page(conditions, args, read, counting, unfiltered ? "reuse" : "per-run");
  }
}
