/**
 * One rule for ids: every `ID` in an argument (directly, in a list, or inside an input object
 * such as a filter's `userIds`) must be a UUID, or the request answers BAD_USER_INPUT before
 * execution. Otherwise `session(id: "x")` would reach the database or quietly answer null.
 *
 * `trackActivities` events are the exception by design: each event is judged on its own and a
 * bad `userId` rejects that event only (TrackResult.rejected), not the whole batch.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import {
  TypeInfo,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  valueFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
} from "graphql";
import { BadUserInputError } from "../shared/errors";
import { isUuid } from "../shared/sql";

/** Input types whose ids are checked item by item by their resolver. */
const ITEMWISE_INPUTS = new Set(["ActivityInput"]);

function checkIds(value: unknown, type: GraphQLInputType, path: string): void {
  if (value == null) return;
  if (isNonNullType(type)) return checkIds(value, type.ofType, path);
  if (isListType(type)) {
    // A single value where a list is expected is coerced to a one-item list.
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, i) => checkIds(item, type.ofType as GraphQLInputType, `${path}[${i}]`));
    return;
  }
  if (isInputObjectType(type)) {
    if (ITEMWISE_INPUTS.has(type.name) || typeof value !== "object") return;
    for (const field of Object.values(type.getFields())) checkIds((value as Record<string, unknown>)[field.name], field.type, `${path}.${field.name}`);
    return;
  }
  if (isScalarType(type) && type.name === "ID" && (typeof value !== "string" || !isUuid(value))) {
    throw new BadUserInputError(`${path} is not a UUID.`, { argument: path });
  }
}

/** Throws BadUserInputError for the first malformed id in the document's arguments. */
export function assertUuidIds(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined): void {
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const arg = typeInfo.getArgument();
        if (!arg) return;
        // Raw variable values keep their JSON shape; an uncoercible value is left to execution.
        const value = valueFromAST(node.value, arg.type, variables as Record<string, unknown>);
        if (value !== undefined) checkIds(value, arg.type, arg.name);
      },
    }),
  );
}

export function uuidIdsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request }) {
          assertUuidIds(schema, document, request.variables);
        },
      };
    },
  };
}
