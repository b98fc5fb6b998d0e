/**
 * The client's address, as TRUST_PROXY says to read it. Behind a load balancer the socket's
 * address is the balancer's, so every client would share one failure limit; the client's own
 * address is then the nearest X-Forwarded-For entry that was not added by a trusted proxy.
 * proxy-addr walks the header (Express's `req.ip` is the same function); without TRUST_PROXY the
 * header is ignored, because any client can write it.
 */
import type { IncomingMessage } from "node:http";
import proxyaddr from "proxy-addr";
import { parseTrustProxy } from "../config/config";

export type ClientAddress = (req: IncomingMessage) => string;

/** proxy-addr's trust function for TRUST_PROXY (Express compiles `trust proxy` the same way), or null when off. */
export function trustFunction(trustProxy: string): ((address: string, hop: number) => boolean) | null {
  const parsed = parseTrustProxy(trustProxy);
  switch (parsed.kind) {
    case "off":
      return null;
    case "all":
      return () => true;
    case "hops":
      return (_address, hop) => hop < parsed.hops;
    case "list":
      return proxyaddr.compile(parsed.list);
  }
}

export function clientAddressResolver(trustProxy: string): ClientAddress {
  const trust = trustFunction(trustProxy);
  if (!trust) return (req) => req.socket.remoteAddress ?? "unknown";
  return (req) => proxyaddr(req as Parameters<typeof proxyaddr>[0], trust);
}
