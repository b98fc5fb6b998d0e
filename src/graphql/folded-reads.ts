/**
 * Folded reads: a root lookup by id fetches, in the same SQL statement, the related rows its
 * selection asks for (to-one relations, nested connection pages and counts), and primes the
 * per-request loaders with them. The nested resolvers then run as written and find their rows
 * in the loaders' caches; nothing in the GraphQL layer changes, and a read the planner does not
 * fold simply runs through its loader as before.
 *
 * Why: a nested page cost one statement per level (company → sessions → users), and on these
 * shapes PostgreSQL's per-statement work (bind, plan, execute, protocol) and the round trips
 * outweighed the rows. One statement with correlated subqueries returning JSON is what
 * PostGraphile compiles to; here each subquery is built from the child's ScopedTable
 * (src/access/folded-sql.ts), with the viewer's scope predicate and the relation's conditions,
 * exactly as its loader would run it.
 *
 * The relation graph (relation-graph.ts) says which fields are relations; each is declared
 * there once and resolved by `related` (relation-fields.ts adds the fields to the schema).
 *
 * Limits: folding stops below MAX_DEPTH relations and when a path could return more than
 * MAX_ROWS rows (page sizes multiply), so one statement never grows past what batching serves
 * better; arguments the loaders would refuse (bad cursors, out-of-range sizes) are not folded,
 * so their errors still come from the resolver that owns them.
 */
import { getArgumentValues, type FieldNode, type GraphQLObjectType, type GraphQLResolveInfo } from "graphql";
import {
  ALIAS,
  byIdFolded,
  foldedCount,
  foldedList,
  foldedPage,
  foldedRow,
  fromJson,
  type FieldColumns,
  type FoldedRead,
  type IdLoader,
  type ListArgs,
  type ListFold,
  type ListLoader,
  type Projection,
  type ReadPlanner,
  type RelationLoaders,
  type ScopedTable,
} from "../access";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageSize } from "../shared/connection";
import { SqlParams } from "../shared/sql";
import { connectionObjects, fieldsByResponseKey, projectionOf, projectionOfNodes, selectedFields } from "./projection";

/**
 * The graph mixes entity types, and tables and loaders are invariant in theirs; each node's table,
 * loaders and relations are of one type, which the graph's declaration keeps together.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEntity = any;

/** An entity type of the GraphQL schema, as the planner sees it. */
export interface EntityNode<S> {
  /** The projection map its loaders use; null when its loaders read whole rows. */
  fields: FieldColumns | null;
  table(scope: S): ScopedTable<AnyEntity>;
  /** Its loader by id; absent for types no relation loads by id. */
  ids?(scope: S): IdLoader<AnyEntity>;
  /** Fields whose resolvers read through a loader the planner can prime. */
  relations: Record<string, Relation<S>>;
  /**
   * Fields that are not relations (their resolvers are the feature's own) but read through a
   * loader the planner can prime, so they fold like relations: a session's runner (its user's
   * email) and its attachments.
   */
  loads?: Record<string, Load<S>>;
}

export type Load<S> =
  /** `ids(scope).load(parent[foreignKey], projection)` of the target type (a to-one the resolver makes its own value from). */
  | { kind: "one"; target: string; foreignKey: string; projection: Projection }
  /** `loader(scope).load(parent.id)`: every row of a small one-to-many list. */
  | { kind: "list"; loader(scope: S): ListLoader<AnyEntity> };

export type Relation<S> =
  /** Loaded by id from a property of the parent (`ids(scope).load(parent[foreignKey], projection)`); a nullable field of the target type. */
  | { kind: "one"; target: string; foreignKey: string; description?: string }
  /** A connection loaded with `pages.load({ key: parent.id, first, after, projection })`; a `<Target>Connection!` field with page arguments. */
  | { kind: "many"; target: string; loaders(scope: S): RelationLoaders<AnyEntity>; description: string };

/** GraphQL object type name → entity node. */
export type RelationGraph<S> = Record<string, EntityNode<S>>;

const MAX_DEPTH = 4;
const MAX_ROWS = 2_000;

interface Planning {
  info: GraphQLResolveInfo;
  params: SqlParams;
  aliases: number;
}

export class FoldedReads<S> implements ReadPlanner {
  constructor(
    private readonly graph: RelationGraph<S>,
    private readonly scope: S,
  ) {}

