/**
 * Select only what a query asks for. Each entity type declares, for each of its GraphQL fields,
 * the entity properties the field's value is computed from; a read then fetches the union of
 * what the query's selection needs (plus id and the keyset columns, which ScopedTable adds).
 * Fetching every column of every row cost more CPU (row parsing, strings, garbage) than the
 * rest of a nested page; a session has 34 columns and a page asks for 3 or 4.
 *
 * Safe by default: a field missing from the map, or a selection that cannot be read, fetches
 * every column.
 */
import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";
import { getMetadataArgsStorage } from "typeorm";

/** For each GraphQL field of an entity type, the entity properties its value reads. */
export type FieldColumns = Readonly<Record<string, readonly string[]>>;

/** The properties one read must fetch, sorted (its text is a cache key); null: all of them. */
export type Projection = readonly string[] | null;

const projectionKeys = new WeakMap<readonly string[], string>();

/**
 * A projection's text, the key of caches and loaders: equal for equal projections. Memoised per
 * array, since projections are themselves cached per field (a page of 50 rows asked it 100 times).
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

/**
 * The fields of an object selection grouped by response key (alias or name), in the order
 * graphql-js executes them; null when a fragment cannot be followed. Used to plan folded reads.
 */
export function fieldsByResponseKey(selectionSets: readonly (SelectionSetNode | undefined)[], fragments: Record<string, FragmentDefinitionNode>): Map<string, FieldNode[]> | null {
  const into = new Map<string, FieldNode[]>();
  const walk = (set: SelectionSetNode | undefined, depth: number): boolean => {
    if (!set) return true;
    if (depth > 20) return false;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        into.set(key, [...(into.get(key) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!walk(selection.selectionSet, depth + 1)) return false;
      } else {
        const fragment = fragments[selection.name.value];
        if (!fragment || !walk(fragment.selectionSet, depth + 1)) return false;
      }
    }
    return true;
  };
  for (const set of selectionSets) if (!walk(set, 0)) return null;
  return into;
}

/**
 * A cache key for field nodes: the node itself when there is one. A parsed document's nodes are
 * reused by every request for the same query text (Apollo's document cache); the arrays graphql-js
 * and the planner put them in are new each time.
 */
const keyOf = (fieldNodes: readonly FieldNode[]): object => (fieldNodes.length === 1 ? fieldNodes[0] : fieldNodes);

const selected = new WeakMap<object, readonly FieldNode[] | null>();

/** The fields selected under `fieldNodes`, flattened (aliases and fragments resolved); null when a fragment cannot be followed. */
export function selectedFields(fieldNodes: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>): readonly FieldNode[] | null {
  const key = keyOf(fieldNodes);
  let fields = selected.get(key);
  if (fields === undefined) {
    const byKey = fieldsByResponseKey(fieldNodes.map((node) => node.selectionSet), fragments);
    selected.set(key, (fields = byKey && [...byKey.values()].flat()));
  }
  return fields;
}

/** The field nodes that select a connection's objects: `nodes { … }` and `edges { node { … } }`. */
export function connectionObjects(fieldNodes: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>): FieldNode[] | null {
  const top = selectedFields(fieldNodes, fragments);
  if (!top) return null;
  const edges = selectedFields(top.filter((field) => field.name.value === "edges"), fragments);
  if (!edges) return null;
  return [...top.filter((field) => field.name.value === "nodes"), ...edges.filter((field) => field.name.value === "node")];
}

/** Field names asked of the object the field returns (under `nodes` / `edges.node` for a connection). */
function requestedFields(fieldNodes: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>, connection: boolean): Set<string> | null {
  const objects = connection ? connectionObjects(fieldNodes, fragments) : fieldNodes;
  const fields = objects && selectedFields(objects, fragments);
  return fields && new Set(fields.map((field) => field.name.value));
}

/** Per field of a parsed document (see keyOf). */
const cache = new WeakMap<object, Map<FieldColumns, Projection>>();

/** The properties a resolved field's objects need, from the query's own selection. */
export function projectionOf(info: GraphQLResolveInfo, columns: FieldColumns, options: { connection?: boolean } = {}): Projection {
  return projectionOfNodes(info.fieldNodes, info.fragments, columns, options.connection ?? false);
}

/** projectionOf for field nodes found ahead of execution (folded reads); the same answer for the same nodes. */
export function projectionOfNodes(fieldNodes: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>, columns: FieldColumns, connection: boolean): Projection {
  const key = keyOf(fieldNodes);
  let byMap = cache.get(key);
  if (!byMap) cache.set(key, (byMap = new Map()));
  let projection = byMap.get(columns);
  if (projection === undefined) byMap.set(columns, (projection = computeProjection(requestedFields(fieldNodes, fragments, connection), columns)));
  return projection;
}

function computeProjection(fields: Set<string> | null, columns: FieldColumns): Projection {
  if (!fields) return null;
  const properties = new Set<string>();
  for (const field of fields) {
    if (field === "__typename") continue;
    const needs = columns[field];
    if (!needs) return null;
    for (const property of needs) properties.add(property);
  }
  return [...properties].sort();
}
