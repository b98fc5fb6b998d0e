/**
 * `node dist/prepare.js`: what a deployment runs once before its gateways start (the `prepare`
 * service of docker/compose.yml). It starts one gateway on a loopback port and stops it again:
 * migrations, the demo organizations and tokens (SEED_DEMO), the demo attachment files, and the
 * export queue's setup in pg-boss all happen once, as in any start. Gateways starting together on
 * an empty database would otherwise race on each of them (main.ts starts its workers one after
 * another for the same reason). Exits 0 when done, 1 with the reason otherwise.
 */
import "reflect-metadata";
import { ConfigError, loadConfig } from "./config/config";
import { startGateway } from "./app";
import { createLogger, type LogLevel } from "./shared/logger";

async function main(): Promise<void> {
  // Its own loopback port: the gateways may already be listening on PORT.
  const config = loadConfig(process.env, { host: "127.0.0.1", port: 0 });
  const logger = createLogger(config.logLevel as LogLevel);
  const gateway = await startGateway(config, logger);
  try {
    if (gateway.demoTokens) {
      console.log(`Demo bearer tokens (also in ${gateway.demoTokensFile}):`);
      for (const [role, token] of Object.entries(gateway.demoTokens)) console.log(`  ${role.padEnd(16)} ${token}`);
    }
    console.log("sessiongraph: database prepared");
  } finally {
    await gateway.close();
  }
}

main().catch((error) => {
  if (error instanceof ConfigError) console.error(`Configuration error: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
