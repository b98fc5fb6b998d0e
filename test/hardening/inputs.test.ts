/**
 * Hostile argument values: malformed ids in every ID argument, out-of-range pages, bad dates,
 * time zones, cursors, huge strings and NUL bytes. Each answers BAD_USER_INPUT (or GraphQL's
 * own validation code for a literal the type system refuses), never a database error.
 */
import { useWorld } from "../support/world";
import { expectRefused, expectServing, postJson } from "./hostile";

const t = useWorld({ sessionsPerUser: 2 });
const url = () => t.gateway.url;
const admin = () => t.world.tokens.asAdmin;

afterEach(async () => {
  await expectServing(url(), admin());
});

const BAD_IDS = ["x", "1; DROP TABLE users", "00000000-0000-4000-8000-00000000000", "' OR '1'='1", "\u0000", "ğ".repeat(36), "x".repeat(100_000)];

/** One operation per ID argument, the id passed as `$id`. */
const ID_OPERATIONS: [string, string][] = [
  ["session(id)", "query ($id: ID!) { session(id: $id) { id } }"],
  ["user(id)", "query ($id: ID!) { user(id: $id) { id } }"],
  ["company(id)", "query ($id: ID!) { company(id: $id) { id } }"],
  ["export(id)", "query ($id: ID!) { export(id: $id) { id } }"],
  ["cancelSession", "mutation ($id: ID!) { cancelSession(id: $id) { id } }"],
  ["deleteUserData", "mutation ($id: ID!) { deleteUserData(userId: $id) { userId } }"],
  ["resetUserContent", "mutation ($id: ID!) { resetUserContent(userId: $id) { id } }"],
  ["setUserExcludedFromTraffic", "mutation ($id: ID!) { setUserExcludedFromTraffic(userId: $id, excluded: true) { id } }"],
  ["exportUserData", "mutation ($id: ID!) { exportUserData(userId: $id) { id } }"],
  ["revokeApiToken", "mutation ($id: ID!) { revokeApiToken(id: $id) { id } }"],
  ["sessions filter.userIds", "query ($id: ID!) { sessions(filter: { userIds: [$id] }) { totalCount } }"],
  ["users filter.companyIds", "query ($id: ID!) { users(filter: { companyIds: [$id] }) { totalCount } }"],
  ["activities filter.userIds", "query ($id: ID!) { activities(filter: { userIds: [$id] }) { totalCount } }"],
  ["activities filter.companyIds", "query ($id: ID!) { activities(filter: { companyIds: [$id] }) { totalCount } }"],
  ["activities filter.sessionIds", "query ($id: ID!) { activities(filter: { sessionIds: [$id] }) { totalCount } }"],
  ["exportSessions filter.userIds", "mutation ($id: ID!) { exportSessions(filter: { userIds: [$id] }) { id } }"],
  ["exportActivities filter.sessionIds", "mutation ($id: ID!) { exportActivities(filter: { sessionIds: [$id] }) { id } }"],
  ["exportUsers filter.companyIds", "mutation ($id: ID!) { exportUsers(filter: { companyIds: [$id] }) { id } }"],
];

describe("malformed ids", () => {
  it.each(ID_OPERATIONS)("%s refuses every malformed id with BAD_USER_INPUT", async (name, query) => {
    for (const id of BAD_IDS) {
      const message = expectRefused(`${name} id=${JSON.stringify(id.slice(0, 12))}`, await postJson(url(), { query, variables: { id } }, admin()), 400, "BAD_USER_INPUT");
      expect(message.length).toBeLessThan(600);
    }
  });

  it("a numeric id (coerced to ID) is refused too", async () => {
    expectRefused("numeric id", await postJson(url(), { query: "query ($id: ID!) { session(id: $id) { id } }", variables: { id: 12 } }, admin()), 400, "BAD_USER_INPUT");
  });

  it("an id written into the document is refused too", async () => {
    expectRefused("literal id", await postJson(url(), { query: '{ user(id: "nope") { id } }' }, admin()), 400, "BAD_USER_INPUT");
  });

  it("is refused for callers without credentials as well, before anything runs", async () => {
    expectRefused("anonymous bad id", await postJson(url(), { query: '{ session(id: "x") { id } }' }, null), 400, "BAD_USER_INPUT");
  });

  it("a well-formed unknown id is still just null", async () => {
    const answer = await postJson(url(), { query: "query ($id: ID!) { session(id: $id) { id } }", variables: { id: "00000000-0000-4000-8000-000000000000" } }, admin());
    expect(answer.json).toEqual({ data: { session: null }, extensions: expect.any(Object) });
  });
});

const SESSIONS = "query ($first: Int, $after: String, $filter: SessionFilter) { sessions(first: $first, after: $after, filter: $filter) { totalCount nodes { id } } }";
const big = "x".repeat(900_000);

