/**
 * The one configuration object, read from the environment and validated at start-up.
 * Each entry documents its variable, default and sensitivity; the README's table is
 * printed from this list (`node dist/config/config.js --markdown`), so they never drift.
 */
import path from "node:path";
import proxyaddr from "proxy-addr";

type Kind = "string" | "int" | "bool" | "list";

interface Setting<K extends Kind = Kind> {
  env: string;
  kind: K;
  default: string;
  description: string;
  sensitive?: boolean;
}

const settings = {
  databaseUrl: {
    env: "DATABASE_URL", kind: "string", default: "", sensitive: true,
    description: "PostgreSQL connection string. Empty: start the embedded PostgreSQL under DATA_DIR.",
  },
  dataDir: {
    env: "DATA_DIR", kind: "string", default: ".data",
    description: "Local state: embedded database cluster, demo tokens, local export files.",
  },
  embeddedPostgresPort: {
    env: "EMBEDDED_PG_PORT", kind: "int", default: "54329",
    description: "Port of the embedded PostgreSQL (loopback only); unused with DATABASE_URL.",
  },
  host: {
    env: "HOST", kind: "string", default: "127.0.0.1",
    description: "Interface the HTTP server binds to (0.0.0.0 in containers).",
  },
  port: { env: "PORT", kind: "int", default: "4000", description: "HTTP port." },
  publicUrl: {
    env: "PUBLIC_URL", kind: "string", default: "",
    description: "Base URL clients reach the gateway at (signed URLs). Empty: http://HOST:PORT.",
  },
  seedDemo: {
    env: "SEED_DEMO", kind: "bool", default: "true",
    description: "Seed the demo organizations and print demo tokens when the database is empty.",
  },
  corsOrigins: {
    env: "CORS_ORIGINS", kind: "list", default: "",
    description: "Comma-separated browser origins allowed by CORS (e.g. https://app.example.com). Empty: none.",
  },
  jwtSecret: {
    env: "JWT_SECRET", kind: "string", default: "", sensitive: true,
    description: "Shared secret for HS256 JWTs. Empty and no JWKS URL: JWTs are not accepted.",
  },
  jwtJwksUrl: {
    env: "JWT_JWKS_URL", kind: "string", default: "",
    description: "JWKS endpoint for asymmetric JWTs (takes precedence over JWT_SECRET).",
  },
  jwtAlgorithms: {
    env: "JWT_ALGORITHMS", kind: "list", default: "",
    description: "Accepted JWT algorithms. Empty: HS256 with JWT_SECRET, RS256 and ES256 with a JWKS URL.",
  },
  jwtIssuer: {
    env: "JWT_ISSUER", kind: "string", default: "sessiongraph",
    description: "Required `iss` claim of JWTs.",
  },
  jwtAudience: {
    env: "JWT_AUDIENCE", kind: "string", default: "sessiongraph",
    description: "Required `aud` claim of JWTs.",
  },
  signingKeys: {
    env: "SIGNING_KEYS", kind: "list", default: "", sensitive: true,
    description: "Keys for signed download URLs, `kid:base64secret` (32+ bytes) separated by commas; several are accepted while rotating. Empty: one key generated and kept in DATA_DIR/signing-keys (single instance only).",
  },
  signingKeyId: {
    env: "SIGNING_KEY_ID", kind: "string", default: "",
    description: "Id of the key that signs new URLs. Empty: the first of SIGNING_KEYS.",
  },
  urlLifetimeSeconds: {
    env: "URL_LIFETIME_SECONDS", kind: "int", default: "900",
    description: "Lifetime of a signed download URL (hard maximum 604800, 7 days).",
  },
  exportStorage: {
    env: "EXPORT_STORAGE", kind: "string", default: "local",
    description: "`local` (files under DATA_DIR/exports) or `s3` (S3-compatible object storage with presigned URLs).",
  },
  s3Bucket: { env: "S3_BUCKET", kind: "string", default: "", description: "Bucket for exports and attachments (required with EXPORT_STORAGE=s3)." },
  s3Region: { env: "S3_REGION", kind: "string", default: "us-east-1", description: "S3 region." },
  s3Endpoint: { env: "S3_ENDPOINT", kind: "string", default: "", description: "Endpoint of an S3-compatible service (empty: AWS)." },
  s3PublicEndpoint: {
    env: "S3_PUBLIC_ENDPOINT", kind: "string", default: "",
    description: "Endpoint written into presigned download URLs, when browsers reach the storage at another address than the gateway does (e.g. `http://localhost:9000` for a MinIO the gateway reaches as `http://minio:9000`). Empty: S3_ENDPOINT.",
  },
  s3ForcePathStyle: { env: "S3_FORCE_PATH_STYLE", kind: "bool", default: "false", description: "Path-style bucket addressing (most self-hosted S3 services need it)." },
  s3AccessKeyId: { env: "S3_ACCESS_KEY_ID", kind: "string", default: "", sensitive: true, description: "S3 access key id (empty: the SDK's default credential chain)." },
  s3SecretAccessKey: { env: "S3_SECRET_ACCESS_KEY", kind: "string", default: "", sensitive: true, description: "S3 secret access key." },
  exportRetentionHours: {
    env: "EXPORT_RETENTION_HOURS", kind: "int", default: "72",
    description: "How long a finished export file is kept before a scheduled job deletes it (the export turns EXPIRED).",
  },
  exportWaitMs: {
    env: "EXPORT_WAIT_MS", kind: "int", default: "2000",
    description: "How long an export mutation waits for its job; a job done by then returns COMPLETED with its URL.",
  },
  exportCsvEngine: {
    env: "EXPORT_CSV_ENGINE", kind: "string", default: "auto",
    description: "Who encodes the CSV: `json2csv` (in Node), `postgres` (COPY: PostgreSQL encodes the rows, same bytes; faster, see bench/RESULTS.md) or `auto` (postgres from EXPORT_COPY_MIN_ROWS estimated rows).",
  },
  exportCopyMinRows: {
    env: "EXPORT_COPY_MIN_ROWS", kind: "int", default: "1000",
    description: "With EXPORT_CSV_ENGINE=auto, the planner's row estimate from which PostgreSQL encodes the CSV.",
  },
  exportQueue: {
    env: "EXPORT_QUEUE", kind: "string", default: "exports",
    description: "Name of the export job queue (in PostgreSQL, schema pgboss). Instances sharing a queue must share storage.",
  },
  exportConcurrency: {
    env: "EXPORT_CONCURRENCY", kind: "int", default: "2",
    description: "Export jobs one instance runs at the same time.",
  },
  exportJobTimeoutSeconds: {
    env: "EXPORT_JOB_TIMEOUT_SECONDS", kind: "int", default: "3600",
    description: "An export attempt still running after this long is stopped and the export FAILED (a dead worker is noticed by its lease, EXPORT_LEASE_SECONDS).",
  },
  exportLeaseSeconds: {
    env: "EXPORT_LEASE_SECONDS", kind: "int", default: "20",
    description: "A running export renews its lease every second; one whose lease is this old (its worker died) is handed to another worker, checked every quarter of this.",
  },
  exportRetryLimit: {
    env: "EXPORT_RETRY_LIMIT", kind: "int", default: "2",
    description: "Retries of a failed or dead export attempt (with backoff: 2, 4, 8 s … for a failed one) before the export is marked FAILED.",
  },
  exportMaintenanceSeconds: {
    env: "EXPORT_MAINTENANCE_SECONDS", kind: "int", default: "60",
    description: "How often expired files are swept (at least every 60 s) and the queue does its upkeep.",
  },
  webhookTimeoutMs: {
    env: "WEBHOOK_TIMEOUT_MS", kind: "int", default: "5000",
    description: "A webhook delivery attempt not answered within this long is cut off and counts as failed.",
  },
  webhookRetryLimit: {
    env: "WEBHOOK_RETRY_LIMIT", kind: "int", default: "8",
    description: "Retries of a failed webhook delivery, with exponential backoff (2, 4, 8 … s), before the message is given up.",
  },
  webhookDisableAfterFailures: {
    env: "WEBHOOK_DISABLE_AFTER_FAILURES", kind: "int", default: "20",
    description: "Failed delivery attempts in a row after which an endpoint is disabled (an admin enables it again).",
  },
  webhookConcurrency: {
    env: "WEBHOOK_CONCURRENCY", kind: "int", default: "8",
    description: "Webhook deliveries one instance attempts at the same time; a slow endpoint holds one of them for at most WEBHOOK_TIMEOUT_MS. 0: this instance delivers none (other instances do).",
  },
  webhookAllowPrivateNetworks: {
    env: "WEBHOOK_ALLOW_PRIVATE_NETWORKS", kind: "bool", default: "false",
    description: "Allow webhook endpoints that resolve to loopback, private or link-local addresses, and plain http with NODE_ENV=production (for tests and private deployments).",
  },
  webhookQueue: {
    env: "WEBHOOK_QUEUE", kind: "string", default: "webhooks",
    description: "Name of the webhook delivery queue (in PostgreSQL, schema pgboss).",
  },
  sessionGapMinutes: {
    env: "SESSION_GAP_MINUTES", kind: "int", default: "30",
    description: "Inactivity after which a user's next tracked activity opens a new session.",
  },
  trackBatchLimit: {
    env: "TRACK_BATCH_LIMIT", kind: "int", default: "1000",
    description: "Most events one trackActivities call accepts.",
  },
  databaseReplicaUrls: {
    env: "DATABASE_REPLICA_URLS", kind: "list", default: "", sensitive: true,
    description: "Comma-separated connection strings of streaming read replicas of DATABASE_URL. GraphQL queries read from a healthy one; mutations, exports, the job queue and authentication use the primary (README, \"Read replicas\"). Empty: everything on the primary.",
  },
  replicaMaxLagMs: {
    env: "REPLICA_MAX_LAG_MS", kind: "int", default: "2000",
    description: "A replica further behind the primary than this (in time, measured from WAL positions every quarter of it, at most every 500 ms) is skipped until it catches up.",
  },
  databasePoolSize: {
    env: "DATABASE_POOL_SIZE", kind: "int", default: "10",
    description: "Connections each process keeps to PostgreSQL for requests and export streams (the job queue has 4 more), and to each read replica (plus one per server for the replica health check).",
  },
  workers: {
    env: "WORKERS", kind: "int", default: "1",
    description: "HTTP worker processes (node cluster) sharing the port; 2 or more use more cores. Each runs its own pool, caches and export jobs.",
  },
  workerStopSeconds: {
    env: "WORKER_STOP_SECONDS", kind: "int", default: "30",
    description: "With WORKERS > 1, how long the primary waits on SIGTERM for a worker to drain and stop before killing it (SIGKILL).",
  },
  authCacheSeconds: {
    env: "AUTH_CACHE_SECONDS", kind: "int", default: "5",
    description: "How long a verified API token is remembered in-process (0: look it up on every request). Revoking a token, changing or deleting its owner reaches every process of every instance at once (PostgreSQL LISTEN/NOTIFY); this is the bound while a process's listener is reconnecting.",
  },
  compiledExecution: {
    env: "COMPILED_EXECUTION", kind: "bool", default: "true",
    description: "Run documents a client sends again and again as functions graphql-jit compiles once (about a third less CPU per request); `false`: graphql-js's `execute` for everything.",
  },
  compileAfterExecutions: {
    env: "COMPILE_AFTER_EXECUTIONS", kind: "int", default: "2",
    description: "Runs of a document (by graphql-js) before it is compiled; 0 compiles on first use. Documents of more than 1,000 fields, fragments spread out, are never compiled.",
  },
  exposeSqlStatementCount: {
    env: "EXPOSE_SQL_STATEMENT_COUNT", kind: "bool", default: "false",
    description: "Add `extensions.sqlStatements` (statements run for the request) to each GraphQL response, and with read replicas `extensions.servedBy` (`replica` or `primary`: where its reads ran).",
  },
  nodeEnv: {
    env: "NODE_ENV", kind: "string", default: "development",
    description: "`production` allows introspection (and so Apollo Sandbox) only to authenticated ADMIN and DEVELOPER callers, and webhook endpoints only over https; any other value leaves both open.",
  },
  trustedDocuments: {
    env: "TRUSTED_DOCUMENTS", kind: "string", default: "off",
    description: "Trusted documents for callers below ADMIN: `off`; `log` (documents not in TRUSTED_DOCUMENTS_MANIFEST, or sent as text, are counted and logged, at most one line per 10 s); `enforce` (they are refused with DOCUMENT_NOT_TRUSTED, 403: send a manifest document's SHA-256 in `extensions.persistedQuery`). Admins may run any document.",
  },
  trustedDocumentsManifest: {
    env: "TRUSTED_DOCUMENTS_MANIFEST", kind: "string", default: "examples/generated/persisted-documents.json",
    description: "The persisted-documents manifest (SHA-256 of each document's text → text) that `npm run schema` writes; read at start when TRUSTED_DOCUMENTS is `log` or `enforce`.",
  },
  maxQueryDepth: {
    env: "MAX_QUERY_DEPTH", kind: "int", default: "12",
    description: "Deepest selection nesting a document may have, fragments followed (QUERY_TOO_COMPLEX above).",
  },
  maxQueryAliases: {
    env: "MAX_QUERY_ALIASES", kind: "int", default: "30",
    description: "Most aliases in one operation (QUERY_TOO_COMPLEX above).",
  },
  maxQueryDirectives: {
    env: "MAX_QUERY_DIRECTIVES", kind: "int", default: "20",
    description: "Most directives in one operation (QUERY_TOO_COMPLEX above).",
  },
  maxQueryTokens: {
    env: "MAX_QUERY_TOKENS", kind: "int", default: "1000",
    description: "Most lexical tokens in a document; the parser stops there, so it never recurses deep enough to overflow (QUERY_TOO_COMPLEX above).",
  },
  maxQueryCost: {
    env: "MAX_QUERY_COST", kind: "int", default: "100000",
    description: "Most estimated cost of an operation: each field costs 1, a list field its page size (`first`, default 50) times its selection (QUERY_TOO_COMPLEX above).",
  },
  maxDocumentBytes: {
    env: "MAX_DOCUMENT_BYTES", kind: "int", default: "100000",
    description: "Largest GraphQL document (the `query` text) accepted, in bytes (BAD_USER_INPUT above). Whole JSON bodies are capped at 1 MB (413).",
  },
  authFailureLimit: {
    env: "AUTH_FAILURE_LIMIT", kind: "int", default: "20",
    description: "Failed authentications one client address (see TRUST_PROXY) may make within AUTH_FAILURE_WINDOW_SECONDS, counted in PostgreSQL across every process and instance; past that its requests with credentials answer RATE_LIMITED (429). 0 disables the limit.",
  },
  authFailureWindowSeconds: {
    env: "AUTH_FAILURE_WINDOW_SECONDS", kind: "int", default: "60",
    description: "Length of the window of AUTH_FAILURE_LIMIT, from an address's first failure.",
  },
  trustProxy: {
    env: "TRUST_PROXY", kind: "string", default: "",
    description: "Which proxies in front of the gateway to believe about the client's address (X-Forwarded-For), as Express's `trust proxy` means it: a hop count (`1`: the one load balancer in front), or a comma-separated list of addresses, CIDR ranges and the names `loopback`, `linklocal`, `uniquelocal`; `true` trusts every hop. Empty or `false`: X-Forwarded-For is ignored and the socket's address is the client's.",
  },
  metricsToken: {
    env: "METRICS_TOKEN", kind: "string", default: "", sensitive: true,
    description: "Bearer token that `GET /metrics` (Prometheus text format) requires on the main port. Empty: /metrics is not served there.",
  },
  metricsPort: {
    env: "METRICS_PORT", kind: "int", default: "0",
    description: "A separate port (on HOST) serving `GET /metrics` for the whole instance, also with METRICS_TOKEN when that is set. 0: none.",
  },
  metricsMaxOperations: {
    env: "METRICS_MAX_OPERATIONS", kind: "int", default: "200",
    description: "Distinct GraphQL operation names each process labels metrics with; names past it (and names that are not plain identifiers) are counted as `other`.",
  },
  otelExporterOtlpEndpoint: {
    env: "OTEL_EXPORTER_OTLP_ENDPOINT", kind: "string", default: "",
    description: "OTLP/HTTP collector base URL (spans go to `<url>/v1/traces`, JSON encoding). Set: OpenTelemetry traces HTTP, GraphQL and SQL, the request id on the HTTP span. Empty: tracing is off and its packages are never loaded. The SDK also reads its other `OTEL_*` variables (e.g. `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_BSP_SCHEDULE_DELAY`).",
  },
  otelServiceName: {
    env: "OTEL_SERVICE_NAME", kind: "string", default: "sessiongraph",
    description: "`service.name` of the spans, with OTEL_EXPORTER_OTLP_ENDPOINT.",
  },
  requestTimeoutMs: {
    env: "REQUEST_TIMEOUT_MS", kind: "int", default: "30000",
    description: "Time a client has to send a whole HTTP request (headers and body); slower ones are answered 408 and disconnected.",
  },
  statementTimeoutMs: {
    env: "STATEMENT_TIMEOUT_MS", kind: "int", default: "15000",
    description: "PostgreSQL `statement_timeout` of the gateway's connections: a query running longer is cancelled and its request answers an error. 0 disables it.",
  },
  logLevel: {
    env: "LOG_LEVEL", kind: "string", default: "info",
    description: "error, warn, info or debug.",
  },
} satisfies Record<string, Setting>;

