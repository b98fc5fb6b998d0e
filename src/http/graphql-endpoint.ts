/**
 * /graphql on Node's own request and response, without Express.
 *
 * This is the one hot path, and Express cost it a visible share of a worker's CPU per request: its
 * router walking layers, the request and response prototypes it swaps in, and `res.send`
 * turning the body into a Buffer for an ETag we turn off. The steps are those of Apollo's own
 * standalone server: CORS, our request guards, body-parser's JSON, then
 * `executeHTTPGraphQLRequest`. Every other route stays on Express (server.ts).
 */
import { isUtf8 } from "node:buffer";
import type { IncomingMessage, ServerResponse } from "node:http";
import cors from "cors";
import express from "express";
import { HeaderMap, type ApolloServer } from "@apollo/server";
import type { RequestContext } from "../graphql";
import type { Logger } from "../shared/logger";
import { countStatements } from "../db/statement-counter";
import { requestIdFor } from "./request-store";
import { INVALID_UTF8, refuseLargeDocument, refuseNonJsonPost, sendRequestError } from "./request-guards";

export interface GraphqlEndpointOptions {
  apollo: ApolloServer<RequestContext>;
  corsOrigins: string[];
  maxDocumentBytes: number;
  /** Counts each request's SQL statements (AsyncLocalStorage: only when they are exposed). */
  countSqlStatements: boolean;
  context: (req: IncomingMessage, requestId: string) => Promise<RequestContext>;
  logger: Logger;
}

type BodyRequest = IncomingMessage & { body?: unknown };

/** Whether a request's path is /graphql (or below it, as Express's mount matched it). */
export function isGraphqlPath(url: string | undefined): boolean {
  const path = (url ?? "").slice(0, 9).toLowerCase();
  return path === "/graphql" || path === "/graphql/" || path === "/graphql?";
}

export function graphqlEndpoint({ apollo, corsOrigins, maxDocumentBytes, countSqlStatements, context, logger }: GraphqlEndpointOptions) {
  // Browsers show scripts only the response headers named here: the request id, and the WAL
  // position a mutation hands back for read-your-writes (read-routing.ts).
  const allowCors = cors({ origin: corsOrigins.length ? corsOrigins : false, maxAge: 600, exposedHeaders: ["X-Request-Id", "X-Sessiongraph-Lsn"] });
  const parseJson = express.json({
    limit: "1mb",
    // JSON is UTF-8: a body that is not is refused, not decoded with replacement characters.
    verify: (_req, _res, body) => {
      if (!isUtf8(body)) throw Object.assign(new Error("The request body is not valid UTF-8."), { status: 400, type: INVALID_UTF8 });
    },
  });

  async function execute(req: BodyRequest, res: ServerResponse, search: string): Promise<void> {
    const requestId = requestIdFor(req.headers["x-request-id"] as string | undefined);
    res.setHeader("X-Request-Id", requestId);
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method!.toUpperCase(), headers, search, body: req.body },
      context: () => context(req, requestId),
    });
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === "complete") {
      // One string: Node sends it with the headers in a single write.
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  return (req: BodyRequest, res: ServerResponse): void => {
    const fail = (error: Error) => sendRequestError(res, error, "/graphql", logger);
    allowCors(req, res, (corsError?: Error) => {
      if (corsError) return fail(corsError);
      if (refuseNonJsonPost(req, res)) return;
      parseJson(req, res, (bodyError?: Error) => {
        if (bodyError) return fail(bodyError);
        const queryStart = req.url!.indexOf("?");
        const search = queryStart < 0 ? "" : req.url!.slice(queryStart);
        if (refuseLargeDocument(req, new URLSearchParams(search), res, maxDocumentBytes)) return;
        // After body parsing: stream callbacks would lose the async context, promises keep it.
        const run = () =>
          execute(req, res, search).catch((error: Error) => {
            if (!res.headersSent) return fail(error);
            logger.error("http error", { path: "/graphql", error: error.message, stack: error.stack });
            res.destroy();
          });
        if (countSqlStatements) countStatements(run);
        else void run();
      });
    });
  };
}
