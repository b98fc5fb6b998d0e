import "reflect-metadata";
import { ConfigError, loadConfig } from "./config/config";
import { startGateway } from "./app";
import { createLogger, type LogLevel } from "./shared/logger";

async function main(): Promise<void> {
  const started = performance.now();
  const config = loadConfig();
  const logger = createLogger(config.logLevel as LogLevel);
  const gateway = await startGateway(config, logger);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  console.log(`\nsessiongraph is ready in ${seconds}s`);
  console.log(`  GraphQL + Apollo Sandbox:  ${gateway.url}/graphql`);
  console.log(`  Offline GraphiQL:          ${gateway.url}/graphiql`);
  console.log(`  Database:                  ${config.databaseUrl ? "DATABASE_URL" : `embedded PostgreSQL in ${config.dataDir}/postgres`}`);
  if (gateway.demoTokens) {
    console.log(`\nDemo bearer tokens (also in ${gateway.demoTokensFile}):`);
    for (const [role, token] of Object.entries(gateway.demoTokens)) console.log(`  ${role.padEnd(16)} ${token}`);
  } else if (config.seedDemo) {
    console.log(`\nDemo bearer tokens: ${gateway.demoTokensFile}`);
  }
  console.log(`\nTry: curl -s ${gateway.url}/graphql -H 'content-type: application/json' \\`);
  console.log(`       -H "authorization: Bearer $(node -p "require('${gateway.demoTokensFile}').ADMIN")" \\`);
  console.log(`       -d '{"query":"{ viewer { role user { name } organization { name } } }"}'\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", { signal });
    gateway.close().then(
      () => process.exit(0),
      (error) => {
        logger.error("shutdown failed", { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error) => {
  if (error instanceof ConfigError) console.error(`Configuration error: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
