/**
 * Rules every argument value obeys, checked in one place before execution (BAD_USER_INPUT),
 * whether the value is direct, in a list, or inside an input object such as a filter:
 * - every `ID` is a UUID. Otherwise `session(id: "x")` would reach the database or quietly
 *   answer null, and a filter's `userIds: ["x"]` would be a database error;
 * - no string holds a NUL character, which PostgreSQL text cannot store or compare.
 *
 * `trackActivities` events are the exception by design: each event is judged on its own and a
 * bad field rejects that event only (TrackResult.rejected), not the whole batch.
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
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLSchema,
  type ValueNode,
} from "graphql";
import { BadUserInputError } from "../shared/errors";
import { isUuid } from "../shared/sql";

/** Input types whose ids are checked item by item by their resolver. */
const ITEMWISE_INPUTS = new Set(["ActivityInput"]);

function check(value: unknown, type: GraphQLInputType, path: string): void {
  if (value == null) return;
  if (isNonNullType(type)) return check(value, type.ofType, path);
  if (isListType(type)) {
    // A single value where a list is expected is coerced to a one-item list.
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, i) => check(item, type.ofType as GraphQLInputType, `${path}[${i}]`));
    return;
  }
  if (isInputObjectType(type)) {
    if (ITEMWISE_INPUTS.has(type.name) || typeof value !== "object") return;
    for (const field of Object.values(type.getFields())) check((value as Record<string, unknown>)[field.name], field.type, `${path}.${field.name}`);
    return;
  }
  if (typeof value === "string" && value.includes("\u0000")) {
    throw new BadUserInputError(`${path} contains a NUL character.`, { argument: path }, 400);
  }
  if (isScalarType(type) && type.name === "ID" && (typeof value !== "string" || !isUuid(value))) {
    throw new BadUserInputError(`${path} is not a UUID.`, { argument: path }, 400);
  }
}

/** The arguments of a document with their definitions: walking it with TypeInfo costs more than checking them. */
const argumentsOf = new WeakMap<DocumentNode, { schema: GraphQLSchema; args: { value: ValueNode; arg: GraphQLArgument }[] }>();

function documentArguments(schema: GraphQLSchema, document: DocumentNode): { value: ValueNode; arg: GraphQLArgument }[] {
  const known = argumentsOf.get(document);
  if (known?.schema === schema) return known.args;
  const args: { value: ValueNode; arg: GraphQLArgument }[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const arg = typeInfo.getArgument();
        if (arg) args.push({ value: node.value, arg });
      },
    }),
  );
  argumentsOf.set(document, { schema, args });
  return args;
}

/** Throws BadUserInputError for the first argument value that breaks a rule above. */
export function checkArguments(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined): void {
  for (const { value: node, arg } of documentArguments(schema, document)) {
    // Raw variable values keep their JSON shape; an uncoercible value is left to execution.
    const value = valueFromAST(node, arg.type, variables as Record<string, unknown>);
    if (value !== undefined) check(value, arg.type, arg.name);
  }
}

export function argumentChecksPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request }) {
          checkArguments(schema, document, request.variables);
        },
      };
    },
  };
}
