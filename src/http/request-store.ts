import { randomUUID } from "node:crypto";

const CLIENT_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/**
 * The request's id: a client's X-Request-Id is reused only when short and plain; otherwise a UUID.
 * It travels in the GraphQL context and on `res.locals`, not in AsyncLocalStorage: async hooks on
 * every promise cost more CPU than a whole small query.
 */
export function requestIdFor(clientRequestId: string | undefined): string {
  return clientRequestId && CLIENT_ID.test(clientRequestId) ? clientRequestId : randomUUID();
}
