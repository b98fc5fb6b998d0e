import fs from "node:fs";
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { loadConfig, type Config } from "../../src/config/config";
import { startGateway, type Gateway } from "../../src/app";
import { createLogger } from "../../src/shared/logger";

export const TEST_JWT_SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789";

/**
 * The real gateway on the test database, on a free loopback port, with statement counts
 * exposed in responses. Logs are kept in memory so tests can check what reached the log.
 */
export type TestGateway = Gateway & { logs: string[] };

export async function startTestGateway(overrides: Partial<Config> = {}): Promise<TestGateway> {
  const logs: string[] = [];
  const ownDataDir = overrides.dataDir ? null : fs.mkdtempSync(path.join(os.tmpdir(), "sessiongraph-gw-"));
  const config = loadConfig(
    { DATABASE_URL: process.env.DATABASE_URL },
    {
      host: "127.0.0.1",
      port: 0,
      seedDemo: false,
      exposeSqlStatementCount: true,
      jwtSecret: TEST_JWT_SECRET,
      dataDir: ownDataDir ?? undefined,
      // Each gateway its own export queue: its worker writes to its own data dir.
      exportQueue: `test-${randomUUID().slice(0, 8)}`,
      // Every request looks its token up, so statement counts do not depend on what ran before
      // (test/auth-cache.test.ts covers the cache).
      authCacheSeconds: 0,
      // Every test client calls from 127.0.0.1; test/hardening/credentials.test.ts turns the limit on.
      authFailureLimit: 0,
      // Every document compiled on first use, so the suite runs the path hot documents take
      // (test/compiled-execution.test.ts covers graphql-js's and the switch between them).
      compileAfterExecutions: 0,
      // Test files share one database, so any gateway would deliver any file's webhooks:
      // only the webhook tests deliver (test/webhooks; test/examples delivers on a database of its own).
      webhookConcurrency: 0,
      ...overrides,
    },
  );
  let gateway: Gateway;
  try {
    gateway = await startGateway(config, createLogger("warn", (line) => logs.push(line)));
  } catch (error) {
    // A gateway that refused to start (tests of bad settings) leaves no directory behind either.
    if (ownDataDir) fs.rmSync(ownDataDir, { recursive: true, force: true });
    throw error;
  }
  const close = gateway.close.bind(gateway);
  return Object.assign(gateway, {
    logs,
    async close() {
      await close();
      if (ownDataDir) fs.rmSync(ownDataDir, { recursive: true, force: true });
    },
  });
}
