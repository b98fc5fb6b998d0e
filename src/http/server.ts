import http from "node:http";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import cors from "cors";
import { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import type { GraphQLSchema } from "graphql";
import type { DataSource } from "typeorm";
import type { Config } from "../config/config";
import type { RequestContext } from "../context";
import { createAuthenticator } from "../auth";
import { countStatements, currentStatementTally } from "../db/statement-counter";
import type { Logger } from "../shared/logger";
import { createViewerScope, type ScopeServices } from "../scope";
import { createFormatError, requestIdPlugin } from "./format-error";
import { graphiqlRouter } from "./graphiql";
import { healthRouter } from "./health";
import { downloadRouter } from "./downloads";
import type { ObjectStorage } from "../exports/storage";
import type { DownloadLinks, ExportQueue } from "../exports";
import type { SigningKeys } from "../shared/signing";
import { requestIdFor } from "./request-store";
import { queryLimits } from "./query-limits";
import { argumentChecksPlugin } from "./argument-checks";
import { schemaDisclosurePlugin } from "./schema-disclosure";
import { limitDocumentSize, requireJsonPost, sendJsonError } from "./request-guards";
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
  // Express would SHA-1 every GraphQL response for an ETag no client revalidates; downloads set their own.
  app.set("etag", false);
  // Slow clients cannot hold sockets open: the whole request (headers and body) must arrive
  // within REQUEST_TIMEOUT_MS; responses, such as long downloads, are not bounded by it.
  const requestTimeout = config.requestTimeoutMs;
  const httpServer = http.createServer(
    { requestTimeout, headersTimeout: requestTimeout, connectionsCheckingInterval: Math.max(100, Math.min(5000, Math.floor(requestTimeout / 4))) },
    app,
  );
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

  // /graphql first: the hot path does not walk the other routers' layers.
  app.use(
    "/graphql",
    cors({ origin: config.corsOrigins.length ? config.corsOrigins : false, maxAge: 600 }),
    requireJsonPost,
    express.json({ limit: "1mb" }),
    limitDocumentSize(config.maxDocumentBytes),
    (req: Request, res: Response, next: NextFunction) => {
      const requestId = requestIdFor(req.header("x-request-id"));
      res.locals.requestId = requestId;
      res.setHeader("X-Request-Id", requestId);
      // The per-request SQL tally needs AsyncLocalStorage, whose promise hooks cost CPU on every
      // request: only when the count is exposed (tests, diagnostics). After body parsing: stream
      // callbacks would lose the async context, promises keep it.
      if (config.exposeSqlStatementCount) countStatements(next);
      else next();
    },
    expressMiddleware(apollo, {
      context: async ({ req, res }): Promise<RequestContext> => {
        const requestId = res.locals.requestId as string;
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
    }),
  );
  app.use(healthRouter(dataSource));
  app.use(graphiqlRouter());
  app.use(downloadRouter({ dataSource, storage, keys, logger }));
  app.use((_req: Request, res: Response) => {
    res.status(404).type("text").send("Not found");
  });
  // Malformed JSON bodies and other middleware errors: a JSON error, never an HTML stack page.
  app.use((error: Error & { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error("http error", { path: req.path, error: error.message, stack: error.stack });
    // Fixed messages: body-parser's own texts can echo input or internals.
    const message = status === 413 ? "Request body too large (at most 1 MB)." : status === 400 ? "Malformed JSON request body." : status === 500 ? "Internal server error." : "Unusable request body.";
    sendJsonError(res, status, status === 500 ? ErrorCode.INTERNAL_SERVER_ERROR : ErrorCode.BAD_REQUEST, message);
  });

  return {
    app,
    httpServer,
    async stop() {
      await apollo.stop();
    },
  };
}
