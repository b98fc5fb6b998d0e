/**
 * Compiled execution (graphql-jit, src/http/compiled-execution.ts) must answer exactly as
 * graphql-js's `execute` does. Two gateways on the same data, one compiling every document on
 * first use and one never compiling, are sent the same requests: a document that selects every
 * field of the schema a few levels deep, for every caller, plus requests that fail in each way
 * a request can (unauthenticated, bad variables, a bad argument, a field the caller may not
 * read). Their answers must be identical.
 *
 * Statement counts are left out: DataLoader batches what is requested in the same tick, and the
 * two engines call resolvers in a different order, so a broad document can take one statement
 * more or less either way. test/statements.test.ts holds the counts of the real shapes.
 */
import {
  getNamedType,
  isLeafType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLObjectType,
} from "graphql";
import { parse, type OperationDefinitionNode } from "graphql";
import { createSchema } from "../src/graphql";
import { MAX_COMPILED_FIELDS, OperationExecutor, spreadFieldCount } from "../src/graphql/compiled-execution";
import { GraphQLClient } from "./support/client";
import { startTestGateway, type TestGateway } from "./support/gateway";
import { useWorld, type World } from "./support/world";

// The documents below are far larger than a client may send by default.
const generous = { maxQueryTokens: 100_000, maxQueryDepth: 30, maxQueryCost: 10_000_000, maxQueryAliases: 100 };
const t = useWorld({ sessionsPerUser: 3, activitiesPerSession: 2 }, { ...generous, compiledExecution: true, compileAfterExecutions: 0 });
let interpreted: TestGateway;

beforeAll(async () => {
  interpreted = await startTestGateway({ ...generous, compiledExecution: false });
});
afterAll(async () => {
  await interpreted?.close();
});

/** Fields a document can select without inventing values for required arguments. */
const selectable = (field: GraphQLField<unknown, unknown>) => field.args.every((arg) => !isNonNullType(arg.type) || arg.defaultValue !== undefined);

/** Every selectable field of `type`, `depth` object levels deep; lists are asked for 2 items. */
function selectEverything(type: GraphQLObjectType, depth: number): string {
  const fields = Object.values(type.getFields()).filter(selectable);
  const parts = fields.flatMap((field) => {
    const named = getNamedType(field.type);
    if (isLeafType(named)) return [field.name];
    if (!isObjectType(named) || depth === 0) return [];
    const first = field.args.some((arg) => arg.name === "first") ? "(first: 2)" : "";
    const inner = selectEverything(named, depth - 1);
    return inner ? [`${field.name}${first} { ${inner} }`] : [];
  });
  return ["__typename", ...parts].join(" ");
}

function callers(world: World, url: string): Record<string, GraphQLClient> {
  return Object.fromEntries(Object.entries(world.clients).map(([name, client]) => [name, new GraphQLClient(url, client.token)]));
}

/**
 * An answer with what differs between two gateways by design taken out: each signs download
 * URLs with its own key, for its own address, to expire a lifetime after the second it answers
 * (and the statement count, see above).
 */
function comparable(gateway: TestGateway, answer: { status: number; body: { extensions?: unknown } }) {
  const { extensions: _extensions, ...body } = answer.body;
  const text = JSON.stringify(body).replaceAll(gateway.url, "<gateway>").replace(/expires=\d+/g, "expires=<time>").replace(/sig=[\w-]+/g, "sig=<signature>");
  return { status: answer.status, body: JSON.parse(text) as { data?: unknown; errors?: unknown[] } };
}

/** The same request to both gateways, by the same caller, one after the other. */
async function both(caller: string, body: Record<string, unknown>) {
  const compiledAnswer = await callers(t.world, t.gateway.url)[caller].raw(body);
  const interpretedAnswer = await callers(t.world, interpreted.url)[caller].raw(body);
  return { compiled: comparable(t.gateway, compiledAnswer), interpreted: comparable(interpreted, interpretedAnswer) };
}

const CALLERS = ["asAdmin", "asDeveloper", "asMember", "asOtherOrgAdmin", "anonymous"];

/** Requests that fail in each way a request can, and the document features an engine could get wrong. */
const REQUESTS: [name: string, body: Record<string, unknown>][] = [
  ["a variable of the wrong type", { query: "query Q($first: Int) { sessions(first: $first) { totalCount } }", variables: { first: "ten" } }],
  ["a missing required variable", { query: "query Q($id: ID!) { session(id: $id) { id } }", variables: {} }],
  ["an id that is not a UUID", { query: "query Q($id: ID!) { session(id: $id) { id } }", variables: { id: "x" } }],
  ["a page size out of range", { query: "{ sessions(first: 100000) { totalCount } }" }],
  ["a malformed cursor", { query: `{ sessions(after: "nope") { totalCount } }` }],
  ["two operations, the second chosen", { query: "query A { viewer { role } } query B { sessions(first: 1) { totalCount } }", operationName: "B" }],
  ...[true, false].map((flag): [string, Record<string, unknown>] => [
    `@include and @skip on fields and a fragment spread (${flag})`,
    {
      query: `query Q($flag: Boolean!) { sessions(first: 2) { nodes { id ...Details @include(if: $flag) status @skip(if: $flag) } } }
        fragment Details on Session { launchedAt user { name } }`,
      variables: { flag },
    },
  ]),
  ["aliases of one field with different arguments", { query: "{ a: sessions(first: 1) { totalCount nodes { id } } b: sessions(first: 2) { nodes { id } pageInfo { hasNextPage } } }" }],
  ["inline fragments and __typename", { query: "{ viewer { __typename ... on Viewer { role } } sessions(first: 1) { nodes { __typename ... on Session { id } } } }" }],
];

