/**
 * The plain HTTP surface around GraphQL: health and readiness, the explorers' pages and assets,
 * CORS, unknown paths, and bodies the GraphQL endpoint cannot take (always JSON, never a stack).
 */
import { startTestGateway } from "./support/gateway";

type TestGateway = Awaited<ReturnType<typeof startTestGateway>>;

/** A stack frame ("    at fn (file:1:2)"), a source or module path, or a file:line reference. */
const STACK_OR_PATH = /\bat\s+\S+\s+\(|\n\s+at\s|node_modules|\/src\/|\/dist\/|\/work\/|[\w-]+\.[jt]s:\d+/;

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(async () => {
  await gateway?.close();
});

describe("health", () => {
  it("GET /healthz answers 200 {status: ok}", async () => {
    const res = await fetch(`${gateway.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("GET /readyz answers 200 {status: ready} while the database answers", async () => {
    const res = await fetch(`${gateway.url}/readyz`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ status: "ready" });
  });
});

describe("explorers", () => {
  it("GET /graphql from a browser (Accept: text/html) answers the Apollo Sandbox landing page", async () => {
    const res = await fetch(`${gateway.url}/graphql`, { headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toMatch(/<html/i);
    // The embedded Sandbox: Apollo's embeddable-sandbox script and its mount point.
    expect(html).toContain("embeddable-sandbox");
    expect(html.toLowerCase()).toContain("apollo");
  });

  it("GET /graphiql answers the offline GraphiQL page", async () => {
    const res = await fetch(`${gateway.url}/graphiql`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('id="graphiql"');
    expect(html).toContain('id="token"');
    expect(html).toContain("/graphiql/assets/graphiql.js");
  });

  it("GET /graphiql/assets/graphiql.js answers JavaScript", async () => {
    const res = await fetch(`${gateway.url}/graphiql/assets/graphiql.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/javascript/);
    const body = await res.text();
    expect(body.length).toBeGreaterThan(10_000);
    expect(body).toContain("GraphiQL");
  });

  it("an unknown asset answers 404", async () => {
    const res = await fetch(`${gateway.url}/graphiql/assets/nope.js`);
    expect(res.status).toBe(404);
    await res.arrayBuffer();
  });
});

describe("unknown paths", () => {
  it("answer 404", async () => {
    const res = await fetch(`${gateway.url}/no-such-path-${Date.now()}`);
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).not.toMatch(STACK_OR_PATH);
  });
});

describe("POST /graphql bodies", () => {
  it("a malformed JSON body answers 400 with a JSON error and no stack trace", async () => {
    const res = await fetch(`${gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"query": "{ viewer { role } }", ',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const text = await res.text();
    const body = JSON.parse(text) as { errors?: { message?: unknown }[] };
    expect(typeof body.errors?.[0]?.message).toBe("string");
    expect((body.errors![0].message as string).length).toBeGreaterThan(0);
    expect(text).not.toMatch(STACK_OR_PATH);
    expect(text).not.toMatch(/stack/i);
  });

  it("a body over 1 MB answers 413 with a JSON error", async () => {
    const query = `{ viewer { role } } # ${"x".repeat(1_100_000)}`;
    const res = await fetch(`${gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const text = await res.text();
    const body = JSON.parse(text) as { errors?: { message?: unknown }[] };
    expect(typeof body.errors?.[0]?.message).toBe("string");
    expect(text).not.toMatch(STACK_OR_PATH);
  });
});

describe("CORS", () => {
  const allowed = "https://app.example.test";
  let corsGateway: TestGateway;

  beforeAll(async () => {
    corsGateway = await startTestGateway({ corsOrigins: [allowed] });
  });
  afterAll(async () => {
    await corsGateway?.close();
  });

  const preflight = (origin: string) =>
    fetch(`${corsGateway.url}/graphql`, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,authorization",
      },
    });

  it("answers a preflight from a configured origin with that origin", async () => {
    const res = await preflight(allowed);
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get("access-control-allow-origin")).toBe(allowed);
    expect(res.headers.get("access-control-allow-methods") ?? "").toMatch(/POST/);
    await res.arrayBuffer();
  });

  it("lets a configured origin's scripts read the request id and the read-your-writes position", async () => {
    const res = await fetch(`${corsGateway.url}/graphql`, {
      method: "POST",
      headers: { origin: allowed, "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(res.headers.get("access-control-allow-origin")).toBe(allowed);
    expect((res.headers.get("access-control-expose-headers") ?? "").split(",").map((h) => h.trim().toLowerCase())).toEqual(
      expect.arrayContaining(["x-request-id", "x-sessiongraph-lsn"]),
    );
    await res.arrayBuffer();
  });

  it("gives no allow-origin header to another origin", async () => {
    const res = await preflight("https://evil.example.test");
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    await res.arrayBuffer();
  });

  it("gives no allow-origin header when no origins are configured", async () => {
    const res = await fetch(`${gateway.url}/graphql`, {
      method: "OPTIONS",
      headers: { origin: allowed, "access-control-request-method": "POST" },
    });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    await res.arrayBuffer();
  });
});
