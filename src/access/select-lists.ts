/**
 * Select lists built from TypeORM's entity metadata: each column aliased to its property name,
 * so raw rows hydrate without TypeORM's per-row mapping (which costs more than the query).
 * Only plain column types are used in entities, so pg's own parsing yields the right JS types.
 */
import type { EntityManager, EntityMetadata } from "typeorm";
import type { KeysetOrder } from "../shared/connection";
import { projectionKey, type Projection } from "./projection";

type ColumnFilter = (column: EntityMetadata["columns"][number]) => boolean;

/** The select list for an entity under `alias`. */
export function selectList(metadata: EntityMetadata, alias: string, include: ColumnFilter = () => true): string {
  return metadata.columns.filter(include).map((c) => `${alias}."${c.databaseName}" AS "${c.propertyName}"`).join(", ");
}

/**
 * The same columns for a JSON object (row_to_json of a subquery): bigint as text, since pg's row
 * parser gives strings for bigint and JSON would give numbers.
 */
export function jsonSelectList(metadata: EntityMetadata, alias: string, include: ColumnFilter = () => true): string {
  return metadata.columns
    .filter(include)
    .map((c) => `${alias}."${c.databaseName}"${c.type === "bigint" ? "::text" : ""} AS "${c.propertyName}"`)
    .join(", ");
}

export function hydrate<T>(entity: new () => T, rows: Record<string, unknown>[]): T[] {
  return rows.map((row) => Object.assign(new entity() as object, row) as T);
}

/** Select lists per entity, alias, form and projection, built once: tables are bound per request, the SQL is not. */
const selectLists = new WeakMap<object, Map<string, string>>();

/** The select list of `projection` (null: every column); id and the keyset columns are always in it. */
export function cachedSelectList(manager: EntityManager, entity: new () => unknown, order: KeysetOrder<never>, projection: Projection, alias: string, json = false): string {
  let lists = selectLists.get(entity);
  if (!lists) selectLists.set(entity, (lists = new Map()));
  const key = `${alias}:${json ? "json" : "row"}:${projectionKey(projection)}`;
  let list = lists.get(key);
  if (list === undefined) {
    const metadata = manager.connection.getMetadata(entity);
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

/** Properties of `entity` stored as timestamptz: JSON carries them as text, pg's row parser as Dates. */
const timestampCache = new WeakMap<object, string[]>();
export function timestampProperties(manager: EntityManager, entity: new () => unknown): string[] {
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
