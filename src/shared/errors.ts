import { GraphQLError } from "graphql";

/** Stable `extensions.code` values clients may rely on (API.md). */
export const ErrorCode = {
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  BAD_USER_INPUT: "BAD_USER_INPUT",
  NOT_FOUND: "NOT_FOUND",
  SESSION_NOT_CANCELABLE: "SESSION_NOT_CANCELABLE",
  IDEMPOTENCY_KEY_REUSED: "IDEMPOTENCY_KEY_REUSED",
  /** cancelExport on an export that is no longer QUEUED or RUNNING. */
  EXPORT_NOT_CANCELABLE: "EXPORT_NOT_CANCELABLE",
  /** retryExport on an export that is not FAILED or CANCELED. */
  EXPORT_NOT_RETRYABLE: "EXPORT_NOT_RETRYABLE",
  QUERY_TOO_COMPLEX: "QUERY_TOO_COMPLEX",
  /** TRUSTED_DOCUMENTS=enforce: a caller below ADMIN sent a document that is not in the manifest, or sent it as text. */
  DOCUMENT_NOT_TRUSTED: "DOCUMENT_NOT_TRUSTED",
  RATE_LIMITED: "RATE_LIMITED",
  /** The HTTP request itself is unusable: malformed JSON, wrong content type, CSRF-shaped, wrong method. */
  BAD_REQUEST: "BAD_REQUEST",
  /** The database cannot be reached right now; retrying shortly is safe. */
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** How long a client should wait before retrying a request the database could not serve. */
export const SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/** Base of every error whose message is safe to show to the caller. */
export class CodedError extends GraphQLError {
  /** `httpStatus` and `httpHeaders` apply when the error ends the request before execution. */
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}, httpStatus?: number, httpHeaders?: Record<string, string>) {
    const headers = httpHeaders ? new Map(Object.entries(httpHeaders)) : undefined;
    super(message, { extensions: { code, ...extra, ...(httpStatus ? { http: { status: httpStatus, ...(headers ? { headers } : {}) } } : {}) } });
  }
}

export class UnauthenticatedError extends CodedError {
  constructor(message = "Authentication required: send Authorization: Bearer <token>.") {
    super(ErrorCode.UNAUTHENTICATED, message, {}, 401);
  }
}

export class ForbiddenError extends CodedError {
  constructor(message = "Your role does not allow this operation.", httpStatus?: number) {
    super(ErrorCode.FORBIDDEN, message, {}, httpStatus);
  }
}

/** `httpStatus` for refusals before execution (400); errors raised by resolvers keep 200. */
export class BadUserInputError extends CodedError {
  constructor(message: string, extra: Record<string, unknown> = {}, httpStatus?: number) {
    super(ErrorCode.BAD_USER_INPUT, message, extra, httpStatus);
  }
}

export class NotFoundError extends CodedError {
  constructor(what: string, id: string) {
    super(ErrorCode.NOT_FOUND, `${what} ${id} not found.`);
  }
}

/** Narrows `value`; out-of-scope rows arrive here as null and become NOT_FOUND. */
export function assertFound<T>(value: T | null | undefined, what: string, id: string): T {
  if (value == null) throw new NotFoundError(what, id);
  return value;
}

/** A limit checked before execution (depth, aliases, directives, tokens, cost) was exceeded. */
export class QueryTooComplexError extends CodedError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(ErrorCode.QUERY_TOO_COMPLEX, message, extra, 400);
  }
}

export class RateLimitedError extends CodedError {
  constructor(retryAfterSeconds: number) {
    super(ErrorCode.RATE_LIMITED, `Too many failed authentications from your address; retry in ${retryAfterSeconds} s.`, { retryAfterSeconds }, 429, {
      "retry-after": String(retryAfterSeconds),
    });
  }
}

/** The database cannot be reached; the request did nothing and may be retried. */
export class ServiceUnavailableError extends CodedError {
  constructor(message = "The database is unavailable; retry shortly.") {
    super(ErrorCode.SERVICE_UNAVAILABLE, message, {}, 503, { "retry-after": String(SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS) });
  }
}

/** An unexpected failure outside execution (details logged under the request id); never its text. */
export class InternalServerError extends CodedError {
  constructor(requestId: string) {
    super(ErrorCode.INTERNAL_SERVER_ERROR, `Internal server error (request ${requestId}).`, { requestId }, 500);
  }
}