  /**
   * The root field `type(id)`: the row (null when absent or out of scope) with every foldable
   * nested read of `info`'s selection fetched in the same statement.
   */
  async byId<T>(type: string, id: string, info: GraphQLResolveInfo): Promise<T | null> {
    const node = this.graph[type];
    const projection = node.fields ? projectionOfNodes(info.fieldNodes, info.fragments, node.fields, false) : null;
    const ids = node.ids!(this.scope);
    const planning: Planning = { info, params: new SqlParams(), aliases: 0 };
    const nested = this.plan(type, info.fieldNodes, "t", 1, 1, planning);
    if (nested.length === 0) return (await ids.load(id, projection)) as T | null;
    const row = await byIdFolded(node.table(this.scope), id, projection, nested, planning.params);
    ids.primeAs(id, projection, row);
    return row as T | null;
  }

  /** The properties the nodes of the connection field being resolved need (null: every column). */
  projection(type: string, info: GraphQLResolveInfo): Projection {
    const fields = this.graph[type].fields;
    return fields ? projectionOf(info, fields, { connection: true }) : null;
  }

  /**
   * The root connection field being resolved, a page of `args` of `type`: its nodes' projection
   * and every foldable read nested under its nodes, for the repository to fetch in the page's
   * own statement (ScopedTable.page), with the count when totalCount is selected.
   */
  list(type: string, info: GraphQLResolveInfo, args: ListArgs): ListFold {
    const planning: Planning = { info, params: new SqlParams(), aliases: 0 };
    const selected = selectedFields(info.fieldNodes, info.fragments);
    const count = selected?.some((field) => field.name.value === "totalCount" || field.name.value === "totalCountIsExact") ?? false;
    const objects = connectionObjects(info.fieldNodes, info.fragments);
    const nested = objects && objects.length > 0 ? this.plan(type, objects, ALIAS, 1, pageSize(args.first) + 1, planning) : [];
    return { projection: this.projection(type, info), nested, params: planning.params, count };
  }

  /**
   * Relation `field` of `type` for `parent`, through its loader: what that field's resolver
   * returns (relation-fields.ts makes this the field's resolver). A value the request already
   * has comes back as is.
   */
  related(type: string, field: string, parent: { id: string }, args: ListArgs, info: GraphQLResolveInfo): unknown {
    const relation = this.graph[type].relations[field];
    const target = this.graph[relation.target];
    if (relation.kind === "one") {
      const id = (parent as unknown as Record<string, unknown>)[relation.foreignKey];
      return typeof id === "string" ? target.ids!(this.scope).load(id, target.fields ? projectionOf(info, target.fields) : null) : null;
    }
    return relation.loaders(this.scope).page(parent.id, args, target.fields ? projectionOf(info, target.fields, { connection: true }) : null);
  }

  /**
   * The folded reads for the fields selected on `type` under `fieldNodes`, joined to the parent
   * alias. `perRow`: these objects are themselves a to-one folded under a list, looked up once per row.
   */
  private plan(type: string, fieldNodes: readonly FieldNode[], parentAlias: string, depth: number, rows: number, planning: Planning, perRow = false): FoldedRead[] {
    const node = this.graph[type];
    if (!node || depth > MAX_DEPTH) return [];
    const fields = fieldsByResponseKey(
      fieldNodes.map((f) => f.selectionSet),
      planning.info.fragments,
    );
    if (!fields) return [];
    // A to-one under a list is one index lookup per row; that beats a second statement. A
    // to-one of that to-one (a session's user's company) stays with its loader: per row it
    // repeats the same few keys, which the loader batches once and often already has
    // (bench/RESULTS.md has the measurements).
    const foldsOne = rows === 1 || !perRow;
    // Loads of a to-one (the runner's user) ride on the relation to the same row when it is
    // selected too (the user): one lookup per row, primed for each projection.
    const extraOnes = new Map<string, Extract<Load<S>, { kind: "one" }>>();
    const lists: Extract<Load<S>, { kind: "list" }>[] = [];
    for (const nodes of fields.values()) {
      const load = node.loads?.[nodes[0].name.value];
      if (load?.kind === "one" && foldsOne) extraOnes.set(`${load.target}:${load.foreignKey}`, load);
      if (load?.kind === "list" && !lists.includes(load)) lists.push(load);
    }
    const reads: FoldedRead[] = [];
    for (const nodes of fields.values()) {
      const relation = node.relations[nodes[0].name.value];
      if (!relation) continue;
      if (relation.kind === "one") {
        if (!foldsOne) continue;
        const key = `${relation.target}:${relation.foreignKey}`;
        const extra = extraOnes.get(key);
        extraOnes.delete(key);
        reads.push(...this.planOne(type, relation.target, relation.foreignKey, nodes, extra ? [extra.projection] : [], parentAlias, depth, rows, planning));
      }
      else reads.push(...this.planMany(type, relation, nodes, parentAlias, depth, rows, planning));
    }
    for (const load of extraOnes.values()) reads.push(...this.planOne(type, load.target, load.foreignKey, null, [load.projection], parentAlias, depth, rows, planning));
    // A list the viewer may not read at all (a member's attachments) is empty without SQL.
    for (const load of lists) if (load.loader(this.scope).table.readable) reads.push(this.planList(load, parentAlias, planning));
    return reads;
  }

