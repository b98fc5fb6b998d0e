/** Process-level settings: bounds are refused at start (TRUST_PROXY as proxy-addr reads it), and the pool gets its size. */
import { ConfigError, loadConfig, parseTrustProxy } from "../src/config/config";
import { startTestGateway } from "./support/gateway";

describe("configuration", () => {
  it.each([
    ["WORKERS", "0"], ["WORKERS", "65"], ["WORKERS", "two"],
    ["DATABASE_POOL_SIZE", "0"], ["DATABASE_POOL_SIZE", "1001"],
    ["TRUST_PROXY", "10.0.0.0/33"], ["TRUST_PROXY", "the balancer"], ["TRUST_PROXY", "-1"],
    ["METRICS_PORT", "70000"], ["METRICS_PORT", "4000"], ["METRICS_MAX_OPERATIONS", "0"],
    ["OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"],
  ])("refuses %s=%s with a clear error", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });

  it.each([["", "off"], ["false", "off"], ["true", "all"], ["2", "hops"], ["loopback, 10.0.0.0/8, fd00::/8", "list"]])("reads TRUST_PROXY=%s as %s", (raw, kind) => {
    expect(parseTrustProxy(loadConfig({ TRUST_PROXY: raw }).trustProxy).kind).toBe(kind);
  });

  it("gives the request pool DATABASE_POOL_SIZE connections, and serves concurrent requests through them", async () => {
    const gateway = await startTestGateway({ databasePoolSize: 2 });
    try {
      const pool = (gateway.dataSource.driver as unknown as { master: { options: { max: number } } }).master;
      expect(pool.options.max).toBe(2);
      const answers = await Promise.all(Array.from({ length: 8 }, () => gateway.dataSource.query("SELECT pg_sleep(0.05), 1 AS one")));
      expect(answers.map((rows) => rows[0].one)).toEqual(Array(8).fill(1));
    } finally {
      await gateway.close();
    }
  });
});
