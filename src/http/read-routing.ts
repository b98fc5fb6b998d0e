/**
 * The HTTP side of read replicas (the routing itself is src/access/read-routing.ts): tells each
 * request's route whether its operation is a read, and hands a write's WAL position back to the
 * client in the X-Sessiongraph-Lsn header. A client that sends that header with later requests
 * reads its own writes from whichever gateway instance answers (README, "Read replicas").
 */
import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestContext } from "../graphql";
import type { Logger } from "../shared/logger";

/** Response header after a mutation, request header on later reads (lower case, as Node gives headers). */
export const LSN_HEADER = "x-sessiongraph-lsn";

export function readRoutingPlugin(logger: Logger): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      let kind: string | undefined;
      return {
        // Only a query may read from a replica: a mutation (and anything whose operation was never
        // resolved) stays on the primary, which is where a route starts.
        async didResolveOperation({ operation, contextValue }) {
          kind = operation?.operation;
          if (kind === "query") contextValue.route?.readOnly();
        },
        async willSendResponse({ contextValue, response }) {
          const route = contextValue.route;
          // Failed mutations too: a batch of tracked events may have written part of itself.
          if (!route || kind !== "mutation") return;
          try {
            response.http.headers.set(LSN_HEADER, await route.wrote());
          } catch (error) {
            // The answer stands; without the header the client's next read may come from the primary or a lagging replica.
            logger.warn("could not read the primary's WAL position after a mutation", { requestId: contextValue.requestId, error: error instanceof Error ? error.message : String(error) });
          }
        },
      };
    },
  };
}
