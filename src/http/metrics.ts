/**
 * GET /metrics in Prometheus's text format (prom-client), and the Apollo plugin that observes
 * each GraphQL request. Served on the main port when METRICS_TOKEN is set (bearer, compared in
 * constant time), and on METRICS_PORT when that is set (with the token too, if there is one).
 * Off unless one of them is set: no plugin, no per-request statement tally.
 *
 * With WORKERS > 1 the figures are the instance's: the text comes from the cluster primary, which
 * gathers every worker's registry (prom-client's AggregatorRegistry, src/main.ts).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import express, { type Router } from "express";
import { AggregatorRegistry } from "prom-client";
import type { ApolloServerPlugin } from "@apollo/server";
import { getOperationAST } from "graphql";
import type { Config } from "../config/config";
import { poolStats, systemQuery, type Database } from "../access";
import { currentStatementTally, withoutStatementTally } from "../db/statement-counter";
import { ErrorCode } from "../shared/errors";
import type { Logger } from "../shared/logger";
import {
  OperationNames, addDatabaseGauges, collectProcessMetrics, errorCodeLabel, graphqlDuration, graphqlErrors, graphqlRequests, metricsRegistry, sqlStatementsPerRequest,
} from "../shared/metrics";
import { hashSecret, sameDigest } from "../shared/secrets";
import type { RequestContext } from "../graphql";
import { sendJsonError } from "./request-guards";

/** The metrics text of this process alone. */
export const localMetricsText = (): Promise<string> => metricsRegistry.metrics();
export const METRICS_CONTENT_TYPE = metricsRegistry.contentType;

export const metricsEnabled = (config: Pick<Config, "metricsToken" | "metricsPort">): boolean => config.metricsToken !== "" || config.metricsPort > 0;

type Outcome = "success" | "partial" | "error";

function observe(operation: string, outcome: Outcome, seconds: number, codes: unknown[], statements: number | undefined): void {
  graphqlRequests.inc({ operation, outcome });
  graphqlDuration.observe({ operation }, seconds);
  for (const code of codes) graphqlErrors.inc({ code: errorCodeLabel(code) });
  if (statements !== undefined) sqlStatementsPerRequest.observe(statements);
}

/**
 * What the process measures about GraphQL requests. `plugin` sees every request that got a
 * context; `contextFailed` the ones refused while making it (RATE_LIMITED, UNAUTHENTICATED,
 * SERVICE_UNAVAILABLE), which Apollo answers without running any request hook.
 */
export function graphqlMetrics(maxOperations: number) {
  const names = new OperationNames(maxOperations);
  const plugin: ApolloServerPlugin<RequestContext> = {
    async requestDidStart({ request }) {
      const started = performance.now();
      return {
        async willSendResponse({ response, operationName, document }) {
          if (response.body.kind !== "single") return;
          const { data, errors } = response.body.singleResult;
          const outcome: Outcome = !errors?.length ? "success" : data ? "partial" : "error";
          const codes = (errors ?? []).map((error) => error.extensions?.code);
          // A document that failed validation has no resolved operation, but may have a name.
          const name = operationName ?? request.operationName ?? (document ? getOperationAST(document)?.name?.value : undefined);
          observe(names.label(name), outcome, (performance.now() - started) / 1000, codes, currentStatementTally()?.statements);
        },
      };
    },
  };
  const contextFailed = (operationName: unknown, error: unknown, started: number): void => {
    const code = (error as { extensions?: { code?: unknown } })?.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR;
    observe(names.label(typeof operationName === "string" ? operationName : null), "error", (performance.now() - started) / 1000, [code], currentStatementTally()?.statements);
  };
  return { plugin, contextFailed };
}

/**
 * In a cluster primary: the instance's metrics, every live worker's registry gathered and summed
 * (gauges read from the database taken once). Each worker must have called
 * `answerClusterMetrics()`.
 */
export function clusterMetricsText(): () => Promise<string> {
  const aggregator = new AggregatorRegistry();
  return () => aggregator.clusterMetrics();
}

/** In a cluster worker: prom-client answers the primary's requests for this worker's registry (it listens once an AggregatorRegistry exists). */
export function answerClusterMetrics(): void {
  new AggregatorRegistry();
}

/** Pool and export-state gauges for this database; returns their removal. */
export function registerDatabaseGauges(database: Database): () => void {
  collectProcessMetrics();
  return addDatabaseGauges({
    pool: () => poolStats(database),
    exportsByStatus: async () => {
      const rows = await withoutStatementTally(() =>
        systemQuery<{ status: string; count: number }>(database, "metrics: exports by state across every organization", `SELECT status, count(*)::int AS count FROM exports GROUP BY status`),
      );
      return Object.fromEntries(rows.map((row) => [row.status, row.count]));
    },
  });
}

export interface MetricsRouteOptions {
  /** Required as `Authorization: Bearer <token>`; empty: no token asked. */
  token: string;
  /** The text to serve (the instance's, in a cluster). */
  text: () => Promise<string>;
  logger: Logger;
}

function handler({ token, text, logger }: MetricsRouteOptions) {
  const expected = token ? hashSecret(token) : null;
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (expected) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
      if (!match || !sameDigest(hashSecret(match[1]), expected)) {
        sendJsonError(res, 401, ErrorCode.UNAUTHENTICATED, "GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.", { "WWW-Authenticate": 'Bearer realm="metrics"' });
        return;
      }
    }
    try {
      const body = await text();
      res.statusCode = 200;
      res.setHeader("Content-Type", METRICS_CONTENT_TYPE);
      res.setHeader("Cache-Control", "no-store");
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (error) {
      logger.warn("metrics unavailable", { error: String((error as Error)?.message ?? error) });
      sendJsonError(res, 503, ErrorCode.SERVICE_UNAVAILABLE, "Metrics are unavailable right now; retry shortly.", { "Retry-After": "1" });
    }
  };
}

/** GET /metrics on the main port (mounted only when METRICS_TOKEN is set). */
export function metricsRouter(options: MetricsRouteOptions): Router {
  const router = express.Router();
  const serve = handler(options);
  router.get("/metrics", (req, res) => void serve(req, res));
  return router;
}

/** A server of its own on METRICS_PORT: GET /metrics, 404 JSON for anything else. */
export async function startMetricsServer(options: MetricsRouteOptions & { host: string; port: number }): Promise<{ port: number; close(): Promise<void> }> {
  const serve = handler(options);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (path === "/metrics" && (req.method === "GET" || req.method === "HEAD")) void serve(req, res);
    else sendJsonError(res, 404, ErrorCode.NOT_FOUND, "Only GET /metrics is served on this port.");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
