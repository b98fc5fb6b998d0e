/**
 * The gateway's Prometheus metrics, on prom-client's global registry (which its cluster
 * aggregation reads in each worker). Defined once per process here, low in the rooms, so that a
 * feature can count what it does (`recordExported`) without knowing about HTTP; the transport
 * (src/http/metrics.ts) observes requests and serves the text.
 *
 * Label values are bounded: operation names through `OperationNames`, error codes against the
 * known list, outcomes and states are fixed sets. With WORKERS > 1 the primary sums the workers'
 * series, except the values read from the database, which every worker reads alike
 * (`aggregator: "first"`).
 */
import { Counter, Gauge, Histogram, collectDefaultMetrics, register } from "prom-client";
import { ErrorCode } from "./errors";

export const metricsRegistry = register;

export const graphqlRequests = new Counter({
  name: "sessiongraph_graphql_requests_total",
  help: "GraphQL requests by operation name and outcome (success: no errors; partial: data and errors; error: no data).",
  labelNames: ["operation", "outcome"] as const,
});

export const graphqlDuration = new Histogram({
  name: "sessiongraph_graphql_request_duration_seconds",
  help: "Time from a GraphQL request's context to its response, by operation name.",
  labelNames: ["operation"] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

export const graphqlErrors = new Counter({
  name: "sessiongraph_graphql_errors_total",
  help: "Errors in GraphQL responses by extensions.code.",
  labelNames: ["code"] as const,
});

export const sqlStatementsPerRequest = new Histogram({
  name: "sessiongraph_graphql_sql_statements",
  help: "SQL statements one GraphQL request ran (authentication included).",
  buckets: [0, 1, 2, 3, 4, 6, 8, 12, 16, 32, 64],
});

export const exportedRows = new Counter({ name: "sessiongraph_export_rows_total", help: "Rows written to completed export files." });
export const exportedBytes = new Counter({ name: "sessiongraph_export_bytes_total", help: "Bytes of completed export files." });

/** Counts one completed export file. */
export function recordExported(rows: number, bytes: number): void {
  exportedRows.inc(rows);
  exportedBytes.inc(bytes);
}

export const webhookDeliveries = new Counter({
  name: "sessiongraph_webhook_deliveries_total",
  help: "Webhook delivery attempts by outcome (delivered: a 2xx answer; failed: anything else, timeouts included).",
  labelNames: ["outcome"] as const,
});
export const webhookDeliveryDuration = new Histogram({
  name: "sessiongraph_webhook_delivery_duration_seconds",
  help: "Time of one webhook delivery attempt, until the endpoint answered or the attempt was cut off.",
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});

/** Counts one webhook delivery attempt. */
export function recordWebhookAttempt(delivered: boolean, latencyMs: number): void {
  webhookDeliveries.inc({ outcome: delivered ? "delivered" : "failed" });
  webhookDeliveryDuration.observe(latencyMs / 1000);
}

/** What the database side reports at scrape time (registered by the process that owns the pool). */
export interface DatabaseGauges {
  pool(): { total: number; idle: number; waiting: number };
  exportsByStatus(): Promise<Record<string, number>>;
}
const databaseGauges = new Set<DatabaseGauges>();

/** Adds a source of pool and export figures; returns its removal. */
export function addDatabaseGauges(source: DatabaseGauges): () => void {
  databaseGauges.add(source);
  return () => databaseGauges.delete(source);
}

new Gauge({
  name: "sessiongraph_db_pool_connections",
  help: "Connections of the request pool by state: in_use, idle, and waiting (requests queued for a connection).",
  labelNames: ["state"] as const,
  collect() {
    const totals = { in_use: 0, idle: 0, waiting: 0 };
    for (const source of databaseGauges) {
      const { total, idle, waiting } = source.pool();
      totals.in_use += total - idle;
      totals.idle += idle;
      totals.waiting += waiting;
    }
    for (const [state, value] of Object.entries(totals)) this.set({ state }, value);
  },
});

/** Always reported (0 when none); a state the database adds later is reported as it appears. */
const EXPORT_STATES = ["QUEUED", "RUNNING", "COMPLETED", "FAILED", "EXPIRED", "CANCELED"];
new Gauge({
  name: "sessiongraph_export_jobs",
  help: "Exports by state, in the whole database (every instance reports the same figures).",
  labelNames: ["state"] as const,
  aggregator: "first",
  async collect() {
    const [source] = databaseGauges;
    if (!source) return;
    const counts = await source.exportsByStatus().catch(() => null);
    if (!counts) return;
    for (const state of new Set([...EXPORT_STATES, ...Object.keys(counts)])) this.set({ state }, counts[state] ?? 0);
  },
});

let defaultsOn = false;
/** Process metrics (CPU, memory, event loop, GC), once per process, when metrics are served. */
export function collectProcessMetrics(): void {
  if (defaultsOn) return;
  defaultsOn = true;
  collectDefaultMetrics();
}

const KNOWN_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_REQUEST", "PERSISTED_QUERY_NOT_FOUND", "PERSISTED_QUERY_NOT_SUPPORTED", "OPERATION_RESOLUTION_FAILURE",
]);
/** An error code as a label: a known code, or OTHER. */
export const errorCodeLabel = (code: unknown): string => (typeof code === "string" && KNOWN_CODES.has(code) ? code : "OTHER");

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Operation names as label values, bounded: the first `max` distinct plain names keep their name,
 * later ones count as `other`, names that are not GraphQL-style identifiers (up to 64 characters)
 * as `invalid`, and operations without a name as `anonymous`. Clients choose names, so without
 * a cap every random name would be a new series.
 */
export class OperationNames {
  private readonly seen = new Set<string>();
  constructor(private readonly max: number) {}

  label(name: string | null | undefined): string {
    if (!name) return "anonymous";
    if (!PLAIN_NAME.test(name)) return "invalid";
    if (this.seen.has(name)) return name;
    if (this.seen.size >= this.max) return "other";
    this.seen.add(name);
    return name;
  }
}