describe("other arguments", () => {
  it.each([
    ["negative first", { first: -1 }],
    ["first above the cap", { first: 501 }],
    ["first at Int max", { first: 2 ** 31 - 1 }],
    ["first beyond Int", { first: 2 ** 31 }],
    ["fractional first", { first: 1.5 }],
    ["first as a string", { first: "10" }],
    ["reversed date range", { filter: { dateRange: { from: "2026-02-01", to: "2026-01-01" } } }],
    ["impossible date", { filter: { dateRange: { from: "2026-02-30" } } }],
    ["date with time", { filter: { dateRange: { from: "2026-02-01T00:00:00Z" } } }],
    ["year 0", { filter: { dateRange: { from: "0000-01-01" } } }],
    ["year 10000", { filter: { dateRange: { to: "10000-01-01" } } }],
    ["unknown time zone", { filter: { dateRange: { from: "2026-01-01" }, timeZone: "Mars/Olympus" } }],
    ["SQL as time zone", { filter: { dateRange: { from: "2026-01-01" }, timeZone: "UTC'; DROP TABLE sessions; --" } }],
    ["900 KB time zone", { filter: { timeZone: big } }],
    ["900 KB search", { filter: { search: big } }],
    ["NUL in search", { filter: { search: "ab\u0000cd" } }],
    ["NUL in a device type", { filter: { deviceTypes: ["iPhone\u0000"] } }],
    ["unknown status", { filter: { statuses: ["NOPE"] } }],
    ["filter as a string", { filter: "x" }],
    ["unknown filter field", { filter: { nope: 1 } }],
    ["garbage cursor", { after: "garbage" }],
    ["cursor of another list", { after: Buffer.from(JSON.stringify(["users", "a", "b"])).toString("base64url") }],
    ["cursor with a bad date", { after: Buffer.from(JSON.stringify(["sessions", "not a date", "x"])).toString("base64url") }],
    ["cursor with SQL", { after: Buffer.from(JSON.stringify(["sessions", "2026-01-01T00:00:00Z", "x'; DROP TABLE sessions; --"])).toString("base64url") }],
    ["cursor with year 0", { after: Buffer.from(JSON.stringify(["sessions", "0000-01-01T00:00:00Z", "00000000-0000-4000-8000-000000000000"])).toString("base64url") }],
    ["cursor with a huge number", { after: Buffer.from(JSON.stringify(["sessions", "99999-01-01T00:00:00Z", "00000000-0000-4000-8000-000000000000"])).toString("base64url") }],
    ["cursor of 900 KB", { after: big }],
    ["NUL in cursor", { after: "\u0000" }],
  ])("%s answers BAD_USER_INPUT", async (name, variables) => {
    const answer = await postJson(url(), { query: SESSIONS, variables }, admin());
    // Variables that do not coerce to their type are refused by Apollo with 400; values our code refuses answer 200.
    expect([200, 400]).toContain(answer.status);
    expectRefused(`sessions ${name}`, answer, answer.status, "BAD_USER_INPUT");
  });

  it.each([
    ["literal first beyond Int", "{ sessions(first: 99999999999) { totalCount } }"],
    ["literal unknown enum", "{ sessions(filter: { statuses: [NOPE] }) { totalCount } }"],
  ])("%s answers GRAPHQL_VALIDATION_FAILED", async (name, query) => {
    expectRefused(name, await postJson(url(), { query }, admin()), 400, "GRAPHQL_VALIDATION_FAILED");
  });

  it.each([
    ["NUL in a token label", 'mutation { createApiToken(label: "a\\u0000b") { token } }'],
    ["900 KB label", `mutation { createApiToken(label: "${"x".repeat(90_000)}") { token } }`],
    ["expiry that is not a date", 'mutation { createApiToken(label: "x", expiresAt: "tomorrow") { token } }'],
  ])("%s is refused with a coded error", async (name, query) => {
    const answer = await postJson(url(), { query }, admin());
    const code = answer.json?.errors?.[0]?.extensions?.code;
    expect(["BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED", "QUERY_TOO_COMPLEX"]).toContain(code);
    expectRefused(name, answer, answer.status, code as string);
  });
});

describe("arguments of nested fields", () => {
  it("a profile in an unknown time zone answers BAD_USER_INPUT on that field", async () => {
    const query = `{ user(id: "${t.world.users.admin.id}") { id profile(period: { timeZone: "Nowhere/Land" }) { totalEvents } } }`;
    const answer = await postJson(url(), { query }, admin());
    expect(answer.status).toBe(200);
    expect(answer.json?.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(answer.json?.data).toEqual({ user: { id: t.world.users.admin.id, profile: null } });
  });
});