describe("compiled execution answers as graphql-js does", () => {
  let everything: string;
  beforeAll(async () => {
    const schema = await createSchema();
    everything = `query Everything { ${selectEverything(schema.getQueryType()!, 3)} }`;
    // The document really is broad: every root list, their connections, nodes and nested objects.
    expect(everything.length).toBeGreaterThan(5_000);
    // Each token's first use is recorded (ApiToken.lastUsedAt): done here, so both gateways then read the same value.
    for (const caller of CALLERS) await both(caller, { query: "{ viewer { role } }" });
  });

  it.each(CALLERS)("every field, three levels deep: %s", async (caller) => {
    const { compiled, interpreted: expected } = await both(caller, { query: everything });
    expect(compiled).toEqual(expected);
    if (caller !== "anonymous") {
      // Not an answer of nothing but errors: data came back, nested lists included.
      expect(JSON.stringify(compiled.body.data)).toContain('"nodes":[{');
    }
  });

  it.each(CALLERS)("one object by id, with its totalCount and pageInfo: %s", async (caller) => {
    const query = `query One($id: ID!) { company(id: $id) { id name users(first: 1) { totalCount pageInfo { hasNextPage endCursor } nodes { id name email } } } }`;
    const { compiled, interpreted: expected } = await both(caller, { query, variables: { id: t.world.companies.alpha } });
    expect(compiled).toEqual(expected);
  });

  it.each(REQUESTS)("%s", async (_name, body) => {
    for (const caller of ["asAdmin", "asMember"]) {
      const { compiled, interpreted: expected } = await both(caller, body);
      expect(compiled).toEqual(expected);
    }
  });
});

describe("which documents are compiled", () => {
  const anonymous = { requestId: "test", logger: console, scope: null };
  async function run(executor: OperationExecutor, query: string, times: number) {
    const document = parse(query);
    const operation = document.definitions[0] as OperationDefinitionNode;
    const answers = [];
    const compiled = [];
    for (let i = 0; i < times; i++) {
      // Through JSON, as Apollo sends it: error objects become their plain fields.
      answers.push(JSON.parse(JSON.stringify(await executor.execute({ document, operation, operationName: null, request: { variables: {} }, context: anonymous } as never))));
      compiled.push(executor.isCompiled(document, null));
    }
    return { answers, compiled };
  }

  it("a document is compiled once it has run COMPILE_AFTER_EXECUTIONS times, and answers the same before and after", async () => {
    const executor = new OperationExecutor(await createSchema(), { compileAfter: 2 });
    const { answers, compiled } = await run(executor, "{ sessions(first: 1) { totalCount } }", 4);
    expect(compiled).toEqual([false, false, true, true]);
    // Without credentials the answer is an error, the same from both engines.
    expect(answers[0].errors[0].extensions.code).toBe("UNAUTHENTICATED");
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
  });

  it("COMPILED_EXECUTION=false never compiles", async () => {
    const executor = new OperationExecutor(await createSchema(), { compileAfter: null });
    expect((await run(executor, "{ sessions(first: 1) { totalCount } }", 3)).compiled).toEqual([false, false, false]);
  });

  it(`a document of more than ${MAX_COMPILED_FIELDS} fields, fragments spread out, is never compiled, and still answers`, async () => {
    // Five User fields per session, each user's sessions again, four levels down: 2,967 fields.
    const sessionFragment = (name: string, next: string) =>
      `fragment ${name} on Session { ${["user", "creator", "launcher", "approver", "canceledBy"].map((field) => `${field} { ...${next} }`).join(" ")} }`;
    const userFragment = (name: string, next: string) => `fragment ${name} on User { sessions(first: 1) { nodes { ...${next} } } }`;
    const query = [
      "query Wide { sessions(first: 1) { nodes { ...S1 } } }",
      sessionFragment("S1", "U1"), userFragment("U1", "S2"), sessionFragment("S2", "U2"), userFragment("U2", "S3"),
      sessionFragment("S3", "U3"), userFragment("U3", "S4"), sessionFragment("S4", "Leaf"),
      "fragment Leaf on User { id name email }",
    ].join("\n");
    const document = parse(query);
    expect(spreadFieldCount(document, document.definitions[0] as OperationDefinitionNode, 1_000_000)).toBe(2967);
    const executor = new OperationExecutor(await createSchema(), { compileAfter: 0 });
    const { answers, compiled } = await run(executor, query, 3);
    expect(compiled).toEqual([false, false, false]);
    expect(answers[2].errors[0].extensions.code).toBe("UNAUTHENTICATED");
  });

  it("counts fields through fragments and inline fragments, stopping past the limit", () => {
    const document = parse(`query { a { ...F ... on T { b c } } d } fragment F on T { e { f } }`);
    const operation = document.definitions[0] as OperationDefinitionNode;
    // a, e, f (through F), b, c (inline), d.
    expect(spreadFieldCount(document, operation, 100)).toBe(6);
    expect(spreadFieldCount(document, operation, 3)).toBe(4);
  });
});