type Settings = typeof settings;
type ValueOf<K extends Kind> = K extends "int" ? number : K extends "bool" ? boolean : K extends "list" ? string[] : string;
export type Config = { [P in keyof Settings]: ValueOf<Settings[P]["kind"]> };

export class ConfigError extends Error {}

function parse(setting: Setting, raw: string): unknown {
  switch (setting.kind) {
    case "int": {
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${setting.env} must be a non-negative integer, got "${raw}"`);
      return n;
    }
    case "bool":
      if (!["true", "false", "1", "0"].includes(raw)) throw new ConfigError(`${setting.env} must be true or false, got "${raw}"`);
      return raw === "true" || raw === "1";
    case "list":
      return raw.split(",").map((s) => s.trim()).filter(Boolean);
    default:
      return raw;
  }
}

/** Reads and validates the configuration; throws ConfigError naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const config = {} as Record<string, unknown>;
  for (const [key, setting] of Object.entries(settings) as [string, Setting][]) {
    config[key] = parse(setting, env[setting.env] ?? setting.default);
  }
  const result = { ...(config as Config), ...overrides };
  result.dataDir = path.resolve(result.dataDir);
  if (!["error", "warn", "info", "debug"].includes(result.logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be error, warn, info or debug, got "${result.logLevel}"`);
  }
  if (result.urlLifetimeSeconds < 1 || result.urlLifetimeSeconds > 604_800) {
    throw new ConfigError("URL_LIFETIME_SECONDS must be between 1 and 604800 (7 days)");
  }
  if (!["local", "s3"].includes(result.exportStorage)) throw new ConfigError(`EXPORT_STORAGE must be local or s3, got "${result.exportStorage}"`);
  if (result.exportStorage === "s3" && !result.s3Bucket) throw new ConfigError("S3_BUCKET is required when EXPORT_STORAGE=s3");
  if (!["auto", "json2csv", "postgres"].includes(result.exportCsvEngine)) {
    throw new ConfigError(`EXPORT_CSV_ENGINE must be auto, json2csv or postgres, got "${result.exportCsvEngine}"`);
  }
  if (!["off", "log", "enforce"].includes(result.trustedDocuments)) {
    throw new ConfigError(`TRUSTED_DOCUMENTS must be off, log or enforce, got "${result.trustedDocuments}"`);
  }
  if (result.compileAfterExecutions < 0) throw new ConfigError("COMPILE_AFTER_EXECUTIONS must be at least 0");
  if (result.exportConcurrency < 1) throw new ConfigError("EXPORT_CONCURRENCY must be at least 1");
  if (result.workers < 1 || result.workers > 64) throw new ConfigError("WORKERS must be between 1 and 64");
  if (result.workerStopSeconds < 1) throw new ConfigError("WORKER_STOP_SECONDS must be at least 1");
  if (result.databasePoolSize < 1 || result.databasePoolSize > 1000) throw new ConfigError("DATABASE_POOL_SIZE must be between 1 and 1000");
  if (result.exportJobTimeoutSeconds < 1) throw new ConfigError("EXPORT_JOB_TIMEOUT_SECONDS must be at least 1");
  if (result.exportMaintenanceSeconds < 1) throw new ConfigError("EXPORT_MAINTENANCE_SECONDS must be at least 1");
  if (!/^[A-Za-z0-9_.-]{1,50}$/.test(result.exportQueue)) throw new ConfigError("EXPORT_QUEUE must be 1 to 50 letters, digits, _, . or -");
  if (result.exportRetentionHours < 1) throw new ConfigError("EXPORT_RETENTION_HOURS must be at least 1");
  if (result.sessionGapMinutes < 1) throw new ConfigError("SESSION_GAP_MINUTES must be at least 1");
  if (result.maxQueryDepth < 1 || result.maxQueryTokens < 1 || result.maxQueryCost < 1 || result.maxDocumentBytes < 1) {
    throw new ConfigError("MAX_QUERY_DEPTH, MAX_QUERY_TOKENS, MAX_QUERY_COST and MAX_DOCUMENT_BYTES must be at least 1");
  }
  if (result.requestTimeoutMs < 1000) throw new ConfigError("REQUEST_TIMEOUT_MS must be at least 1000");
  if (result.authFailureWindowSeconds < 1) throw new ConfigError("AUTH_FAILURE_WINDOW_SECONDS must be at least 1");
  if (result.trustProxy) parseTrustProxy(result.trustProxy);
  if (result.metricsPort > 65_535) throw new ConfigError("METRICS_PORT must be a port number (0: none)");
  if (result.metricsPort !== 0 && result.metricsPort === result.port) throw new ConfigError("METRICS_PORT must differ from PORT");
  if (result.metricsMaxOperations < 1) throw new ConfigError("METRICS_MAX_OPERATIONS must be at least 1");
  if (result.otelExporterOtlpEndpoint && !/^https?:\/\/[^/]/.test(result.otelExporterOtlpEndpoint)) {
    throw new ConfigError("OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL");
  }
  if (result.trackBatchLimit < 1) throw new ConfigError("TRACK_BATCH_LIMIT must be at least 1");
  for (const url of result.databaseReplicaUrls) {
    if (!/^postgres(ql)?:\/\/[^/\s]+/.test(url)) throw new ConfigError("DATABASE_REPLICA_URLS must be postgres:// connection strings separated by commas");
  }
  if (result.replicaMaxLagMs < 100) throw new ConfigError("REPLICA_MAX_LAG_MS must be at least 100");
  if (result.jwtJwksUrl && !/^https?:\/\//.test(result.jwtJwksUrl)) {
    throw new ConfigError("JWT_JWKS_URL must be an http(s) URL");
  }
  return result;
}

