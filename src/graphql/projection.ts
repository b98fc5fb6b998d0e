/**
 * Which entity properties a query's selection needs (src/access/projection.ts says why): the
 * selection of a resolved field, or of field nodes found ahead of execution by the folded-read
 * planner, mapped through the entity type's FieldColumns. Cached per field node of the parsed
 * document.
 */
import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";
import type { FieldColumns, Projection } from "../access";

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
