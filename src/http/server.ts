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
import { createFormatError } from "./format-error";
import { graphiqlRouter } from "./graphiql";
import { healthRouter } from "./health";
import { downloadRouter } from "./downloads";
import type { ObjectStorage } from "../exports/storage";
import type { DownloadLinks, ExportQueue } from "../exports";
import type { SigningKeys } from "../shared/signing";
import { currentRequestId, runRequest } from "./request-store";
import { queryLimits } from "./query-limits";
import { argumentChecksPlugin } from "./argument-checks";
import { schemaDisclosurePlugin } from "./schema-disclosure";
import { limitDocumentSize, requireJsonPost, sendJsonError } from "./request-guards";
import { AuthFailureLimiter } from "../auth/auth-failure-limiter";
import { ErrorCode, RateLimitedError, ServiceUnavailableError, UnauthenticatedError } from "../shared/errors";
import { databaseFault } from "./database-faults";

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
    schema,
    formatError: createFormatError(logger),
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

  app.use(healthRouter(dataSource));
  app.use(graphiqlRouter());
  app.use(downloadRouter({ dataSource, storage, keys, logger }));
  app.use(
    "/graphql",
    cors({ origin: config.corsOrigins.length ? config.corsOrigins : false, maxAge: 600 }),
    requireJsonPost,
    express.json({ limit: "1mb" }),
    limitDocumentSize(config.maxDocumentBytes),
    // After body parsing: stream callbacks would lose the async context, promises keep it.
    (req: Request, res: Response, next: NextFunction) => {
      runRequest(req.header("x-request-id"), ({ requestId }) => {
        res.setHeader("X-Request-Id", requestId);
        countStatements(next);
      });
    },
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<RequestContext> => {
        const address = req.socket.remoteAddress ?? "unknown";
        if (req.headers.authorization) {
          const retryAfter = authFailures.retryAfterSeconds(address);
          if (retryAfter > 0) throw new RateLimitedError(retryAfter);
        }
        const viewer = await authenticate(req.headers.authorization).catch((error: unknown) => {
          if (error instanceof UnauthenticatedError) authFailures.recordFailure(address);
          else if (databaseFault(error)?.code === ErrorCode.SERVICE_UNAVAILABLE) {
            logger.warn("database unavailable", { requestId: currentRequestId(), error: String((error as Error)?.message ?? error) });
            throw new ServiceUnavailableError();
          }
          throw error;
        });
        return {
          requestId: currentRequestId() ?? "",
          logger,
          scope: viewer ? createViewerScope(dataSource.manager, viewer, scopeServices) : null,
        };
      },
    }),
  );
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