/**
 * TRUST_PROXY as Express reads `trust proxy`: off, every hop, a hop count, or the addresses /
 * ranges / names proxy-addr compiles. Throws ConfigError for anything proxy-addr cannot read.
 */
export function parseTrustProxy(raw: string): TrustProxy {
  const value = raw.trim();
  if (value === "" || value === "false") return { kind: "off" };
  if (value === "true") return { kind: "all" };
  if (/^\d+$/.test(value)) return { kind: "hops", hops: Number(value) };
  const list = value.split(",").map((s) => s.trim()).filter(Boolean);
  try {
    proxyaddr.compile(list);
  } catch (error) {
    throw new ConfigError(`TRUST_PROXY must be a hop count, true/false, or addresses, CIDR ranges and loopback/linklocal/uniquelocal separated by commas: ${(error as Error).message}`);
  }
  return { kind: "list", list };
}

export type TrustProxy = { kind: "off" } | { kind: "all" } | { kind: "hops"; hops: number } | { kind: "list"; list: string[] };

/** The README's configuration table. */
export function configMarkdownTable(): string {
  const rows = (Object.values(settings) as Setting[]).map(
    (s) => `| \`${s.env}\` | ${s.default === "" ? "(empty)" : `\`${s.default}\``} | ${s.description}${s.sensitive ? " **Sensitive.**" : ""} |`,
  );
  return ["| variable | default | meaning |", "|---|---|---|", ...rows].join("\n");
}

if (require.main === module && process.argv.includes("--markdown")) {
  console.log(configMarkdownTable());
}
