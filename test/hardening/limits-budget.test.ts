/**
 * The limits leave room for every real client: each operation in test/operations and
 * examples/operations (the trusted documents) and every
 * GraphQL example in the README parses within the token cap, passes depth, alias and directive
 * rules, and costs less than the cap with the page sizes it asks for (default 50 otherwise).
 */
import fs from "node:fs";
import path from "node:path";
import {
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  parse,
  typeFromAST,
  validate,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { createSchema } from "../../src/graphql";
import { loadConfig } from "../../src/config/config";
import { queryCost, queryLimits } from "../../src/http/query-limits";

const config = loadConfig({});
const limits = queryLimits(config);

function documents(): [string, string][] {
  const ops = ["test/operations", "examples/operations"].flatMap((dir) =>
    fs.readdirSync(dir).map((f): [string, string] => [`${dir}/${f}`, fs.readFileSync(path.join(dir, f), "utf8")]),
  );
  const readme = fs.readFileSync("README.md", "utf8");
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m, i): [string, string] => [`README block ${i + 1}`, m[1]]);
  return [...ops, ...blocks];
}

/** A value for a required variable, so cost can be computed as the server would. */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(Object.values(type.getFields()).filter((f) => isNonNullType(f.type)).map((f) => [f.name, sample(f.type)]));
  }
  const samples: Record<string, unknown> = { ID: "00000000-0000-4000-8000-000000000000", String: "x", Int: 1, Float: 1, Boolean: true, DateTime: "2026-01-01T00:00:00.000Z", Date: "2026-01-01" };
  return samples[type.name] ?? "x";
}

function requiredVariables(schema: GraphQLSchema, op: OperationDefinitionNode): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const v of op.variableDefinitions ?? []) {
    const type = typeFromAST(schema, v.type) as GraphQLInputType;
    if (isNonNullType(type) && !v.defaultValue) values[v.variable.name.value] = sample(type);
  }
  return values;
}

describe("limits and real clients", () => {
  it("finds the documents", () => {
    expect(documents().length).toBeGreaterThanOrEqual(10);
  });

  it.each(documents())("%s is within every limit", async (_name, source) => {
    const schema = await createSchema();
    const document: DocumentNode = parse(source, limits.parseOptions);
    const errors = validate(schema, document, limits.validationRules);
    expect(errors.map((e) => e.message)).toEqual([]);
    for (const def of document.definitions) {
      if (def.kind !== "OperationDefinition") continue;
      const cost = queryCost(schema, document, requiredVariables(schema, def), def.name?.value);
      expect(cost).not.toBeNull();
      expect(cost!).toBeLessThanOrEqual(config.maxQueryCost);
    }
  });

  it("a full page of sessions with their user and company costs well under the cap", async () => {
    const schema = await createSchema();
    const source = fs.readFileSync("test/operations/sessions.graphql", "utf8");
    const cost = queryCost(schema, parse(source), { first: 500 }, "SessionsWithRelations");
    expect(cost!).toBeLessThan(config.maxQueryCost);
  });
});
