/**
 * DataLoader batching over scoped tables. Loaders are born with the request (src/graphql builds
 * them per viewer), so a cache never serves one viewer's rows to another; each batch is one
 * scoped statement (`WHERE key = ANY($1)` with the policy predicate) answered in key order.
 */
import DataLoader from "dataloader";
import { ConnectionValue, pageSize, toPage } from "../shared/connection";
import { projectionKey, type Projection } from "./projection";
import type { Condition, ListArgs, ScopedTable } from "./scoped-table";

/** A per-parent page request: the parent's key and the nested connection's arguments. */
export interface PageKey extends ListArgs {
  key: string;
  /** The properties the query asks of the page's nodes (null or absent: all). */
  projection?: Projection;
}

/** A nested connection keyed by a column of the child table: its loaders, and what folding it into a parent's statement needs. */
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

/** Rows by id (null when absent or out of scope), batched per projection. */
export function idLoader<T extends { id: string }>(table: ScopedTable<T>): IdLoader<T> {
  return new IdLoader((ids, projection) => table.byIds(ids, projection));
}

/**
 * A DataLoader of rows grouped by `column` (small one-to-many lists, e.g. attachments), which
 * also says what it reads, so the folded-read planner can fetch the same rows in a parent's
 * statement and prime it.
 */
export class ListLoader<T extends { id: string }> extends DataLoader<string, T[]> {
  constructor(
    readonly table: ScopedTable<T>,
    readonly column: string,
    readonly conditions: Condition[] = [],
  ) {
    super((keys) => table.byKeys(column, keys, conditions));
  }
}

export function listLoader<T extends { id: string }>(table: ScopedTable<T>, column: string, conditions: Condition[] = []): ListLoader<T> {
  return new ListLoader(table, column, conditions);
}

/**
 * Loaders for a nested connection keyed by `column`: pages batch all parents that ask with
 * the same arguments into one statement, counts batch into one GROUP BY.
 *
 * Values a folded read already fetched are handed back as plain values, not promises: a promise
 * per field costs a microtask and a Promise.all per object in graphql-js (promiseForObject).
 */
export function relationLoaders<T extends { id: string }>(table: ScopedTable<T>, column: string, conditions: Condition[] = []): RelationLoaders<T> {
  const counts = new DataLoader<string, number>((keys) => table.countsByKey(column, keys, conditions));
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
            const pages = await table.pagesByKey(column, group.map((g) => g.key), group[0], count, conditions, group[0].projection ?? null);
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

  /**
   * The row (null when absent or out of scope): as is when this request already has it, else
   * batched. A whole row answers any projection, so once this request reads whole rows (a
   * session's runner reads its user's email), a projected read joins that batch instead of
   * starting a second statement for the same ids (the Session History row: runner and user).
   */
  load(id: string, projection: Projection = null): T | null | Promise<T | null> {
    const own = this.loaders.get(projectionKey(projection));
    const known = own?.known.get(id);
    if (known !== undefined) return known;
    const whole = projection === null ? undefined : this.loaders.get(projectionKey(null));
    if (whole) {
      const row = whole.known.get(id);
      return row !== undefined ? row : whole.loader.load(id);
    }
    return this.entry(projection).loader.load(id);
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
