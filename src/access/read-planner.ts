import type { GraphQLResolveInfo } from "graphql";
import type { ListFold } from "./folded-read";
import type { Projection } from "./projection";
import type { ListArgs } from "./scoped-table";

/**
 * What a feature's resolver may ask of the request's read planner (implemented by
 * src/graphql/folded-reads.ts): root lookups that fetch their nested reads in the same
 * statement, and the columns a list field's selection needs. `type` is a GraphQL object type
 * of the relation graph ("Session", "User", …).
 */
export interface ReadPlanner {
  /** The row (null when absent or outside the viewer's scope) with its foldable nested reads fetched in the same statement. */
  byId<T>(type: string, id: string, info: GraphQLResolveInfo): Promise<T | null>;
  /** The properties the nodes of the connection field being resolved need. */
  projection(type: string, info: GraphQLResolveInfo): Projection;
  /**
   * For the root connection field being resolved (a page of `args`): its nodes' projection, the
   * reads nested under each node and whether totalCount is selected, for the repository to fold
   * into the page statement (ScopedTable.page).
   */
  list(type: string, info: GraphQLResolveInfo, args: ListArgs): ListFold;
}
