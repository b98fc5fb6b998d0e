/**
 * One PostgreSQL for the whole run: DATABASE_URL when given, else a throwaway embedded cluster
 * in the OS temp dir. Migrations run once here; test files share the database and each builds
 * its own organizations, so files never see each other's rows.
 */
import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startEmbeddedPostgres } from "../src/db/embedded-postgres";
import { openDatabase } from "../src/db/data-source";
import { entities } from "../src/entities";

export default async function globalSetup(): Promise<void> {
  // Gateway processes the tests spawn share the test database: they leave webhook delivery to
  // the webhook tests (see test/support/gateway.ts).
  process.env.WEBHOOK_CONCURRENCY ??= "0";
  // The AWS SDK warns, once per process, that its releases from January 2027 need Node 22+. The
  // S3 tests run in jest's own process, so on Node 20 that runtime notice would land in the test
  // output; .ci/run runs the suite on Node 24 as well, and a gateway on Node 20 with S3 storage
  // still shows it to its operator.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  if (!process.env.DATABASE_URL) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sessiongraph-test-"));
    fs.chmodSync(dataDir, 0o755);
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port: await freePort(), persistent: false });
    process.env.DATABASE_URL = pg.url;
    (globalThis as { __sessiongraphPg?: typeof pg; __sessiongraphDir?: string }).__sessiongraphPg = pg;
    (globalThis as { __sessiongraphDir?: string }).__sessiongraphDir = dataDir;
  }
  const dataSource = await openDatabase({ url: process.env.DATABASE_URL, entities });
  await dataSource.destroy();
}
