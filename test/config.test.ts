/** Process-level settings: bounds are refused at start, and the pool gets its size. */
import { ConfigError, loadConfig } from "../src/config/config";
import { startTestGateway } from "./support/gateway";

describe("configuration", () => {
  it.each([
    ["WORKERS", "0"], ["WORKERS", "65"], ["WORKERS", "two"],
    ["DATABASE_POOL_SIZE", "0"], ["DATABASE_POOL_SIZE", "1001"],
  ])("refuses %s=%s with a clear error", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
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
