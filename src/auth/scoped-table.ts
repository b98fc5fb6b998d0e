/**
 * Viewer-scoped reads of one table: lookups by id, keyset pages, and per-parent pages and counts
 * for DataLoader batches. Every statement built here carries the policy predicate; feature
 * repositories add their filters on top and never write a FROM clause without it.
 */
import DataLoader from "dataloader";
import type { EntityManager, EntityMetadata } from "typeorm";
import {
  ConnectionValue,
  KeysetOrder,
  afterPredicate,
  orderByClause,
  pageSize,
  toPage,
} from "../shared/connection";
import { SqlParams, groupInKeyOrder, hydrate, indexInKeyOrder, isUuid, jsonSelectList, selectList } from "../shared/sql";
import { projectionKey, type Projection } from "../shared/projection";
import { ScopedTableName, mayRead, scopePredicate } from "./policy";
import { queryPrepared, type Planning } from "../db/prepared";
import { parseTimestamptz } from "../db/pg-types";
import type { Viewer } from "./viewer";

/** A filter condition over the table alias; returns SQL using only placeholders from `params`. */
export type Condition = (alias: string, params: SqlParams) => string | null;

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

const ALIAS = "t";

/** Select lists per entity, alias, form and projection, built once: the table classes are per request, the SQL is not. */
const selectLists = new WeakMap<object, Map<string, string>>();
function cachedSelectList(manager: EntityManager, entity: new () => unknown, order: KeysetOrder<never>, projection: Projection, alias = ALIAS, json = false): string {
  let lists = selectLists.get(entity);
  if (!lists) selectLists.set(entity, (lists = new Map()));
  const key = `${alias}:${json ? "json" : "row"}:${projectionKey(projection)}`;
  let list = lists.get(key);
  if (list === undefined) {
    const metadata = manager.connection.getMetadata(entity) as EntityMetadata;
    const build = json ? jsonSelectList : selectList;
    if (projection) {
      // id and the keyset columns always: cursors, grouping and DataLoader keys use them.
      const wanted = new Set(["id", ...order.columns.map((c) => metadata.findColumnWithDatabaseName(c)!.propertyName), ...projection]);
      list = build(metadata, alias, (column) => wanted.has(column.propertyName));
    } else {
      list = build(metadata, alias);
    }
    lists.set(key, list);
  }
  return list;
}

/**
 * A read folded into its parent's statement (src/auth/folded-reads.ts): a subquery that yields
 * JSON, and what to do with that JSON once the parent row is back.
 */
export interface FoldedRead {
  sql: string;
  /** Primes the loaders the nested resolvers will call, from the subquery's value for `parent`. */
  apply(value: unknown, parent: Record<string, unknown>): void;
}

/** The column name under which the i-th folded read of a row comes back. */
const foldedColumn = (i: number) => `__f${i}`;

/** Hands each folded value of `row` to its read, and removes it (the row then hydrates as usual). */
function applyFolded(row: Record<string, unknown>, nested: FoldedRead[]): void {
  nested.forEach((read, i) => {
    read.apply(row[foldedColumn(i)], row);
    delete row[foldedColumn(i)];
  });
}

/** A per-parent page request: the parent's key and the nested connection's arguments. */
export interface PageKey extends ListArgs {
  key: string;
  /** The properties the query asks of the page's nodes (null or absent: all). */
  projection?: Projection;
}

/** A nested connection keyed by a column of the child table: its loaders, and how to fold it into a parent's statement. */
export interface RelationLoaders<T extends { id: string }> {
  table: ScopedTable<T>;
  /** The child table's column holding the parent's id. */
  column: string;
  conditions: Condition[];
  /** The page of the parent `key` (what a connection field resolver returns); as is when primed. */
  page(key: string, args: ListArgs, projection: Projection): ConnectionValue<T> | Promise<ConnectionValue<T>>;
  /** The count of the parent `key`'s rows; as is when primed. */
  count(key: string): number | Promise<number>;
  /** Seeds that page with rows a folded read fetched (`size + 1` of them, like pagesByKey). */
  primePage(key: string, args: ListArgs, projection: Projection, rows: T[]): void;
  primeCount(key: string, count: number): void;
}

/**
 * Values a folded read already fetched are handed to graphql-js as plain values, not promises:
 * a promise per field costs a microtask and a Promise.all per object (promiseForObject), which
 * on a folded page was a tenth of the gateway's CPU.
 */

