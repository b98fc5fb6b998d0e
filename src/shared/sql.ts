import type { EntityMetadata } from "typeorm";

/** Collects positional parameters so SQL text never contains caller input. */
export class SqlParams {
  readonly values: unknown[] = [];
  /** Adds a value and returns its placeholder (`$n`). */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The select list for an entity under `alias`, each column aliased to its property name,
 * so raw rows hydrate without TypeORM's per-row mapping (which costs more than the query).
 * Only plain column types are used in entities, so pg's own parsing yields the right JS types.
 */
export function selectList(metadata: EntityMetadata, alias: string, include: (column: EntityMetadata["columns"][number]) => boolean = () => true): string {
  return metadata.columns.filter(include).map((c) => `${alias}."${c.databaseName}" AS "${c.propertyName}"`).join(", ");
}

/**
 * The same columns for a JSON object (row_to_json of a subquery): bigint as text, since pg's row
 * parser gives strings for bigint and JSON would give numbers.
 */
export function jsonSelectList(metadata: EntityMetadata, alias: string, include: (column: EntityMetadata["columns"][number]) => boolean = () => true): string {
  return metadata.columns
    .filter(include)
    .map((c) => `${alias}."${c.databaseName}"${c.type === "bigint" ? "::text" : ""} AS "${c.propertyName}"`)
    .join(", ");
}

export function hydrate<T>(entity: new () => T, rows: Record<string, unknown>[]): T[] {
  return rows.map((row) => Object.assign(new entity() as object, row) as T);
}

/** Groups `items` by `key` into a Map whose entries follow `keys` order (DataLoader's contract). */
export function groupInKeyOrder<K, T>(keys: readonly K[], items: T[], key: (item: T) => K): T[][] {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return keys.map((k) => groups.get(k) ?? []);
}

/** One item per key, null where absent (DataLoader's contract for lookups by id). */
export function indexInKeyOrder<K, T>(keys: readonly K[], items: T[], key: (item: T) => K): (T | null)[] {
  const byKey = new Map<K, T>();
  for (const item of items) byKey.set(key(item), item);
  return keys.map((k) => byKey.get(k) ?? null);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A case-insensitive "contains" pattern for ILIKE, with %, _ and \\ in the text matched literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
