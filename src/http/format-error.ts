/**
 * The one place errors become client-visible. Coded errors keep their message and code;
 * argument validation becomes BAD_USER_INPUT; anything else is masked as
 * INTERNAL_SERVER_ERROR with the request id, and its details go only to the log.
 */
import type { GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { ArgumentValidationError } from "type-graphql";
import { CodedError, ErrorCode } from "../shared/errors";
import type { Logger } from "../shared/logger";
import { currentRequestId } from "./request-store";

/** Codes Apollo itself assigns to request-level problems; their messages are safe to show. */
const APOLLO_SAFE_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
]);

function validationMessage(error: ArgumentValidationError): string {
  const messages: string[] = [];
  const walk = (errors: ArgumentValidationError["extensions"]["validationErrors"], prefix: string) => {
    for (const e of errors) {
      const where = prefix ? `${prefix}.${e.property}` : e.property;
      for (const m of Object.values(e.constraints ?? {})) messages.push(m.startsWith(e.property) ? m : `${where}: ${m}`);
      if (e.children?.length) walk(e.children as typeof errors, where);
    }
  };
  walk(error.extensions.validationErrors, "");
  return messages.length ? `Invalid argument: ${messages.join("; ")}.` : "Invalid argument.";
}

export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { locations: formatted.locations, path: formatted.path };
    if (original instanceof CodedError) {
      const { http: _http, ...extensions } = original.extensions as Record<string, unknown>;
      return { ...base, message: original.message, extensions };
    }
    if (original instanceof ArgumentValidationError) {
      return { ...base, message: validationMessage(original), extensions: { code: ErrorCode.BAD_USER_INPUT } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === "string" && APOLLO_SAFE_CODES.has(code)) {
      return { ...base, message: formatted.message, extensions: { code } };
    }
    const requestId = currentRequestId();
    logger.error("unhandled error", {
      requestId,
      path: formatted.path,
      error: original instanceof Error ? { name: original.name, message: original.message, stack: original.stack } : String(original),
    });
    return { ...base, message: `Internal server error (request ${requestId}).`, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId } };
  };
}
