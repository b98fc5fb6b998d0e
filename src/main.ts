import "reflect-metadata";
import cluster, { type Worker } from "node:cluster";
import { ConfigError, loadConfig, type Config } from "./config/config";
import { prepareForWorkers, startGateway } from "./app";
import type { DemoTokens } from "./seed/demo";
import { createLogger, type Logger, type LogLevel } from "./shared/logger";

/** Messages a worker sends the primary (WORKERS > 1). */
type WorkerMessage = { ready: string };

function printBanner(config: Config, url: string, started: number, demo: { demoTokens: DemoTokens | null; demoTokensFile: string }): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`\nsessiongraph is ready in ${seconds}s${config.workers > 1 ? ` (${config.workers} workers)` : ""}`);
  console.log(`  GraphQL + Apollo Sandbox:  ${url}/graphql`);
  console.log(`  Offline GraphiQL:          ${url}/graphiql`);
  console.log(`  Database:                  ${config.databaseUrl ? "DATABASE_URL" : `embedded PostgreSQL in ${config.dataDir}/postgres`}`);
  if (demo.demoTokens) {
    console.log(`\nDemo bearer tokens (also in ${demo.demoTokensFile}):`);
    for (const [role, token] of Object.entries(demo.demoTokens)) console.log(`  ${role.padEnd(16)} ${token}`);
  } else if (config.seedDemo) {
    console.log(`\nDemo bearer tokens: ${demo.demoTokensFile}`);
  }
  console.log(`\nTry: curl -s ${url}/graphql -H 'content-type: application/json' \\`);
  console.log(`       -H "authorization: Bearer $(node -p "require('${demo.demoTokensFile}').ADMIN")" \\`);
  console.log(`       -d '{"query":"{ viewer { role user { name } organization { name } } }"}'\n`);
}

/** SIGINT / SIGTERM run `close` once, then exit 0 (1 if closing failed). */
function onSignals(logger: Logger, close: () => Promise<void>, signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM"]): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", { signal });
    close().then(
      () => process.exit(0),
      (error) => {
        logger.error("shutdown failed", { error: String(error) });
        process.exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, () => stop(signal));
}

/** One process serves everything (WORKERS=1), or a cluster worker serves HTTP on the shared port. */
async function serve(config: Config, logger: Logger, started: number): Promise<void> {
  // A worker leaves Ctrl-C (SIGINT to the whole process group) to the primary, which stops it with SIGTERM.
  if (cluster.isWorker) process.on("SIGINT", () => undefined);
  const gateway = await startGateway(config, logger);
  onSignals(logger, () => gateway.close(), cluster.isWorker ? ["SIGTERM"] : ["SIGINT", "SIGTERM"]);
  if (cluster.isWorker) process.send!({ ready: gateway.url } satisfies WorkerMessage);
  else printBanner(config, gateway.url, started, gateway);
}

/**
 * WORKERS > 1: the primary prepares the database once (embedded server, migrations, demo data,
 * signing key), forks the workers on it and restarts any that die; on SIGTERM it stops the
 * workers (each drains its requests; one that hangs is killed after WORKER_STOP_SECONDS), then
 * the embedded server.
 */
async function runPrimary(config: Config, logger: Logger, started: number): Promise<void> {
  const prepared = await prepareForWorkers(config, logger);
  const env = { DATABASE_URL: prepared.url, SEED_DEMO: "false" };
  let stopping = false;
  const restarts: number[] = [];
  const fork = (): Worker => {
    const worker = cluster.fork(env);
    worker.on("exit", (code, signal) => {
      if (stopping) return;
      // A worker that keeps dying right away is a configuration problem, not a transient fault.
      const now = Date.now();
      restarts.push(now);
      while (restarts.length && restarts[0] < now - 60_000) restarts.shift();
      logger.error("worker exited; starting another", { pid: worker.process.pid, code, signal, restartsInLastMinute: restarts.length });
      if (restarts.length > 5 * config.workers) {
        logger.error("workers keep exiting; stopping");
        void shutdown().then(() => process.exit(1));
        return;
      }
      fork();
    });
    return worker;
  };
  const shutdown = async () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
    await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
      // A worker's own shutdown is bounded (10 s drain, 10 s for export jobs); one still running
      // past the deadline is stuck, and would keep the primary (and the embedded server) up forever.
      const deadline = setTimeout(() => {
        logger.error("worker did not stop in time; killing it", { pid: w.process.pid, seconds: config.workerStopSeconds });
        w.process.kill("SIGKILL");
      }, config.workerStopSeconds * 1000);
      w.once("exit", () => {
        clearTimeout(deadline);
        resolve();
      });
      w.process.kill("SIGTERM");
    })));
    await prepared.stop();
  };
  onSignals(logger, shutdown);
  // One after another: workers starting together on a new database race on pg-boss's queue setup.
  const urls: string[] = [];
  for (let i = 0; i < config.workers; i++) {
    const worker = fork();
    urls.push(await new Promise<string>((resolve, reject) => {
      worker.on("message", (message: WorkerMessage) => message?.ready && resolve(message.ready));
      worker.once("exit", (code) => reject(new Error(`worker exited during start (code ${code})`)));
    }));
  }
  printBanner(config, urls[0], started, prepared);
}

async function main(): Promise<void> {
  const started = performance.now();
  const config = loadConfig();
  const logger = createLogger(config.logLevel as LogLevel);
  if (config.workers > 1 && cluster.isPrimary) await runPrimary(config, logger, started);
  else await serve(config, logger, started);
}

main().catch((error) => {
  if (error instanceof ConfigError) console.error(`Configuration error: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
