/**
 * OpenTelemetry traces, only when OTEL_EXPORTER_OTLP_ENDPOINT is set: HTTP (server spans carry
 * the request id as `sessiongraph.request_id`), GraphQL (parse, validate, execute) and PostgreSQL
 * (each statement), exported over OTLP/HTTP (JSON). Without the variable nothing here loads a
 * single OpenTelemetry module: the `require` calls below are never reached.
 *
 * main.ts imports this file first. Instrumentations work by patching `http`, `graphql` and `pg`
 * as they are required, so the SDK must start before any of them loads; a `require` in main.ts
 * after them would trace nothing. (Equally: `node --require ./dist/tracing.js dist/main.js`.)
 *
 * Documents graphql-jit has compiled (src/graphql/compiled-execution.ts) run without graphql's
 * `execute`, so their requests show parse and validate spans and the SQL under the HTTP span.
 */
import type * as SdkNode from "@opentelemetry/sdk-node";
import type * as OtlpHttp from "@opentelemetry/exporter-trace-otlp-http";
import type * as Http from "@opentelemetry/instrumentation-http";
import type * as GraphQL from "@opentelemetry/instrumentation-graphql";
import type * as Pg from "@opentelemetry/instrumentation-pg";
import { loadConfig } from "./config/config";

export interface Tracing {
  /** Sends the spans still buffered and stops; never throws. */
  shutdown(): Promise<void>;
}

/** The span attribute that carries the request id (the X-Request-Id response header). */
export const REQUEST_ID_ATTRIBUTE = "sessiongraph.request_id";

function startTracing(): Tracing | null {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch {
    // main.ts reports the configuration error and exits.
    return null;
  }
  if (!config.otelExporterOtlpEndpoint) return null;
  const { NodeSDK } = require("@opentelemetry/sdk-node") as typeof SdkNode;
  const { OTLPTraceExporter } = require("@opentelemetry/exporter-trace-otlp-http") as typeof OtlpHttp;
  const { HttpInstrumentation } = require("@opentelemetry/instrumentation-http") as typeof Http;
  const { GraphQLInstrumentation } = require("@opentelemetry/instrumentation-graphql") as typeof GraphQL;
  const { PgInstrumentation } = require("@opentelemetry/instrumentation-pg") as typeof Pg;
  const sdk = new NodeSDK({
    serviceName: config.otelServiceName,
    // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (adding /v1/traces) and its other OTEL_* settings.
    traceExporter: new OTLPTraceExporter(),
    // Traces only: metrics are Prometheus's (/metrics), logs are the JSON lines on stderr.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes would be most of the traces and tell nothing.
        ignoreIncomingRequestHook: (req) => /^\/(healthz|readyz|metrics)(\?|$)/.test(req.url ?? ""),
        // The request id is set by the /graphql endpoint on the response; the span ends after it.
        applyCustomAttributesOnSpan: (span, _request, response) => {
          const id = "getHeader" in response ? response.getHeader("x-request-id") : undefined;
          if (id !== undefined) span.setAttribute(REQUEST_ID_ATTRIBUTE, String(id));
        },
      }),
      // One span per resolver would be hundreds per request; parse, validate and execute are kept.
      new GraphQLInstrumentation({ ignoreResolveSpans: true, allowValues: false }),
      // Statements outside a request (the job queue's polling, the LISTEN connection) start no trace.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  return {
    shutdown: () => sdk.shutdown().catch(() => undefined),
  };
}

export const tracing: Tracing | null = startTracing();