export class ScopedTable<T extends { id: string }> {
  /** Every column: writes return whole rows. */
  private readonly columns: string;
  /** False when the viewer's role has no rule for the table: every read is empty, no SQL runs. */
  private readonly readable: boolean;

  constructor(
    private readonly manager: EntityManager,
    private readonly viewer: Viewer,
    readonly spec: TableSpec<T>,
  ) {
    this.columns = this.select(null);
    this.readable = mayRead(spec.table, viewer);
  }

  private select(projection: Projection): string {
    return cachedSelectList(this.manager, this.spec.entity, this.spec.order as KeysetOrder<never>, projection);
  }

  private where(params: SqlParams, conditions: Condition[], alias = ALIAS): string {
    const parts = [scopePredicate(this.spec.table, alias, this.viewer, params)];
    for (const condition of conditions) {
      const sql = condition(alias, params);
      if (sql) parts.push(`(${sql})`);
    }
    return parts.join(" AND ");
  }

  private async rows(sql: string, params: SqlParams, planning: Planning): Promise<T[]> {
    return hydrate(this.spec.entity, await queryPrepared(this.manager, sql, params.values, planning));
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
    const property = this.manager.connection.getMetadata(this.spec.entity).findColumnWithDatabaseName(column)!.propertyName;
    return groupInKeyOrder(keys, rows, (row) => (row as Record<string, unknown>)[property] as string);
  }

  /** One keyset page of the rows matching `conditions`; totalCount is counted only if asked. */
  async page(conditions: Condition[], args: ListArgs, projection: Projection = null): Promise<ConnectionValue<T>> {
    const size = pageSize(args.first);
    if (!this.readable) return new ConnectionValue({ nodes: [], hasNextPage: false }, this.spec.order, async () => 0);
    // `first: 0` (a count alone): no rows to fetch; whether more exist is the count, if asked.
    if (size === 0 && !args.after) {
      let counted: Promise<number> | undefined;
      const count = () => (counted ??= this.count(conditions));
      return new ConnectionValue({ nodes: [], hasNextPage: async () => (await count()) > 0 }, this.spec.order, count);
    }
    const params = new SqlParams();
    const after = afterPredicate(this.spec.order, ALIAS, args.after, params);
    const where = this.where(params, after ? [...conditions, () => after] : conditions);
    const rows = await this.rows(
      `SELECT ${this.select(projection)} FROM ${this.spec.table} ${ALIAS} WHERE ${where}
       ORDER BY ${orderByClause(this.spec.order, ALIAS)} LIMIT ${size + 1}`,
      params,
      "per-run",
    );
    return new ConnectionValue(toPage(rows, size), this.spec.order, () => this.count(conditions));
  }

