/**
 * Where a webhook may be sent. Only http(s) URLs without credentials, and only to public
 * addresses: loopback, private, link-local, shared (CGNAT), unique-local, multicast and
 * unspecified addresses are refused unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true. The check is on
 * the addresses the name resolves to, when the endpoint is registered and again on the very
 * connection of every delivery (the socket's own lookup), so a name that later resolves to an
 * internal address (DNS rebinding) is refused too.
 */
import dns from "node:dns";
import net from "node:net";

const NON_PUBLIC = new net.BlockList();
for (const [address, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) NON_PUBLIC.addSubnet(address, prefix, "ipv4");
for (const [address, prefix] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["64:ff9b::", 96]] as const) {
  NON_PUBLIC.addSubnet(address, prefix, "ipv6");
}

/** Whether `address` (v4, v6, or v4-mapped v6) is outside the public internet. */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return NON_PUBLIC.check(mapped[1], "ipv4");
  const family = net.isIP(address);
  if (family === 0) return true;
  return NON_PUBLIC.check(address, family === 4 ? "ipv4" : "ipv6");
}

export class WebhookTargetError extends Error {}

export const MAX_WEBHOOK_URL_LENGTH = 2000;

/** The URL as it will be called, or a reason it will not be. */
export function parseWebhookUrl(text: string): URL {
  if (text.length > MAX_WEBHOOK_URL_LENGTH) throw new WebhookTargetError(`url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebhookTargetError("url is not an absolute URL.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new WebhookTargetError("url must be http or https.");
  if (url.username || url.password) throw new WebhookTargetError("url must not carry credentials; the signature authenticates deliveries.");
  if (url.hash) throw new WebhookTargetError("url must not have a fragment.");
  return url;
}

/** Resolves the URL's host and refuses it when any address is not public (unless allowed). */
export async function checkWebhookTarget(url: URL, allowPrivateNetworks: boolean): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = net.isIP(host) ? [host] : await dns.promises.lookup(host, { all: true, verbatim: true }).then(
    (found) => found.map((a) => a.address),
    () => {
      throw new WebhookTargetError(`url's host ${host} does not resolve.`);
    },
  );
  if (!allowPrivateNetworks) {
    const refused = addresses.find(isNonPublicAddress);
    if (refused) throw new WebhookTargetError(`url's host resolves to ${refused}, which is not a public address (see WEBHOOK_ALLOW_PRIVATE_NETWORKS).`);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** A `lookup` for http(s).request that refuses non-public addresses on the connection itself. */
export function guardedLookup(allowPrivateNetworks: boolean) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true, verbatim: true }, (error, found) => {
      if (error) return callback(error, "");
      const addresses = found as dns.LookupAddress[];
      const refused = allowPrivateNetworks ? undefined : addresses.find((a) => isNonPublicAddress(a.address));
      if (refused) return callback(Object.assign(new WebhookTargetError(`refused: ${hostname} resolves to ${refused.address}, not a public address`), { code: "EWEBHOOKTARGET" }), "");
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
