/** Limits checked before execution, over real HTTP: each refusal is coded, leaks nothing, and the gateway keeps serving. */
import { useWorld } from "../support/world";
import { expectRefused, expectServing, postJson, send } from "./hostile";

const t = useWorld({ sessionsPerUser: 1 });
const url = () => t.gateway.url;
const admin = () => t.world.tokens.asAdmin;

afterEach(async () => {
  await expectServing(url(), admin());
});

/** `sessions { nodes { user { company { users { nodes { … } } } } } }` nested `levels` list hops deep. */
function nested(levels: number): string {
  let inner = "id";
  for (let i = 0; i < levels; i++) inner = `users(first: 1) { nodes { company { ${inner} } } }`;
  return `{ companies(first: 1) { nodes { ${inner} } } }`;
}

describe("depth", () => {
  it("refuses a document deeper than 12 levels", async () => {
    const message = expectRefused("depth 13+", await postJson(url(), { query: nested(4) }, admin()), 400, "QUERY_TOO_COMPLEX");
    expect(message).toMatch(/depth limit of 12/);
  });

  it("follows fragments", async () => {
    const query = `
      query { companies(first: 1) { nodes { ...A } } }
      fragment A on Company { users(first: 1) { nodes { company { ...B } } } }
      fragment B on Company { users(first: 1) { nodes { company { ...C } } } }
      fragment C on Company { users(first: 1) { nodes { company { ...D } } } }
      fragment D on Company { users(first: 1) { nodes { company { id } } } }`;
    expectRefused("depth via fragments", await postJson(url(), { query }, admin()), 400, "QUERY_TOO_COMPLEX");
  });

  it("lets a 12-level document through", async () => {
    // companies > nodes > (users > nodes > company) x3 > id = 2 + 9 + 1 levels.
    const answer = await postJson(url(), { query: nested(3) }, admin());
    expect(answer.json?.errors).toBeUndefined();
  });

  it("a document nested as deep as the token cap allows is refused, not a stack overflow", async () => {
    const levels = 400;
    const query = `{ ${"viewer { ".repeat(levels)}role${" }".repeat(levels)} }`;
    expectRefused("deep nesting within tokens", await postJson(url(), { query }, admin()), 400, "QUERY_TOO_COMPLEX");
  });
});

