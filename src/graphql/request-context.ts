/** The per-request context of the GraphQL server, and how it is made from a request's credentials. */
import type { AuthenticatedContext, AuthFailureLimiter, Authenticator } from "../auth";
import { databaseFault } from "../shared/database-faults";
import { CodedError, ErrorCode, InternalServerError, RateLimitedError, ServiceUnavailableError, UnauthenticatedError } from "../shared/errors";
import type { FaultLog } from "../shared/fault-log";
import type { Logger } from "../shared/logger";
import { RequestScope, type ScopeServices } from "./request-scope";

export interface RequestContext extends AuthenticatedContext {
  requestId: string;
  logger: Logger;
  /** Null for a request without credentials; resolvers reach it only through @CurrentScope. */
  scope: RequestScope | null;
}

/** What a request brings that decides its context: its credentials and the client's address. */
export interface RequestCredentials {
  /** The Authorization header, if any. */
  authorization: string | undefined;
  /** The client's address (TRUST_PROXY decides whether X-Forwarded-For names it), for the failed-authentication limit. */
  clientAddress: string;
}

export interface RequestContextOptions {
  authenticate: Authenticator;
  authFailures: AuthFailureLimiter;
  services: ScopeServices;
  logger: Logger;
  /** Where requests refused for an unreachable database are counted (one line per interval). */
  outages: FaultLog;
}

/**
 * The context of each GraphQL request: the caller authenticated (RATE_LIMITED while its address
 * is over the failure limit, SERVICE_UNAVAILABLE when the database cannot be reached) and its
 * request scope bound to the viewer.
 */
export function requestContextFactory({ authenticate, authFailures, services, logger, outages }: RequestContextOptions) {
  return async ({ authorization, clientAddress }: RequestCredentials, requestId: string): Promise<RequestContext> => {
    if (authorization) {
      const retryAfter = authFailures.retryAfterSeconds(clientAddress);
      if (retryAfter > 0) throw new RateLimitedError(retryAfter);
    }
    const viewer = await authenticate(authorization).catch(async (error: unknown) => {
      // Counted before answering, so the next request anywhere already sees this failure.
      if (error instanceof UnauthenticatedError) await authFailures.recordFailure(clientAddress);
      else if (databaseFault(error)?.code === ErrorCode.SERVICE_UNAVAILABLE) {
        outages.note({ requestId, error: String((error as Error)?.message ?? error) });
        throw new ServiceUnavailableError();
      }
      if (error instanceof CodedError) throw error;
      // No request pipeline runs after a failed context, so the id is stamped here.
      logger.error("unhandled error", { requestId, error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error) });
      throw new InternalServerError(requestId);
    });
    return { requestId, logger, scope: viewer ? new RequestScope(viewer, services) : null };
  };
}
