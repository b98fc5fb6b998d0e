import http from "node:http";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import type { GraphQLSchema } from "graphql";
import type { Config } from "../config/config";
import type { Database, DatabaseRouter } from "../access";
import { AuthFailureLimiter, createAuthenticator } from "../auth";
import { clientAddressResolver, trustFunction } from "./client-address";
import { currentStatementTally } from "../db/statement-counter";
import type { Logger } from "../shared/logger";
import { FaultLog } from "../shared/fault-log";
import { OperationExecutor, requestContextFactory, type RequestContext, type ScopeServices } from "../graphql";
import { createFormatError, requestIdPlugin } from "./format-error";
import { graphiqlRouter } from "./graphiql";
import { healthRouter } from "./health";
import { downloadRouter } from "./downloads";
import type { DownloadLinks, ExportQueue, ObjectStorage } from "../exports";
import type { SigningKeys } from "../shared/signing";
import { queryLimits } from "./query-limits";
import { argumentChecksPlugin } from "./argument-checks";
import { schemaDisclosurePlugin } from "./schema-disclosure";
import { trustedDocuments, type TrustedDocuments, type TrustedDocumentsMode } from "./trusted-documents";
import { sendRequestError } from "./request-guards";
import { graphqlEndpoint, isGraphqlPath } from "./graphql-endpoint";
import { graphqlMetrics, localMetricsText, metricsEnabled, metricsRouter, registerDatabaseGauges } from "./metrics";
import { LSN_HEADER, readRoutingPlugin } from "./read-routing";

export interface HttpServerOptions {
  config: Config;
  /** The primary. */
  database: Database;
  /** Each request's database: the primary, or for queries a read replica. */
  router: DatabaseRouter;
  schema: GraphQLSchema;
  logger: Logger;
  storage: ObjectStorage;
  keys: SigningKeys;
  links: DownloadLinks;
  exportQueue: ExportQueue;
  /** The failure limiter the process's auth listener keeps informed; default: one of its own. */
  authFailures?: AuthFailureLimiter;
  /** The /metrics text (a cluster worker asks its primary for the instance's); default: this process's. */
  metricsText?: () => Promise<string>;
  /** The trusted-documents manifest, hash → text (loadTrustedDocuments; empty when TRUSTED_DOCUMENTS=off). */
  trustedDocuments: Map<string, string>;
}

export interface HttpServer {
  app: Express;
  httpServer: http.Server;
  /** TRUSTED_DOCUMENTS: its mode and the untrusted requests counted since start. */
  trustedDocuments: TrustedDocuments;
  /** Stops taking connections, lets in-flight requests finish, and stops Apollo. */
  stop(): Promise<void>;
}

