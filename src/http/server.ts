import http from "node:http";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import type { GraphQLSchema } from "graphql";
import type { DataSource } from "typeorm";
import type { Config } from "../config/config";
import type { RequestContext } from "../context";
import { createAuthenticator } from "../auth";
import { currentStatementTally } from "../db/statement-counter";
import type { Logger } from "../shared/logger";
import { createViewerScope, type ScopeServices } from "../scope";
import { createFormatError, requestIdPlugin } from "./format-error";
import { graphiqlRouter } from "./graphiql";
import { healthRouter } from "./health";
import { downloadRouter } from "./downloads";
import type { ObjectStorage } from "../exports/storage";
import type { DownloadLinks, ExportQueue } from "../exports";
import type { SigningKeys } from "../shared/signing";
import { queryLimits } from "./query-limits";
import { argumentChecksPlugin } from "./argument-checks";
import { schemaDisclosurePlugin } from "./schema-disclosure";
import { sendRequestError } from "./request-guards";
import { graphqlEndpoint, isGraphqlPath } from "./graphql-endpoint";
import { AuthFailureLimiter } from "../auth/auth-failure-limiter";
import { CodedError, ErrorCode, InternalServerError, RateLimitedError, ServiceUnavailableError, UnauthenticatedError } from "../shared/errors";
import { databaseFault } from "./database-faults";
import { OperationExecutor } from "./compiled-execution";

export interface HttpServerOptions {
  config: Config;
  dataSource: DataSource;
  schema: GraphQLSchema;
  logger: Logger;
  storage: ObjectStorage;
  keys: SigningKeys;
  links: DownloadLinks;
  exportQueue: ExportQueue;
}

export interface HttpServer {
  app: Express;
  httpServer: http.Server;
  /** Stops taking connections, lets in-flight requests finish, and stops Apollo. */
  stop(): Promise<void>;
}

export async function createHttpServer({ config, dataSource, schema, logger, storage, keys, links, exportQueue }: HttpServerOptions): Promise<HttpServer> {
  const app = express();
  app.disable("x-powered-by");
  // No computed ETags (a SHA-1 of each body): downloads set their own.
  app.set("etag", false);
  // Slow clients cannot hold sockets open: the whole request (headers and body) must arrive
  // within REQUEST_TIMEOUT_MS; responses, such as long downloads, are not bounded by it.
  const requestTimeout = config.requestTimeoutMs;
  // Requests are dispatched below: /graphql to its own handler, the rest to Express.
  const httpServer = http.createServer({ requestTimeout, headersTimeout: requestTimeout, connectionsCheckingInterval: Math.max(100, Math.min(5000, Math.floor(requestTimeout / 4))) });
  const authenticate = createAuthenticator(dataSource, config);
  const scopeServices: ScopeServices = {
    settings: { sessionGapMinutes: config.sessionGapMinutes, trackBatchLimit: config.trackBatchLimit, exportWaitMs: config.exportWaitMs },
    links,
    exportQueue,
    storage,
  };

  const limits = queryLimits(config);
  const authFailures = new AuthFailureLimiter({ limit: config.authFailureLimit, windowMs: config.authFailureWindowSeconds * 1000 });

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
      ...limits.plugins,
      argumentChecksPlugin(),
      requestIdPlugin(logger),
      schemaDisclosurePlugin({ production: config.nodeEnv === "production" }),
      {
        async requestDidStart() {
          return {
            async willSendResponse({ response }) {
              const tally = currentStatementTally();
              if (config.exposeSqlStatementCount && tally && response.body.kind === "single") {
                response.body.singleResult.extensions = { ...response.body.singleResult.extensions, sqlStatements: tally.statements };
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
    countSqlStatements: config.exposeSqlStatementCount,
    logger,
    context: async (req, requestId): Promise<RequestContext> => {
      const address = req.socket.remoteAddress ?? "unknown";
      if (req.headers.authorization) {
        const retryAfter = authFailures.retryAfterSeconds(address);
        if (retryAfter > 0) throw new RateLimitedError(retryAfter);
      }
      const viewer = await authenticate(req.headers.authorization).catch((error: unknown) => {
        if (error instanceof UnauthenticatedError) authFailures.recordFailure(address);
        else if (databaseFault(error)?.code === ErrorCode.SERVICE_UNAVAILABLE) {
          logger.warn("database unavailable", { requestId, error: String((error as Error)?.message ?? error) });
          throw new ServiceUnavailableError();
        }
        if (error instanceof CodedError) throw error;
        // No request pipeline runs after a failed context, so the id is stamped here.
        logger.error("unhandled error", { requestId, error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error) });
        throw new InternalServerError(requestId);
      });
      return {
        requestId,
        logger,
        scope: viewer ? createViewerScope(dataSource.manager, viewer, scopeServices) : null,
      };
    },
  });
  httpServer.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (isGraphqlPath(req.url)) graphql(req, res);
    else app(req, res);
  });

  app.use(healthRouter(dataSource));
  app.use(graphiqlRouter());
  app.use(downloadRouter({ dataSource, storage, keys, logger }));
  app.use((_req: Request, res: Response) => {
    res.status(404).type("text").send("Not found");
  });
  // Malformed JSON bodies and other middleware errors: a JSON error, never an HTML stack page.
  app.use((error: Error & { status?: number }, req: Request, res: Response, _next: NextFunction) => sendRequestError(res, error, req.path, logger));

  return {
    app,
    httpServer,
    async stop() {
      await apollo.stop();
    },
  };
}
