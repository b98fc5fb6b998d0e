/**
 * Property: whatever the request parameters (query, operationName, variables, extensions), as a
 * JSON POST or a GET, the gateway answers below 500 with a JSON body (data or errors), leaks
 * nothing, and keeps serving. fast-check generates the requests; the run is bounded.
 */
import fc from "fast-check";
import { useWorld } from "../support/world";
import { expectServing, leakIn, postJson, send, type Answer } from "./hostile";

const t = useWorld({ sessionsPerUser: 1 });
const RUNS = 150;

/** Documents near the schema (valid, with variables, several operations) and arbitrary text. */
const query = fc.oneof(
  fc.constantFrom(
    "{ viewer { role } }",
    "query Mine { viewer { role } }",
    "query A { viewer { role } } query B { viewer { authenticatedBy } }",
    "query S($id: ID!) { session(id: $id) { id status } }",
    "query L($first: Int, $after: String) { sessions(first: $first, after: $after) { nodes { id } totalCount } }",
    "mutation C($id: ID!) { cancelSession(id: $id) { id } }",
    "{ __schema { types { name } } }",
    "subscription { viewer { role } }",
    "fragment F on Viewer { role } { viewer { ...F } }",
  ),
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.anything(),
);
const operationName = fc.oneof(
  fc.constantFrom(undefined, null, "", "Mine", "A", "B", "S", "L", "C", "__proto__", "constructor", "toString", "hasOwnProperty", "\ud800", "\udfff\ud800"),
  fc.string({ unit: "binary" }),
  fc.anything(),
);
const variables = fc.oneof(
  fc.constantFrom(undefined, null, {}, { id: "not-a-uuid" }, { id: "\u0000" }, { first: -1 }, { first: 1e9 }, { after: "!!!" }, { __proto__: { first: 5 } }, []),
  fc.dictionary(fc.constantFrom("id", "first", "after", "__proto__", "constructor"), fc.anything()),
  fc.anything(),
);
const extensions = fc.oneof(fc.constantFrom(undefined, null, {}, { persistedQuery: { version: 1, sha256Hash: "x" } }, { persistedQuery: null }), fc.anything());
const request = fc.record({ query, operationName, variables, extensions, get: fc.boolean() });

function get(params: Record<string, unknown>): Promise<Answer> {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) search.set(name, typeof value === "string" ? value : JSON.stringify(value) ?? "");
  }
  // A preflight-forcing header, as Apollo's CSRF prevention asks of GET requests.
  return send(t.gateway.url, { method: "GET", path: `/graphql?${search}`, headers: { authorization: `Bearer ${t.world.tokens.asAdmin}`, "apollo-require-preflight": "true" } });
}

it(`answers ${RUNS} generated requests below 500, as JSON, without leaks`, async () => {
  const answered: number[] = [];
  await fc.assert(
    fc.asyncProperty(request, async ({ get: viaGet, ...params }) => {
      const answer = viaGet ? await get(params) : await postJson(t.gateway.url, JSON.stringify(params) ?? "null", t.world.tokens.asAdmin);
      answered.push(answer.status);
      expect(answer.status).toBeLessThan(500);
      expect(answer.json).not.toBeNull();
      expect("data" in answer.json! || Array.isArray(answer.json!.errors)).toBe(true);
      expect(leakIn(answer.text)).toBeNull();
    }),
    { numRuns: RUNS, seed: 20261206, endOnFailure: true },
  );
  expect(answered).toHaveLength(RUNS);
  await expectServing(t.gateway.url, t.world.tokens.asAdmin);
}, 60_000);
