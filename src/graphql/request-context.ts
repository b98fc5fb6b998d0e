/** The per-request context of the GraphQL server, and how it is made from a request's credentials. */
import type { DatabaseRouter, ReadRoute } from "../access";
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
  /**
   * Where the request's SQL runs (src/access/read-routing.ts): told by the HTTP layer whether
   * the operation is a read, asked after a write for the position to hand back. Null without
   * read replicas or without credentials (everything on the primary).
   */
  route: ReadRoute | null;
}

/** What a request brings that decides its context: its credentials, the client's address, and what it must read. */
export interface RequestCredentials {
  /** The Authorization header, if any. */
  authorization: string | undefined;
  /** The client's address (TRUST_PROXY decides whether X-Forwarded-For names it), for the failed-authentication limit. */
  clientAddress: string;
  /** The X-Sessiongraph-Lsn header: a WAL position from an earlier write that the reads must include. */
  lsn?: string;
}

export interface RequestContextOptions {
  authenticate: Authenticator;
  authFailures: AuthFailureLimiter;
  services: ScopeServices;
  /** Picks each request's database: the primary, or for reads a replica (read-routing.ts). */
  router: DatabaseRouter;
  logger: Logger;
  /** Where requests refused for an unreachable database are counted (one line per interval). */
  outages: FaultLog;
}

/**
 * The context of each GraphQL request: the caller authenticated (RATE_LIMITED while its address
 * is over the failure limit, SERVICE_UNAVAILABLE when the database cannot be reached) and its
 * request scope bound to the viewer.
 */
export function requestContextFactory({ authenticate, authFailures, services, router, logger, outages }: RequestContextOptions) {
  return async ({ authorization, clientAddress, lsn }: RequestCredentials, requestId: string): Promise<RequestContext> => {
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
    if (!viewer) return { requestId, logger, scope: null, route: null };
    // Authentication above ran on the primary; the route decides for the request's own statements.
    const route = router.forRequest(viewer, lsn);
    return { requestId, logger, scope: new RequestScope(viewer, services, route ?? services.database), route };
  };
}