describe("aliases, directives, tokens", () => {
  it("refuses 31 aliases", async () => {
    const query = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: viewer { role }`).join(" ")} }`;
    expectRefused("31 aliases", await postJson(url(), { query }, admin()), 400, "QUERY_TOO_COMPLEX");
  });

  it("refuses 10,000 aliases before executing any (the document is too big)", async () => {
    const query = `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}:__typename`).join(" ")} }`;
    expectRefused("10k aliases", await postJson(url(), { query }, admin()), 400, "BAD_USER_INPUT");
  });

  it("refuses 5,000 aliases in a smaller document (the token cap)", async () => {
    const query = `{ ${Array.from({ length: 5_000 }, (_, i) => `a${i}:__typename`).join(" ")} }`;
    expectRefused("5k aliases", await postJson(url(), { query }, admin()), 400, "QUERY_TOO_COMPLEX");
  });

  it("refuses 21 directives", async () => {
    const query = `{ viewer { role ${"@include(if: true) ".repeat(21)} } }`;
    expectRefused("21 directives", await postJson(url(), { query }, admin()), 400, "QUERY_TOO_COMPLEX");
  });

  it("refuses more than 1000 tokens", async () => {
    const query = `{ viewer { ${"role ".repeat(1001)} } }`;
    expect(expectRefused("1001 tokens", await postJson(url(), { query }, admin()), 400, "QUERY_TOO_COMPLEX")).toMatch(/Token limit of 1000/);
  });

  // A list literal nests one level per token: the worst case for the parser's recursion.
  it.each([5000, 40_000])("refuses a list literal nested %i deep (tokens), not a stack overflow", async (n) => {
    const query = `{ sessions(filter: { userIds: ${"[".repeat(n)}${"]".repeat(n)} }) { totalCount } }`;
    expectRefused(`list literal nested ${n}`, await postJson(url(), { query }, admin()), 400, "QUERY_TOO_COMPLEX");
  });

  it("a list literal nested just under the token cap is an ordinary validation error", async () => {
    const n = 490;
    const query = `{ sessions(filter: { userIds: ${"[".repeat(n)}${"]".repeat(n)} }) { totalCount } }`;
    expectRefused("list literal at the cap", await postJson(url(), { query }, admin()), 400, "GRAPHQL_VALIDATION_FAILED");
  });
});

describe("cost", () => {
  it("refuses nested full pages (500 users x 500 sessions)", async () => {
    const query = "{ users(first: 500) { nodes { sessions(first: 500) { nodes { id appName } } } } }";
    const answer = await postJson(url(), { query }, admin());
    expect(expectRefused("nested pages", answer, 400, "QUERY_TOO_COMPLEX")).toMatch(/cost \d+ exceeds the limit of 100000/);
  });

  it("uses the page size given in variables", async () => {
    const query = "query ($n: Int) { users(first: $n) { nodes { sessions(first: $n) { nodes { id appName } } } } }";
    expectRefused("cost via variables", await postJson(url(), { query, variables: { n: 400 } }, admin()), 400, "QUERY_TOO_COMPLEX");
    const small = await postJson(url(), { query, variables: { n: 5 } }, admin());
    expect(small.json?.errors).toBeUndefined();
    // Costs are cached per document and cost-relevant variables: the same text with a bigger page is still refused.
    expectRefused("cost via variables, after a cheap run", await postJson(url(), { query, variables: { n: 400 } }, admin()), 400, "QUERY_TOO_COMPLEX");
  });

  it("tells an omitted variable (its default applies) from an explicit null", async () => {
    const query = "query ($n: Int = 400) { users(first: $n) { nodes { sessions(first: $n) { nodes { id appName } } } } }";
    // null: the default page size (50) applies; cheap enough.
    expect((await postJson(url(), { query, variables: { n: null } }, admin())).json?.errors).toBeUndefined();
    expectRefused("default via omitted variable", await postJson(url(), { query, variables: {} }, admin()), 400, "QUERY_TOO_COMPLEX");
  });

  it("follows @include and @skip driven by variables", async () => {
    const query = "query ($deep: Boolean!) { users(first: 400) { nodes { id sessions(first: 400) @include(if: $deep) { nodes { id } } } } }";
    expect((await postJson(url(), { query, variables: { deep: false } }, admin())).json?.errors).toBeUndefined();
    expectRefused("cost via @include", await postJson(url(), { query, variables: { deep: true } }, admin()), 400, "QUERY_TOO_COMPLEX");
  });

  it("an oversized first is BAD_USER_INPUT with its own message, not a cost error", async () => {
    const answer = await postJson(url(), { query: "{ sessions(first: 100000000) { totalCount } }" }, admin());
    expect(expectRefused("huge first", answer, 200, "BAD_USER_INPUT")).toMatch(/first must not be greater than 500/);
  });
});

describe("sizes and batching", () => {
  it("refuses a document over 100 KB as BAD_USER_INPUT", async () => {
    const query = `{ viewer { role } } # ${"x".repeat(101_000)}`;
    expectRefused("100 KB document", await postJson(url(), { query }, admin()), 400, "BAD_USER_INPUT");
  });

  it("refuses a body over 1 MB with 413 JSON", async () => {
    const body = JSON.stringify({ query: "{ viewer { role } }", variables: { pad: "x".repeat(1_100_000) } });
    expectRefused("1 MB body", await postJson(url(), body, admin()), 413, "BAD_REQUEST");
  });

  it("refuses batched (array) requests", async () => {
    const batch = Array.from({ length: 3 }, () => ({ query: "{ viewer { role } }" }));
    expectRefused("batch", await postJson(url(), batch, admin()), 400, "BAD_REQUEST");
  });

  it("refuses a GET document over 100 KB", async () => {
    const query = encodeURIComponent(`{ viewer { role } } #${"x".repeat(101_000)}`);
    const answer = await send(url(), { path: `/graphql?query=${query}`, headers: { "apollo-require-preflight": "1", authorization: `Bearer ${admin()}` } });
    // Node's HTTP parser caps headers (URL included) at 16 KB: 431 before any of our code.
    expect([400, 414, 431]).toContain(answer.status);
    expect(answer.text).not.toMatch(/\n\s+at\s/);
  });
});
