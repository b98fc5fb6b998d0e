import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

/** Per-request facts reachable from anywhere in the request's async chain (error formatting, logs). */
export interface RequestFacts {
  requestId: string;
}

const store = new AsyncLocalStorage<RequestFacts>();

const CLIENT_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** Runs `fn` as one request. A client's X-Request-Id is reused only when short and plain; otherwise a UUID. */
export function runRequest<T>(clientRequestId: string | undefined, fn: (facts: RequestFacts) => T): T {
  const facts = { requestId: clientRequestId && CLIENT_ID.test(clientRequestId) ? clientRequestId : randomUUID() };
  return store.run(facts, () => fn(facts));
}

export function currentRequestId(): string | undefined {
  return store.getStore()?.requestId;
}
