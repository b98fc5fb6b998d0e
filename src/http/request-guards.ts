/**
 * Checks on the HTTP request before GraphQL sees it. Every refusal is a JSON GraphQL error
 * response with a stable code, never an HTML page, and nothing is executed.
 */
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { ErrorCode } from "../shared/errors";

/** Sends `{ errors: [{ message, extensions: { code } }] }` with `status`. */
export function sendJsonError(res: Response, status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}): void {
  res.status(status).set(headers).type("application/json").send(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/**
 * POST must carry JSON. text/plain, form-encoded and multipart bodies are what a cross-site
 * form can send without a preflight; a missing type is refused for the same reason. (GET is
 * left to Apollo's CSRF prevention, which asks for a preflight-forcing header.)
 */
export const requireJsonPost: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
  if (req.method === "POST" && !req.is(["application/json", "application/graphql-response+json"])) {
    sendJsonError(res, 400, ErrorCode.BAD_REQUEST, "POST /graphql takes a JSON body: send Content-Type: application/json.");
    return;
  }
  next();
};

/** The GraphQL document's size is capped below the 1 MB body limit: big documents are costly to parse. */
export function limitDocumentSize(maxBytes: number): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const body = req.body as unknown;
    const documents = req.method === "GET" ? [req.query.query] : Array.isArray(body) ? body.map((b) => b?.query) : [(body as { query?: unknown } | undefined)?.query];
    if (documents.some((q) => typeof q === "string" && Buffer.byteLength(q) > maxBytes)) {
      sendJsonError(res, 400, ErrorCode.BAD_USER_INPUT, `The GraphQL document is larger than ${maxBytes} bytes.`);
      return;
    }
    next();
  };
}