export async function createHttpServer({ config, database, router, schema, logger, storage, keys, links, exportQueue, authFailures, metricsText, trustedDocuments: documents }: HttpServerOptions): Promise<HttpServer> {
  const app = express();
  app.disable("x-powered-by");
  // No computed ETags (a SHA-1 of each body): downloads set their own.
  app.set("etag", false);
  // req.ip, should a route read it, agrees with the failure limiter's client address.
  app.set("trust proxy", trustFunction(config.trustProxy) ?? false);
  const clientAddress = clientAddressResolver(config.trustProxy);
  // Slow clients cannot hold sockets open: the whole request (headers and body) must arrive
  // within REQUEST_TIMEOUT_MS; responses, such as long downloads, are not bounded by it.
  const requestTimeout = config.requestTimeoutMs;
  // Requests are dispatched below: /graphql to its own handler, the rest to Express.
  const httpServer = http.createServer({ requestTimeout, headersTimeout: requestTimeout, connectionsCheckingInterval: Math.max(100, Math.min(5000, Math.floor(requestTimeout / 4))) });
  const services: ScopeServices = {
    database,
    settings: { sessionGapMinutes: config.sessionGapMinutes, trackBatchLimit: config.trackBatchLimit, exportWaitMs: config.exportWaitMs, webhookAllowPrivateNetworks: config.webhookAllowPrivateNetworks,
      webhookRequireHttps: config.nodeEnv === "production" && !config.webhookAllowPrivateNetworks },
    links,
    exportQueue,
    storage,
  };
  const outages = new FaultLog(logger, "database unavailable");
  const contextFor = requestContextFactory({
    authenticate: createAuthenticator(database, config),
    authFailures: authFailures ?? new AuthFailureLimiter({ database, limit: config.authFailureLimit, windowMs: config.authFailureWindowSeconds * 1000, logger }),
    services,
    router,
    logger,
    outages,
  });
  const limits = queryLimits(config);
  const trusted = trustedDocuments({
    mode: config.trustedDocuments as TrustedDocumentsMode,
    documents,
    logger,
  });
  const metrics = metricsEnabled(config) ? graphqlMetrics(config.metricsMaxOperations) : null;
  const removeGauges = metrics ? registerDatabaseGauges(database, router) : () => undefined;

  const apollo = new ApolloServer<RequestContext>({
    // Execution, compiled or not, is ours (compiled-execution.ts); Apollo does the rest.
    gateway: new OperationExecutor(schema, { compileAfter: config.compiledExecution ? config.compileAfterExecutions : null }).asGateway(),
    // Compact JSON: Apollo's default indents every response, which costs CPU and bytes.
    stringifyResult: (result) => JSON.stringify(result),
    formatError: createFormatError(),
    includeStacktraceInErrorResponses: false,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    // One operation per request: a batch would multiply every limit above.
    allowBatchedHttpRequests: false,
    // Always on: checked per request by schemaDisclosurePlugin (NODE_ENV=production: admins and developers).
    introspection: true,
    // main.ts owns shutdown (HTTP, export queue, database, embedded server, in that order).
    stopOnTerminationSignals: false,
    plugins: [
      // No HTTP cache hints are used; without this plugin no per-field resolver wrapper is installed.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
      // First: a refused document costs no parsing or validation (and Apollo's persisted
      // queries never see an untrusted one).
      trusted.plugin,
      ...limits.plugins,
      argumentChecksPlugin(),
      requestIdPlugin(logger, outages),
      schemaDisclosurePlugin({ production: config.nodeEnv === "production" }),
      ...(metrics ? [metrics.plugin] : []),
      readRoutingPlugin(logger),
      {
        async requestDidStart() {
          return {
            async willSendResponse({ response, contextValue }) {
              const tally = currentStatementTally();
              if (config.exposeSqlStatementCount && tally && response.body.kind === "single") {
                const servedBy = contextValue.route?.servedBy;
                response.body.singleResult.extensions = { ...response.body.singleResult.extensions, sqlStatements: tally.statements, ...(servedBy ? { servedBy } : {}) };
              }
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  const graphql = graphqlEndpoint({
    apollo,
    corsOrigins: config.corsOrigins,
    maxDocumentBytes: config.maxDocumentBytes,
    // Metrics observe statements per request, so they need the tally too.
    countSqlStatements: config.exposeSqlStatementCount || metrics !== null,
    logger,
    context: (req, requestId) => {
      const context = contextFor({ authorization: req.headers.authorization, clientAddress: clientAddress(req), lsn: req.headers[LSN_HEADER] as string | undefined }, requestId);
      if (!metrics) return context;
      const started = performance.now();
      return context.catch((error: unknown) => {
        metrics.contextFailed((req as { body?: { operationName?: unknown } }).body?.operationName, error, started);
        throw error;
      });
    },
  });
  httpServer.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (isGraphqlPath(req.url)) graphql(req, res);
    else app(req, res);
  });

  app.use(healthRouter(database));
  if (config.metricsToken) app.use(metricsRouter({ token: config.metricsToken, text: metricsText ?? localMetricsText, logger }));
  app.use(graphiqlRouter());
  app.use(downloadRouter({ database, storage, keys, logger }));
  app.use((_req: Request, res: Response) => {
    res.status(404).type("text").send("Not found");
  });
  // Malformed JSON bodies and other middleware errors: a JSON error, never an HTML stack page.
  app.use((error: Error & { status?: number }, req: Request, res: Response, _next: NextFunction) => sendRequestError(res, error, req.path, logger));

  return {
    app,
    httpServer,
    trustedDocuments: trusted,
    async stop() {
      removeGauges();
      await apollo.stop();
    },
  };
}
