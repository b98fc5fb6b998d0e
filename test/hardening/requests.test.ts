/**
 * Malformed and CSRF-shaped requests: each answers a JSON error with a stable code, runs no
 * resolver (checked on a mutation that would create a row), and the gateway keeps serving.
 */
import net from "node:net";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { useWorld } from "../support/world";
import { expectRefused, expectServing, postJson, send } from "./hostile";

const t = useWorld({ sessionsPerUser: 1 });
const url = () => t.gateway.url;
const admin = () => t.world.tokens.asAdmin;
const auth = () => ({ authorization: `Bearer ${admin()}` });

const MUTATION = 'mutation { createApiToken(label: "csrf-probe") { token apiToken { id } } }';
const query = JSON.stringify({ query: MUTATION });

async function probeTokens(): Promise<number> {
  const [{ n }] = await t.gateway.dataSource.query(`SELECT count(*)::int AS n FROM api_tokens WHERE label = 'csrf-probe'`);
  return n;
}

afterEach(async () => {
  expect(await probeTokens()).toBe(0);
  await expectServing(url(), admin());
});

describe("control", () => {
  it("the probe mutation does create a token when sent properly (so 'runs nothing' below can fail)", async () => {
    const answer = await postJson(url(), { query: MUTATION }, admin());
    expect(answer.json?.errors).toBeUndefined();
    expect(await probeTokens()).toBe(1);
    await t.gateway.dataSource.query(`DELETE FROM api_tokens WHERE label = 'csrf-probe'`);
  });
});

describe("bodies", () => {
  it.each([
    ["truncated JSON", '{"query": "{ viewer { role } }", '],
    ["not JSON at all", "query { viewer { role } }"],
    ["a JSON string", JSON.stringify("{ viewer { role } }")],
    ["JSON null", "null"],
    ["a number", "42"],
    ["invalid UTF-8 escapes", '{"query": "\\uZZZZ"}'],
  ])("%s answers 400 BAD_REQUEST", async (name, body) => {
    expectRefused(name, await postJson(url(), body, admin()), 400, "BAD_REQUEST");
  });

  it.each([
    ["query is not a string", { query: 5 }],
    ["no query", { variables: {} }],
    ["variables not an object", { query: "{ viewer { role } }", variables: "x" }],
    ["an empty object", {}],
  ])("%s answers 400 BAD_REQUEST", async (name, body) => {
    expectRefused(name, await postJson(url(), body, admin()), 400, "BAD_REQUEST");
  });

  it("a syntax error answers GRAPHQL_PARSE_FAILED", async () => {
    expectRefused("syntax error", await postJson(url(), { query: "mutation { createApiToken(" }, admin()), 400, "GRAPHQL_PARSE_FAILED");
  });
});

describe("content types a cross-site form can send", () => {
  it.each([
    ["text/plain", "text/plain"],
    ["form-encoded", "application/x-www-form-urlencoded"],
    ["multipart", "multipart/form-data; boundary=x"],
    ["XML", "application/xml"],
  ])("POST %s answers 400 BAD_REQUEST and runs nothing", async (name, type) => {
    const answer = await send(url(), { method: "POST", headers: { "content-type": type, ...auth() }, body: query });
    expectRefused(`POST ${name}`, answer, 400, "BAD_REQUEST");
  });

  it("POST without a content type answers 400 BAD_REQUEST and runs nothing", async () => {
    const answer = await send(url(), { method: "POST", headers: auth(), body: new Blob([query]) });
    expectRefused("POST no content type", answer, 400, "BAD_REQUEST");
  });
});

describe("GET", () => {
  const get = (q: string, headers: Record<string, string> = {}) => send(url(), { path: `/graphql?query=${encodeURIComponent(q)}`, headers: { ...auth(), ...headers } });

  it("without a preflight-forcing header answers 400 BAD_REQUEST", async () => {
    expectRefused("GET without preflight header", await get("{ viewer { role } }"), 400, "BAD_REQUEST");
  });

  it("with apollo-require-preflight runs a query", async () => {
    const answer = await get("{ viewer { role } }", { "apollo-require-preflight": "1" });
    expect(answer.status).toBe(200);
    expect(answer.json?.data).toEqual({ viewer: { role: "ADMIN" } });
  });

  it("a mutation over GET answers 405 and runs nothing", async () => {
    const answer = await get(MUTATION, { "apollo-require-preflight": "1" });
    expectRefused("mutation over GET", answer, 405, "BAD_REQUEST");
    expect(answer.headers.get("allow")).toBe("POST");
  });

  it("a mutation over GET with content-type json still answers 405", async () => {
    expectRefused("mutation over GET (json type)", await get(MUTATION, { "content-type": "application/json" }), 405, "BAD_REQUEST");
  });
});

describe("other methods", () => {
  it.each(["PUT", "DELETE", "PATCH"])("%s /graphql answers 4xx JSON-or-plain, never a stack", async (method) => {
    const answer = await send(url(), { method, headers: { "content-type": "application/json", ...auth() }, body: query });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.text).not.toMatch(/\n\s+at\s|node_modules/);
  });
});

describe("slow clients", () => {
  let slow: TestGateway;
  beforeAll(async () => {
    slow = await startTestGateway({ requestTimeoutMs: 1500 });
  });
  afterAll(async () => {
    await slow?.close();
  });

  it("a request whose body never finishes is answered 408 and closed; the gateway keeps serving", async () => {
    const socket = net.connect(Number(new URL(slow.url).port), "127.0.0.1");
    const closed = new Promise<string>((resolve) => {
      let data = "";
      socket.on("data", (d) => (data += d));
      socket.on("close", () => resolve(data));
    });
    // Promise 1000 bytes, send 10, then go quiet.
    socket.write(`POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"query":`);
    const started = Date.now();
    const answer = await closed;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    const viewer = await postJson(slow.url, { query: "{ __typename }" }, null);
    expect(viewer.json?.data).toEqual({ __typename: "Query" });
  });
});
