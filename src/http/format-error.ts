/**
 * The one place errors become client-visible. Coded errors keep their message and code;
 * argument validation becomes BAD_USER_INPUT; anything else is masked as
 * INTERNAL_SERVER_ERROR with the request id, and its details go only to the log.
 *
 * Apollo's formatError does not see the request, so masking happens in two steps: formatError
 * masks, and `requestIdPlugin` (which sees the request's context) stamps the id and logs.
 */
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { ArgumentValidationError } from "type-graphql";
import { CodedError, ErrorCode, SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS } from "../shared/errors";
import type { FaultLog } from "../shared/fault-log";
import type { Logger } from "../shared/logger";
import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestContext } from "../graphql";
import { tokenLimitError } from "./query-limits";
import { databaseFault } from "../shared/database-faults";

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

/** The innermost coded error: Apollo wraps validation and resolver errors around ours. */
function findError(error: unknown): { coded: CodedError | null; innermost: unknown } {
  let current = error;
  for (let i = 0; i < 8; i++) {
    if (current instanceof CodedError) return { coded: current, innermost: current };
    const next = (current as { originalError?: unknown } | null)?.originalError;
    if (next == null || next === current) break;
    current = next;
  }
  return { coded: null, innermost: current };
}

/** Messages echo client input (a 1 MB string in a variable); a short one is enough to fix the request. */
const MAX_MESSAGE = 500;
const clip = (message: string) => (message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message);

/** Masked errors waiting for their request id, with what the log needs. */
const masked = new WeakMap<GraphQLFormattedError, { original: unknown; faultMessage: string | null }>();

export function createFormatError() {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const { coded, innermost: original } = findError(error);
    const base = { locations: formatted.locations, path: formatted.path };
    if (coded) {
      const { http: _http, ...extensions } = coded.extensions as Record<string, unknown>;
      return { ...base, message: clip(coded.message), extensions };
    }
    if (original instanceof ArgumentValidationError) {
      return { ...base, message: validationMessage(original), extensions: { code: ErrorCode.BAD_USER_INPUT } };
    }
    const tokens = tokenLimitError(formatted);
    if (tokens) return tokens;
    const code = formatted.extensions?.code;
    // Only GraphQL's own errors are safe: a RangeError (stack overflow) wrapped as a parse failure is not.
    if (typeof code === "string" && APOLLO_SAFE_CODES.has(code) && original instanceof GraphQLError) {
      return { ...base, message: clip(formatted.message), extensions: { code } };
    }
    const fault = databaseFault(original);
    const result: GraphQLFormattedError = {
      ...base,
      message: fault ? `${fault.message}.` : "Internal server error.",
      extensions: { code: fault ? fault.code : ErrorCode.INTERNAL_SERVER_ERROR },
    };
    masked.set(result, { original, faultMessage: fault?.message ?? null });
    return result;
  };
}

/**
 * Puts the request id into each masked error's message and extensions, and logs the details:
 * an unreachable database is counted in `outages` (no stack), anything else logged in full.
 */
export function stampRequestId(errors: readonly GraphQLFormattedError[], requestId: string, logger: Logger, outages: FaultLog): void {
  for (const formatted of errors) {
    const entry = masked.get(formatted);
    if (!entry) continue;
    masked.delete(formatted);
    const { original, faultMessage } = entry;
    if (formatted.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE) outages.note({ requestId, error: original instanceof Error ? original.message : String(original) });
    else logger.error("unhandled error", {
      requestId,
      path: formatted.path,
      error: original instanceof Error ? { name: original.name, message: original.message, stack: original.stack } : String(original),
    });
    const mutable = formatted as { message: string; extensions: Record<string, unknown> };
    mutable.message = `${faultMessage ?? "Internal server error"} (request ${requestId}).`;
    mutable.extensions = { ...mutable.extensions, requestId };
  }
}

/**
 * Runs after formatError, with the request's context: every masked error gets the request id.
 * A request that met an unreachable database (even mid-way, after its context was made)
 * answers 503 with Retry-After, like one refused before execution: it may be retried as a whole.
 */
export function requestIdPlugin(logger: Logger, outages: FaultLog): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind === "single" && response.body.singleResult.errors) {
            const errors = response.body.singleResult.errors;
            stampRequestId(errors, contextValue.requestId, logger, outages);
            if (errors.some((error) => error.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE)) {
              response.http.status = 503;
              response.http.headers.set("retry-after", String(SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS));
            }
          }
        },
      };
    },
  };
}
