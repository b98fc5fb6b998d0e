/**
 * Traces (issue 18, item 5): a gateway process with OTEL_EXPORTER_OTLP_ENDPOINT sends its spans
 * over OTLP/HTTP (JSON) to a receiver on loopback; one GraphQL request makes one trace with the
 * HTTP server span (carrying the request id), GraphQL spans under it and SQL (pg) spans under
 * those. Without the variable no OpenTelemetry module is loaded at all.
 */
import { execFileSync } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { startGatewayProcess, type GatewayProcess } from "./support/gateway-process";
import { useWorld } from "./support/world";

jest.setTimeout(120_000);
const t = useWorld({ sessionsPerUser: 1, activitiesPerSession: 0 });

interface OtlpValue { stringValue?: string; intValue?: string | number; boolValue?: boolean }
interface OtlpSpan { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes?: { key: string; value: OtlpValue }[] }
interface OtlpExport { resourceSpans: { resource?: { attributes?: { key: string; value: OtlpValue }[] }; scopeSpans: { scope?: { name: string }; spans: (OtlpSpan)[] }[] }[] }
type Span = OtlpSpan & { scope: string; service: string };

/** A minimal OTLP/HTTP receiver: POST /v1/traces with a JSON body, every span kept. */
async function startReceiver(): Promise<{ url: string; spans: Span[]; paths: string[]; close(): Promise<void> }> {
  const spans: Span[] = [];
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      paths.push(`${req.method} ${req.url} ${req.headers["content-type"]}`);
      if (req.method === "POST" && req.url === "/v1/traces") {
        const payload = JSON.parse(body) as OtlpExport;
        for (const resourceSpans of payload.resourceSpans) {
          const service = resourceSpans.resource?.attributes?.find((a) => a.key === "service.name")?.value.stringValue ?? "";
          for (const scopeSpans of resourceSpans.scopeSpans) for (const span of scopeSpans.spans) spans.push({ ...span, scope: scopeSpans.scope?.name ?? "", service });
        }
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    paths,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const attribute = (span: Span, key: string) => span.attributes?.find((a) => a.key === key)?.value;

describe("OpenTelemetry traces", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let gateway: GatewayProcess;
  beforeAll(async () => {
    receiver = await startReceiver();
    gateway = await startGatewayProcess({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: "sessiongraph-under-test",
      // Export every 100 ms rather than every 5 s.
      OTEL_BSP_SCHEDULE_DELAY: "100",
      AUTH_FAILURE_LIMIT: "0",
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await receiver?.close();
  });

  it("one request: HTTP → GraphQL → SQL spans in one trace, the request id on the HTTP span", async () => {
    const requestId = `trace-test-${Date.now()}`;
    const res = await fetch(`${gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${t.world.tokens.asAdmin}`, "x-request-id": requestId },
      body: JSON.stringify({ query: "query TracedViewer { viewer { role user { id name } organization { name } } }" }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe(requestId);

    let server: Span | undefined;
    const deadline = Date.now() + 15_000;
    while (!(server = receiver.spans.find((s) => attribute(s, "sessiongraph.request_id")?.stringValue === requestId))) {
      if (Date.now() > deadline) throw new Error(`no span with the request id after 15 s; received: ${receiver.paths.join(", ")}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Children end (and are exported) before their parent; give stragglers one more export round.
    await new Promise((r) => setTimeout(r, 500));
    const trace = receiver.spans.filter((s) => s.traceId === server!.traceId);
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const ancestors = (span: Span): Span[] => {
      const chain: Span[] = [];
      for (let p = span.parentSpanId ? byId.get(span.parentSpanId) : undefined; p; p = p.parentSpanId ? byId.get(p.parentSpanId) : undefined) chain.push(p);
      return chain;
    };

    expect(server.service).toBe("sessiongraph-under-test");
    expect(server.scope).toBe("@opentelemetry/instrumentation-http");
    expect(server.kind).toBe(2); // SERVER
    expect(server.parentSpanId ?? "").toBe("");

    const graphql = trace.filter((s) => s.scope === "@opentelemetry/instrumentation-graphql");
    const execute = graphql.find((s) => s.name.startsWith("query") || s.name.includes("execute"));
    expect(graphql.map((s) => s.name)).toEqual(expect.arrayContaining([expect.stringContaining("parse"), expect.stringContaining("validate")]));
    expect(execute).toBeDefined();
    for (const span of graphql) expect(ancestors(span)).toContain(server);

    const sql = trace.filter((s) => s.scope === "@opentelemetry/instrumentation-pg" && s.kind === 3 /* CLIENT */);
    expect(sql.length).toBeGreaterThan(0);
    for (const span of sql) expect(ancestors(span)).toContain(server);
    // The resolvers' statements run under the GraphQL execution: HTTP → GraphQL → SQL.
    const underExecute = sql.filter((s) => ancestors(s).includes(execute!));
    expect(underExecute.length).toBeGreaterThan(0);
    expect(underExecute.some((s) => /SELECT/i.test(String(attribute(s, "db.query.text")?.stringValue ?? attribute(s, "db.statement")?.stringValue ?? s.name)))).toBe(true);
    console.log(`tracing: ${trace.length} spans in the trace of one Viewer request (${graphql.length} GraphQL, ${sql.length} SQL): ${trace.map((s) => s.name).join("; ")}`);
  });
});

describe("without OTEL_EXPORTER_OTLP_ENDPOINT", () => {
  it("loads no OpenTelemetry SDK, exporter or instrumentation module, while with it set they are loaded", () => {
    // @opentelemetry/api itself is left out: prom-client imports it (for exemplars); without an SDK it does nothing.
    const script = `require("reflect-metadata"); require("./dist/tracing.js"); require("./dist/app.js");
      process.stdout.write(String(Object.keys(require.cache).filter((k) => k.includes("@opentelemetry/") && !k.includes("@opentelemetry/api/")).length));`;
    const env = { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: "" };
    const off = Number(execFileSync(process.execPath, ["-e", script], { cwd: path.resolve("."), env, encoding: "utf8" }));
    const on = Number(execFileSync(process.execPath, ["-e", `${script}; process.exit(0)`], { cwd: path.resolve("."), env: { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9" }, encoding: "utf8" }));
    expect(off).toBe(0);
    expect(on).toBeGreaterThan(10);
  });
});
