/**
 * Adds the relation graph's fields to the schema TypeGraphQL built: a to-one relation is a
 * nullable field of its target type, a to-many relation a `<Target>Connection!` field with the
 * page arguments. Each resolves straight through FoldedReads.related, called directly:
 * TypeGraphQL's per-call parameter handling (container lookup, parameter list, argument
 * classes) would run once per row and relation, a large share of a nested page's CPU. Page
 * arguments are still checked as TypeGraphQL checks them (validateArguments).
 *
 * Access is decided on root fields; a relation adds no rule of its own (its rows are read
 * through the viewer's scope like every other read).
 */
import {
  GraphQLInt,
  GraphQLNonNull,
  GraphQLString,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from "graphql";
import type { ListArgs } from "../access";
import { PAGE_ARGUMENTS, PageArgs } from "../shared/connection";
import { isValidPage, validateArguments } from "../shared/validate-arguments";
import type { FoldedReads, Relation, RelationGraph } from "./folded-reads";

function argument(name: string, type: GraphQLInputType, description: string): GraphQLArgument {
  return { name, description, type, defaultValue: undefined, deprecationReason: undefined, extensions: {}, astNode: undefined };
}

function field(name: string, type: GraphQLOutputType, description: string | undefined, args: GraphQLArgument[], resolve: GraphQLFieldResolver<unknown, unknown>): GraphQLField<unknown, unknown> {
  return { name, description, type, args, resolve, subscribe: undefined, deprecationReason: undefined, extensions: {}, astNode: undefined };
}

function objectType(schema: GraphQLSchema, name: string): GraphQLObjectType {
  const type = schema.getType(name);
  if (!type || !("getFields" in type) || "getPossibleTypes" in type) throw new Error(`Relation graph: ${name} is not an object type of the schema.`);
  return type as GraphQLObjectType;
}

/** Adds every relation of `graph` to `schema`, resolved through the request's FoldedReads (`readsOf`). */
export function addRelationFields<S>(schema: GraphQLSchema, graph: RelationGraph<S>, readsOf: (context: unknown) => FoldedReads<S>): void {
  for (const [type, node] of Object.entries(graph)) {
    const fields = objectType(schema, type).getFields();
    for (const [name, relation] of Object.entries(node.relations) as [string, Relation<S>][]) {
      if (fields[name]) throw new Error(`Relation graph: ${type}.${name} is also declared as a TypeGraphQL field; declare a relation only in the graph.`);
      if (relation.kind === "one") {
        fields[name] = field(name, objectType(schema, relation.target), relation.description, [], (parent, _args, context, info) =>
          readsOf(context).related(type, name, parent as { id: string }, {}, info),
        );
        continue;
      }
      const args = [argument("first", GraphQLInt, PAGE_ARGUMENTS.first), argument("after", GraphQLString, PAGE_ARGUMENTS.after)];
      fields[name] = field(name, new GraphQLNonNull(objectType(schema, `${relation.target}Connection`)), relation.description, args, (parent, rawArgs, context, info) => {
        const reads = readsOf(context);
        const page = Object.assign(new PageArgs(), rawArgs as ListArgs);
        if (isValidPage(page)) return reads.related(type, name, parent as { id: string }, page, info);
        return Promise.resolve(validateArguments(page, PageArgs, { root: parent, args: rawArgs as object, context: context as object, info })).then(() =>
          reads.related(type, name, parent as { id: string }, page, info),
        );
      });
    }
  }
}
