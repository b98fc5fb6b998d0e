/**
 * Checks on the HTTP request before GraphQL sees it. Every refusal is a JSON GraphQL error
 * response with a stable code, never an HTML page, and nothing is executed.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import typeis from "type-is";
import { ErrorCode } from "../shared/errors";
import type { Logger } from "../shared/logger";

/** Sends `{ errors: [{ message, extensions: { code } }] }` with `status`. */
export function sendJsonError(res: ServerResponse, status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/**
 * POST must carry JSON. text/plain, form-encoded and multipart bodies are what a cross-site
 * form can send without a preflight; a missing type is refused for the same reason. (GET is
 * left to Apollo's CSRF prevention, which asks for a preflight-forcing header.)
 */
export function refuseNonJsonPost(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === "POST" && !typeis(req, ["application/json", "application/graphql-response+json"])) {
    sendJsonError(res, 400, ErrorCode.BAD_REQUEST, "POST /graphql takes a JSON body: send Content-Type: application/json.");
    return true;
  }
  return false;
}

/** The GraphQL document's size is capped below the 1 MB body limit: big documents are costly to parse. */
export function refuseLargeDocument(req: IncomingMessage & { body?: unknown }, search: URLSearchParams, res: ServerResponse, maxBytes: number): boolean {
  const body = req.body;
  const documents = req.method === "GET" ? search.getAll("query") : Array.isArray(body) ? body.map((b) => b?.query) : [(body as { query?: unknown } | undefined)?.query];
  if (documents.some((q) => typeof q === "string" && Buffer.byteLength(q) > maxBytes)) {
    sendJsonError(res, 400, ErrorCode.BAD_USER_INPUT, `The GraphQL document is larger than ${maxBytes} bytes.`);
    return true;
  }
  return false;
}

/**
 * Malformed JSON bodies and other body and middleware errors: a JSON error, never an HTML
 * stack page. Messages are fixed: body-parser's own texts can echo input or internals.
 */
/** The body-parser error type of a body that is not valid UTF-8 (graphql-endpoint.ts). */
export const INVALID_UTF8 = "body.invalid-utf8";

export function sendRequestError(res: ServerResponse, error: Error & { status?: number; type?: string }, path: string, logger: Logger): void {
  const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
  if (status === 500) logger.error("http error", { path, error: error.message, stack: error.stack });
  const message =
    error.type === INVALID_UTF8
      ? "The request body is not valid UTF-8."
      : status === 413
        ? "Request body too large (at most 1 MB)."
        : status === 400
          ? "Malformed JSON request body."
          : status === 500
            ? "Internal server error."
            : "Unusable request body.";
  sendJsonError(res, status, status === 500 ? ErrorCode.INTERNAL_SERVER_ERROR : ErrorCode.BAD_REQUEST, message);
}
