/**
 * Starts the whole gateway: database (embedded unless DATABASE_URL is set), migrations, demo
 * seed, schema and HTTP. `npm start` and the integration tests both go through here.
 */
import "reflect-metadata";
import fs from "node:fs/promises";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { Config } from "./config/config";
import { openDatabase, type DataSource } from "./db/data-source";
import { ReplicaSet } from "./db/replicas";
import { DatabaseRouter, type ReplicaStatus } from "./access";
import { entities } from "./entities";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./db/embedded-postgres";
import { isDemoSeeded, mintDemoTokens, seedDemo, type DemoTokens } from "./seed/demo";
import { createHttpServer } from "./http/server";
import { loadTrustedDocuments, type TrustedDocuments } from "./http/trusted-documents";
import { createSchema } from "./graphql";
import { createLogger, type Logger, type LogLevel } from "./shared/logger";
import { DownloadLinks, ExportJobs, createStorage, loadSigningKeys, type CsvEngine, type ObjectStorage } from "./exports";
import { writeDemoAttachmentFiles } from "./seed/demo-files";
import { WebhookDispatcher } from "./webhooks";
import { AuthFailureLimiter, listenForAuthEvents } from "./auth";
import { localMetricsText, startMetricsServer } from "./http/metrics";

export interface Gateway {
  url: string;
  storage: ObjectStorage;
  exportJobs: ExportJobs;
  webhooks: WebhookDispatcher;
  /** TRUSTED_DOCUMENTS: mode and untrusted requests counted since start. */
  trustedDocuments: TrustedDocuments;
  dataSource: DataSource;
  /** Each read replica's health, lag and replayed position (empty without DATABASE_REPLICA_URLS); for metrics. */
  replicaStatus(): ReplicaStatus[];
  /** Tokens minted by this start (first start, or when demo-tokens.json was missing). */
  demoTokens: DemoTokens | null;
  demoTokensFile: string;
  /** Graceful: stops accepting requests, finishes in-flight ones, closes the database. */
  close(): Promise<void>;
}

/** The configured database, or the embedded server under DATA_DIR (started here). */
export async function startDatabase(config: Config, logger: Logger): Promise<{ url: string; embedded: EmbeddedPostgres | null }> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: null };
  const embedded = await startEmbeddedPostgres({
    dataDir: path.join(config.dataDir, "postgres"),
    port: config.embeddedPostgresPort,
    onLog: (message) => logger.debug("postgres", { message: message.trim() }),
    // The gateway's own server: started again whenever its postmaster dies.
    supervise: true,
    onSupervision: (message, detail) => logger.warn(message, detail),
  });
  return { url: embedded.url, embedded };
}

/** The demo organizations (first start) and tokens file, when SEED_DEMO is on. */
async function prepareDemo(config: Config, dataSource: DataSource, storage: ObjectStorage): Promise<{ demoTokens: DemoTokens | null; demoTokensFile: string }> {
  const demoTokensFile = path.join(config.dataDir, "demo-tokens.json");
  let demoTokens: DemoTokens | null = null;
  if (!config.seedDemo) return { demoTokens, demoTokensFile };
  if (!(await isDemoSeeded(dataSource.manager))) demoTokens = await seedDemo(dataSource.manager);
  else if (!(await fs.stat(demoTokensFile).catch(() => null))) demoTokens = await mintDemoTokens(dataSource.manager);
  if (demoTokens) {
    await fs.mkdir(config.dataDir, { recursive: true });
    await fs.writeFile(demoTokensFile, JSON.stringify(demoTokens, null, 2) + "\n", { mode: 0o600 });
  }
  await writeDemoAttachmentFiles(dataSource, storage);
  return { demoTokens, demoTokensFile };
}

export interface PreparedDatabase {
  url: string;
  demoTokens: DemoTokens | null;
  demoTokensFile: string;
  /** Stops the embedded server, if this process started one. */
  stop(): Promise<void>;
}

/**
 * What must happen once before worker processes start (WORKERS > 1): the database, its
 * migrations, the demo data and the signing key file. Workers then start with DATABASE_URL.
 */
