/**
 * Projections: the entity properties one read must fetch. Each entity type declares, for each of
 * its GraphQL fields, the properties the field's value is computed from (`fieldColumns`); the
 * GraphQL layer (src/graphql/projection.ts) turns a query's selection into the union of them, and
 * the scoped reads here select only those columns (plus id and the keyset columns).
 *
 * Safe by default: a field missing from the map, or a selection that cannot be read, fetches
 * every column (projection null).
 */
import { getMetadataArgsStorage } from "typeorm";

/** For each GraphQL field of an entity type, the entity properties its value reads. */
export type FieldColumns = Readonly<Record<string, readonly string[]>>;

/** The properties one read must fetch, sorted (its text is a cache key); null: all of them. */
export type Projection = readonly string[] | null;

const projectionKeys = new WeakMap<readonly string[], string>();

/**
 * A projection's text, the key of caches and loaders: equal for equal projections. Memoised per
 * array, since projections are themselves cached per field (a page of 50 rows asks it 100 times).
 */
export function projectionKey(projection: Projection): string {
  if (!projection) return "*";
  let key = projectionKeys.get(projection);
  if (key === undefined) projectionKeys.set(projection, (key = projection.join(",")));
  return key;
}

/**
 * The map for `entity`: a field named like a column property reads that property, and
 * `computed` lists every field with a resolver (which may read other properties, or only the id
 * to load a relation). A computed field must be listed even when it shares a column's name
 * (test/projection.test.ts checks every field resolver of the mapped types is).
 */
export function fieldColumns(entity: new () => unknown, computed: FieldColumns): FieldColumns {
  const map: Record<string, readonly string[]> = {};
  for (const column of getMetadataArgsStorage().columns) if (column.target === entity) map[column.propertyName] = [column.propertyName];
  return { ...map, ...computed };
}