  async count(conditions: Condition[]): Promise<number> {
    if (!this.readable) return 0;
    const params = new SqlParams();
    const [row] = await queryPrepared<{ n: number }>(
      this.manager,
      `SELECT count(*)::int AS n FROM ${this.spec.table} ${ALIAS} WHERE ${this.where(params, conditions)}`,
      params.values,
      "per-run",
    );
    return row.n;
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
    const rows = await queryPrepared(
      this.manager,
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
    const rows = await queryPrepared<{ key: string; n: number }>(
      this.manager,
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

  /**
   * Folding nested reads into one statement (src/auth/folded-reads.ts): the same scope
   * predicate, conditions, order and limits as byIds and pagesByKey, as correlated subqueries
   * that return JSON. `nested` are reads folded into each of these rows in turn.
   */
  private jsonRows(alias: string, projection: Projection, nested: FoldedRead[]): string {
    const extra = nested.map((read, i) => `, ${read.sql} AS "${foldedColumn(i)}"`).join("");
    return `${cachedSelectList(this.manager, this.spec.entity, this.spec.order as KeysetOrder<never>, projection, alias, true)}${extra}`;
  }

  /** One row by an id expression of the parent, as a JSON object (null when absent or out of scope). */
  foldedRow(idSql: string, alias: string, projection: Projection, nested: FoldedRead[], params: SqlParams): string {
    return `(SELECT row_to_json(x) FROM (SELECT ${this.jsonRows(alias, projection, nested)} FROM ${this.spec.table} ${alias}
      WHERE ${alias}.id = ${idSql} AND ${this.where(params, [], alias)}) x)`;
  }

  /** One keyset page (`size + 1` rows) of the rows whose `column` is the parent's key, as a JSON array in list order. */
  foldedPage(column: string, keySql: string, args: ListArgs, conditions: Condition[], alias: string, projection: Projection, nested: FoldedRead[], params: SqlParams): string {
    const after = afterPredicate(this.spec.order, alias, args.after, params);
    const where = this.where(params, after ? [...conditions, () => after] : conditions, alias);
    // json_agg takes the rows in the sorted subquery's order: PostgreSQL documents this as what a
    // plain aggregate over a sorted subquery does (nothing is joined or grouped at this level), and
    // an ORDER BY inside the aggregate would sort each page again (a sixth of Q3's database time).
    return `(SELECT coalesce(json_agg(x), '[]') FROM (SELECT ${this.jsonRows(alias, projection, nested)} FROM ${this.spec.table} ${alias}
      WHERE ${alias}.${column} = ${keySql} AND ${where}
      ORDER BY ${orderByClause(this.spec.order, alias)} LIMIT ${pageSize(args.first) + 1}) x)`;
  }

  /** The count of rows whose `column` is the parent's key. */
  foldedCount(column: string, keySql: string, conditions: Condition[], alias: string, params: SqlParams): string {
    return `(SELECT count(*)::int FROM ${this.spec.table} ${alias} WHERE ${alias}.${column} = ${keySql} AND ${this.where(params, conditions, alias)})`;
  }

  /** Entities from folded JSON objects: nested reads applied and removed, timestamps parsed as pg parses them. */
  fromJson(objects: Record<string, unknown>[], nested: FoldedRead[]): T[] {
    const timestamps = timestampProperties(this.manager, this.spec.entity);
    for (const object of objects) {
      applyFolded(object, nested);
      for (const property of timestamps) {
        const value = object[property];
        if (typeof value === "string") object[property] = parseTimestamptz(value);
      }
    }
    return hydrate(this.spec.entity, objects);
  }

  /** One row by id with `nested` folded in: one statement; the row and each folded value come back separately. */
  async byIdFolded(id: string, projection: Projection, nested: FoldedRead[], params: SqlParams): Promise<T | null> {
    if (!isUuid(id) || !this.readable) return null;
    const idParam = params.add(id);
    const [row] = await queryPrepared(
      this.manager,
      `SELECT ${this.select(projection)}${nested.map((read, i) => `, ${read.sql} AS "${foldedColumn(i)}"`).join("")}
       FROM ${this.spec.table} ${ALIAS} WHERE ${ALIAS}.id = ${idParam}::uuid AND ${this.where(params, [])}`,
      params.values,
      "reuse",
    );
    if (!row) return null;
    applyFolded(row, nested);
    return hydrate(this.spec.entity, [row])[0];
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
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [rows] = await this.manager.query(
      `UPDATE ${this.spec.table} ${ALIAS} SET ${set}
       WHERE ${ALIAS}.id = ${params.add(id)}::uuid AND ${this.where(params, conditions)}
       RETURNING ${this.columns}`,
      params.values,
    );
    return rows.length ? hydrate(this.spec.entity, rows)[0] : null;
  }

  /** Rows by id (null when absent or out of scope), batched per projection. */
  idLoader(): IdLoader<T> {
    return new IdLoader((ids, projection) => this.byIds(ids, projection));
  }

  /** A DataLoader of rows grouped by `column` (small one-to-many lists, e.g. attachments). */
  listLoader(column: string, conditions: Condition[] = []): DataLoader<string, T[]> {
    return new DataLoader((keys) => this.byKeys(column, keys, conditions));
  }

  /**
   * Loaders for a nested connection keyed by `column`: pages batch all parents that ask with
   * the same arguments into one statement, counts batch into one GROUP BY.
   */
  relationLoaders(column: string, conditions: Condition[] = []): RelationLoaders<T> {
    const counts = new DataLoader<string, number>((keys) => this.countsByKey(column, keys, conditions));
    const primedCounts = new Map<string, number>();
    const primedPages = new Map<string, ConnectionValue<T>>();
    const count = (key: string) => primedCounts.get(key) ?? counts.load(key);
    const pageKey = (request: PageKey) => JSON.stringify([request.key, request.first ?? null, request.after ?? null, projectionKey(request.projection ?? null)]);
    const pages = new DataLoader<PageKey, ConnectionValue<T>, string>(
      async (requests) => {
        const byArgs = new Map<string, PageKey[]>();
        for (const request of requests) {
          const argsKey = JSON.stringify([request.first ?? null, request.after ?? null, projectionKey(request.projection ?? null)]);
          byArgs.set(argsKey, [...(byArgs.get(argsKey) ?? []), request]);
        }
        const results = new Map<PageKey, ConnectionValue<T> | Error>();
        await Promise.all(
          [...byArgs.values()].map(async (group) => {
            try {
              const pages = await this.pagesByKey(column, group.map((g) => g.key), group[0], count, conditions, group[0].projection ?? null);
              group.forEach((request, i) => results.set(request, pages[i]));
            } catch (error) {
              // A bad cursor fails only the parents that asked with it.
              for (const request of group) results.set(request, error as Error);
            }
          }),
        );
        return requests.map((request) => results.get(request)!);
      },
      { cacheKeyFn: pageKey },
    );
    const table = this as ScopedTable<T>;
    return {
      table,
      column,
      conditions,
      count,
      page(key, args, projection) {
        const request = { key, first: args.first, after: args.after, projection };
        return primedPages.get(pageKey(request)) ?? pages.load(request);
      },
      primePage(key, args, projection, rows) {
        const request = { key, first: args.first, after: args.after, projection };
        primedPages.set(pageKey(request), new ConnectionValue(toPage(rows, pageSize(args.first)), table.spec.order, () => count(key)));
      },
      primeCount(key, n) {
        primedCounts.set(key, n);
      },
    };
  }
}

/**
 * A feature repository: one scoped table plus the feature's filter, turned into conditions.
 * Features extend it with their own reads and writes.
 */
export class ScopedRepository<T extends { id: string }, F> {
  readonly table: ScopedTable<T>;

  constructor(
    manager: EntityManager,
    viewer: Viewer,
    spec: TableSpec<T>,
    private readonly conditionsOf: (filter: F | null | undefined) => Condition[],
  ) {
    this.table = new ScopedTable(manager, viewer, spec);
  }

  /** One keyset page of the rows the viewer may read that match `filter`. */
  page(filter: F | null | undefined, args: ListArgs, projection: Projection = null): Promise<ConnectionValue<T>> {
    return this.table.page(this.conditionsOf(filter), args, projection);
  }
}

/**
 * DataLoaders by id, one per projection: a request's reads with the same selection batch into
 * one statement, and a partial row never answers a read that needs more of it.
 */
export class IdLoader<T> {
  private readonly loaders = new Map<string, { loader: DataLoader<string, T | null>; known: Map<string, T | null> }>();

  constructor(private readonly batch: (ids: readonly string[], projection: Projection) => Promise<(T | null)[]>) {}

  private entry(projection: Projection) {
    const key = projectionKey(projection);
    let entry = this.loaders.get(key);
    if (!entry) {
      const known = new Map<string, T | null>();
      const loader = new DataLoader<string, T | null>(async (ids) => {
        const rows = await this.batch(ids, projection);
        ids.forEach((id, i) => known.set(id, rows[i]));
        return rows;
      });
      this.loaders.set(key, (entry = { loader, known }));
    }
    return entry;
  }

  /** The row (null when absent or out of scope): as is when this request already has it, else batched. */
  load(id: string, projection: Projection = null): T | null | Promise<T | null> {
    const entry = this.entry(projection);
    const known = entry.known.get(id);
    return known !== undefined ? known : entry.loader.load(id);
  }

  /** Forgets `id` under every projection (after a write). */
  clear(id: string): this {
    for (const { loader, known } of this.loaders.values()) {
      loader.clear(id);
      known.delete(id);
    }
    return this;
  }

  /** Seeds the cache for one projection (a folded read's row, or null when absent or out of scope). */
  primeAs(id: string, projection: Projection, value: T | null): this {
    const { loader, known } = this.entry(projection);
    loader.prime(id, value);
    known.set(id, value);
    return this;
  }

  /** Seeds the whole-row cache with a row a write returned. */
  prime(id: string, value: T): this {
    return this.primeAs(id, null, value);
  }
}

/** Properties of `entity` stored as timestamptz: JSON carries them as text, pg's row parser as Dates. */
const timestampCache = new WeakMap<object, string[]>();
function timestampProperties(manager: EntityManager, entity: new () => unknown): string[] {
  let properties = timestampCache.get(entity);
  if (!properties) {
    properties = manager.connection
      .getMetadata(entity)
      .columns.filter((c) => c.type === "timestamp with time zone" || c.type === "timestamptz")
      .map((c) => c.propertyName);
    timestampCache.set(entity, properties);
  }
  return properties;
}
