import "reflect-metadata";
// First: OpenTelemetry (when configured) must patch http, graphql and pg before anything loads them.
import { tracing } from "./tracing";
import cluster, { type Worker } from "node:cluster";
import { ConfigError, loadConfig, type Config } from "./config/config";
import { prepareForWorkers, startGateway } from "./app";
import type { DemoTokens } from "./seed/demo";
import { createLogger, type Logger, type LogLevel } from "./shared/logger";
import { answerClusterMetrics, clusterMetricsText, metricsEnabled, startMetricsServer } from "./http/metrics";

/** Messages a worker sends the primary (WORKERS > 1): started, or asking for the instance's metrics. */
type WorkerMessage = { ready: string } | { metricsRequest: number };
/** The primary's answer to a metrics request. */
type PrimaryMessage = { metricsResponse: number; text?: string; error?: string };

/**
 * In a cluster worker: /metrics text for the whole instance, asked of the primary (which gathers
 * every worker's), so a scrape that lands on any worker sees the instance's figures.
 */
function metricsFromPrimary(): () => Promise<string> {
  answerClusterMetrics();
  let next = 0;
  const pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  process.on("message", (message: PrimaryMessage) => {
    const waiting = typeof message?.metricsResponse === "number" ? pending.get(message.metricsResponse) : undefined;
    if (!waiting) return;
    pending.delete(message.metricsResponse);
    if (message.text !== undefined) waiting.resolve(message.text);
    else waiting.reject(new Error(message.error ?? "no metrics"));
  });
  return () => new Promise<string>((resolve, reject) => {
    const id = next++;
    // prom-client gives up on a silent worker after 5 s; this waits a little longer for its answer.
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error("the primary did not answer with metrics"));
    }, 6000);
    pending.set(id, {
      resolve: (text) => { clearTimeout(timer); resolve(text); },
      reject: (error) => { clearTimeout(timer); reject(error); },
    });
    process.send!({ metricsRequest: id } satisfies WorkerMessage);
  });
}

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
  const gateway = await startGateway(
    config,
    logger,
    cluster.isWorker && metricsEnabled(config) ? { metricsText: metricsFromPrimary(), serveMetricsPort: false } : {},
  );
  const close = async () => {
    await gateway.close();
    await tracing?.shutdown();
  };
  onSignals(logger, close, cluster.isWorker ? ["SIGTERM"] : ["SIGINT", "SIGTERM"]);
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
  const instanceMetrics = metricsEnabled(config) ? clusterMetricsText() : null;
  const fork = (): Worker => {
    const worker = cluster.fork(env);
    if (instanceMetrics) {
      worker.on("message", (message: WorkerMessage) => {
        if (!("metricsRequest" in (message ?? {}))) return;
        const id = (message as { metricsRequest: number }).metricsRequest;
        const answer = (reply: PrimaryMessage) => worker.isConnected() && worker.send(reply);
        instanceMetrics().then((text) => answer({ metricsResponse: id, text }), (error: Error) => answer({ metricsResponse: id, error: error.message }));
      });
    }
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
    await metricsServer?.close();
    await prepared.stop();
    await tracing?.shutdown();
  };
  // The primary serves METRICS_PORT itself: the instance's figures, gathered from every worker.
  const metricsServer = instanceMetrics && config.metricsPort > 0
    ? await startMetricsServer({ host: config.host, port: config.metricsPort, token: config.metricsToken, text: instanceMetrics, logger })
    : null;
  onSignals(logger, shutdown);
  // One after another: workers starting together on a new database race on pg-boss's queue setup.
  const urls: string[] = [];
  for (let i = 0; i < config.workers; i++) {
    const worker = fork();
    urls.push(await new Promise<string>((resolve, reject) => {
      worker.on("message", (message: WorkerMessage) => "ready" in (message ?? {}) && resolve((message as { ready: string }).ready));
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