  /**
   * A to-one of `type` to `targetType` by `foreignKey`: the relation's field `nodes` (null for a
   * load alone) and the projections of loads of the same row, fetched once with the union of
   * their columns and primed under each.
   */
  private planOne(type: string, targetType: string, foreignKey: string, nodes: FieldNode[] | null, also: Projection[], parentAlias: string, depth: number, rows: number, planning: Planning): FoldedRead[] {
    const target = this.graph[targetType];
    if (!target.ids) return [];
    const alias = `t${++planning.aliases}`;
    const own = nodes ? [target.fields ? projectionOfNodes(nodes, planning.info.fragments, target.fields, false) : null] : [];
    const projections = [...own, ...also];
    const projection = projections.includes(null) ? null : [...new Set(projections.flatMap((p) => p!))].sort();
    const nested = nodes ? this.plan(targetType, nodes, alias, depth + 1, rows, planning, rows > 1) : [];
    const table = target.table(this.scope);
    const ids = target.ids(this.scope);
    const foreignKeySql = `${parentAlias}."${this.graph[type].table(this.scope).columnOf(foreignKey)}"`;
    return [
      {
        sql: foldedRow(table, foreignKeySql, alias, projection, nested, planning.params),
        apply: (value, parent) => {
          const id = parent[foreignKey];
          if (typeof id !== "string") return;
          const row = value ? fromJson(table, [value as Record<string, unknown>], nested)[0] : null;
          for (const p of projections) ids.primeAs(id, p, row);
        },
      },
    ];
  }

  /** A load of every row of a small list keyed by the parent's id (a session's attachments). */
  private planList(load: Extract<Load<S>, { kind: "list" }>, parentAlias: string, planning: Planning): FoldedRead {
    const loader = load.loader(this.scope);
    return {
      sql: foldedList(loader.table, loader.column, `${parentAlias}.id`, loader.conditions, `t${++planning.aliases}`, planning.params),
      apply: (value, parent) => {
        loader.prime(parent.id as string, fromJson(loader.table, value as Record<string, unknown>[], []));
      },
    };
  }

  private planMany(type: string, relation: Extract<Relation<S>, { kind: "many" }>, nodes: FieldNode[], parentAlias: string, depth: number, rows: number, planning: Planning): FoldedRead[] {
    const { info, params } = planning;
    const definition = (info.schema.getType(type) as GraphQLObjectType).getFields()[nodes[0].name.value];
    let args: { first?: number | null; after?: string | null };
    try {
      args = getArgumentValues(definition, nodes[0], info.variableValues);
    } catch {
      return [];
    }
    const size = args.first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) return [];
    const selected = selectedFields(nodes, info.fragments);
    const nodeFields = connectionObjects(nodes, info.fragments);
    if (!selected || !nodeFields) return [];
    const connection = new Set(selected.map((field) => field.name.value));
    const loaders = relation.loaders(this.scope);
    const target = this.graph[relation.target];
    const reads: FoldedRead[] = [];

    const wantsCount = connection.has("totalCount") || (size === 0 && connection.has("pageInfo"));
    if (wantsCount) {
      reads.push({
        sql: foldedCount(loaders.table, loaders.column, `${parentAlias}.id`, loaders.conditions, `t${++planning.aliases}`, params),
        apply: (value, parent) => loaders.primeCount(parent.id as string, value as number),
      });
    }

    const wantsRows = (size > 0 || args.after) && (connection.has("nodes") || connection.has("edges") || connection.has("pageInfo"));
    if (!wantsRows || rows * (size + 1) > MAX_ROWS) return reads;
    const projection = target.fields ? projectionOfNodes(nodes, info.fragments, target.fields, true) : null;
    const alias = `t${++planning.aliases}`;
    const mark = params.values.length;
    let sql: string;
    let nested: FoldedRead[];
    try {
      nested = this.plan(relation.target, nodeFields, alias, depth + 1, rows * (size + 1), planning);
      sql = foldedPage(loaders.table, loaders.column, `${parentAlias}.id`, args, loaders.conditions, alias, projection, nested, params);
    } catch {
      // A cursor the loader will refuse: leave the error to the resolver.
      params.values.length = mark;
      return reads;
    }
    reads.push({
      sql,
      apply: (value, parent) => {
        const page = fromJson(loaders.table, value as Record<string, unknown>[], nested);
        loaders.primePage(parent.id as string, args, projection, page);
      },
    });
    return reads;
  }
}