export async function prepareForWorkers(config: Config, logger: Logger): Promise<PreparedDatabase> {
  const { url, embedded } = await startDatabase(config, logger);
  try {
    const dataSource = await openDatabase({ url, entities, logger, statementTimeoutMs: config.statementTimeoutMs });
    try {
      const demo = await prepareDemo(config, dataSource, createStorage(config));
      await loadSigningKeys(config);
      return { url, ...demo, stop: async () => void (await embedded?.stop()) };
    } finally {
      await dataSource.destroy();
    }
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

export interface GatewayOptions {
  /** Where /metrics text comes from: a cluster worker asks its primary for the instance's; default: this process's. */
  metricsText?: () => Promise<string>;
  /** Whether this process serves METRICS_PORT (false in a cluster worker: the primary does). Default true. */
  serveMetricsPort?: boolean;
}

export async function startGateway(config: Config, logger: Logger = createLogger(config.logLevel as LogLevel), options: GatewayOptions = {}): Promise<Gateway> {
  // Before anything starts: a missing or broken manifest stops the start with a ConfigError.
  const trustedDocuments = config.trustedDocuments === "off" ? new Map<string, string>() : loadTrustedDocuments(config.trustedDocumentsManifest);
  const { url, embedded } = await startDatabase(config, logger);
  let replicas: ReplicaSet | null = null;
  try {
    const dataSource = await openDatabase({ url, entities, logger, statementTimeoutMs: config.statementTimeoutMs, poolSize: config.databasePoolSize });
    replicas = config.databaseReplicaUrls.length
      ? new ReplicaSet({ urls: config.databaseReplicaUrls, primaryUrl: url, maxLagMs: config.replicaMaxLagMs, poolSize: config.databasePoolSize, statementTimeoutMs: config.statementTimeoutMs, logger })
      : null;
    // Never throws: a replica down at start is used once a check finds it healthy.
    await replicas?.start();
    const router = new DatabaseRouter(dataSource, replicas);
    const storage = createStorage(config);
    const { demoTokens, demoTokensFile } = await prepareDemo(config, dataSource, storage);
    const keys = await loadSigningKeys(config);
    let baseUrl = config.publicUrl;
    const links = new DownloadLinks(keys, storage, () => baseUrl, config.urlLifetimeSeconds);
    const exportJobs = new ExportJobs({
      databaseUrl: url, database: dataSource, storage, logger, queue: config.exportQueue, retentionHours: config.exportRetentionHours,
      jobTimeoutSeconds: config.exportJobTimeoutSeconds, leaseSeconds: config.exportLeaseSeconds, retryLimit: config.exportRetryLimit,
      maintenanceIntervalSeconds: config.exportMaintenanceSeconds,
      csvEngine: config.exportCsvEngine as CsvEngine, copyMinRows: config.exportCopyMinRows, concurrency: config.exportConcurrency,
    });
    await exportJobs.start();
    const webhooks = new WebhookDispatcher({
      databaseUrl: url, database: dataSource, logger, queue: config.webhookQueue, timeoutMs: config.webhookTimeoutMs, retryLimit: config.webhookRetryLimit,
      disableAfterFailures: config.webhookDisableAfterFailures, concurrency: config.webhookConcurrency, allowPrivateNetworks: config.webhookAllowPrivateNetworks,
    });
    await webhooks.start();
    const authFailures = new AuthFailureLimiter({ database: dataSource, limit: config.authFailureLimit, windowMs: config.authFailureWindowSeconds * 1000, logger });
    const authEvents = await listenForAuthEvents(dataSource, authFailures, logger);
    const schema = await createSchema();
    const server = await createHttpServer({ config, database: dataSource, router, schema, logger, storage, keys, links, exportQueue: exportJobs, authFailures, metricsText: options.metricsText, trustedDocuments });
    await new Promise<void>((resolve, reject) => {
      server.httpServer.once("error", reject);
      server.httpServer.listen(config.port, config.host, () => resolve());
    });
    const metricsServer = config.metricsPort > 0 && options.serveMetricsPort !== false
      ? await startMetricsServer({ host: config.host, port: config.metricsPort, token: config.metricsToken, text: options.metricsText ?? localMetricsText, logger })
      : null;
    const { port } = server.httpServer.address() as AddressInfo;
    const host = config.host === "0.0.0.0" ? "localhost" : config.host;
    baseUrl = (config.publicUrl || `http://${host}:${port}`).replace(/\/+$/, "");
    return {
      url: baseUrl,
      storage,
      dataSource,
      demoTokens,
      demoTokensFile,
      exportJobs,
      webhooks,
      replicaStatus: () => router.replicaStatus(),
      trustedDocuments: server.trustedDocuments,
      async close() {
        await server.stop();
        await metricsServer?.close();
        await authEvents.close();
        await exportJobs.stop();
        await webhooks.stop();
        await replicas?.stop();
        await dataSource.destroy();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await replicas?.stop();
    await embedded?.stop();
    throw error;
  }
}
