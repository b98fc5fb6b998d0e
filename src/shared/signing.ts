/**
 * Signed URLs as capabilities: an HMAC-SHA256 over method, path, expiry and key id, checked in
 * constant time. Several keys are accepted (rotation: add the new key, switch signing to it,
 * drop the old one once its URLs have expired); one key signs.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** The hard maximum lifetime of a signed URL: 7 days. */
export const MAX_URL_LIFETIME_SECONDS = 7 * 24 * 3600;

export interface SigningKeys {
  /** Key id → secret. */
  keys: ReadonlyMap<string, Buffer>;
  /** The key id new URLs are signed with. */
  activeKeyId: string;
}

export type SignatureProblem = "missing" | "malformed" | "unknown-key" | "bad-signature" | "expired" | "too-far";

/** Why a URL was refused, in a few plain words (the 403 body). */
export const SIGNATURE_PROBLEMS: Record<SignatureProblem, string> = {
  missing: "Missing signature: the URL needs expires, kid and sig.",
  malformed: "Malformed signature parameters.",
  "unknown-key": "Unknown signing key.",
  "bad-signature": "Invalid signature.",
  expired: "This link has expired; ask for a new one.",
  "too-far": "Expiry beyond the maximum link lifetime.",
};

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Parses `kid:secret[,kid:secret...]` (secrets base64 or base64url, at least 32 bytes).
 * Throws an Error naming the problem; never echoes a secret.
 */
export function parseSigningKeys(spec: string, activeKeyId?: string): SigningKeys {
  const keys = new Map<string, Buffer>();
  for (const entry of spec.split(",").map((s) => s.trim()).filter(Boolean)) {
    const colon = entry.indexOf(":");
    const kid = colon > 0 ? entry.slice(0, colon) : "";
    if (!KEY_ID.test(kid)) throw new Error("each signing key must be kid:secret with a kid of letters, digits, _ or - (at most 32)");
    const secret = Buffer.from(entry.slice(colon + 1), "base64");
    if (secret.length < 32) throw new Error(`signing key "${kid}" must have at least 32 bytes (base64)`);
    if (keys.has(kid)) throw new Error(`signing key "${kid}" is listed twice`);
    keys.set(kid, secret);
  }
  if (keys.size === 0) throw new Error("no signing key given");
  const active = activeKeyId || [...keys.keys()][0];
  if (!keys.has(active)) throw new Error(`the active signing key "${active}" is not among the keys`);
  return { keys, activeKeyId: active };
}

/** A fresh `kid:secret` entry (for the embedded default and for operators rotating keys). */
export function newSigningKeySpec(kid: string): string {
  return `${kid}:${randomBytes(32).toString("base64")}`;
}

function mac(secret: Buffer, method: string, path: string, expires: number, kid: string): Buffer {
  return createHmac("sha256", secret).update(`${method.toUpperCase()}\n${path}\n${expires}\n${kid}`).digest();
}

export interface SignedQuery {
  expires: number;
  kid: string;
  sig: string;
}

/** Signs `method path` until `expiresAt` (clamped to now + the hard maximum). */
export function sign(keys: SigningKeys, method: string, path: string, expiresAt: Date): SignedQuery {
  const expires = Math.min(Math.floor(expiresAt.getTime() / 1000), Math.floor(Date.now() / 1000) + MAX_URL_LIFETIME_SECONDS);
  const kid = keys.activeKeyId;
  return { expires, kid, sig: mac(keys.keys.get(kid)!, method, path, expires, kid).toString("base64url") };
}

/**
 * Checks a signed request; null when valid, else the problem. Never throws. The signature is
 * compared in constant time, and only after its length is known to be right.
 */
export function verify(
  keys: SigningKeys,
  method: string,
  path: string,
  query: Record<string, unknown>,
  now = Date.now(),
): SignatureProblem | null {
  const { expires, kid, sig } = query;
  if (expires === undefined || kid === undefined || sig === undefined) return "missing";
  if (typeof expires !== "string" || typeof kid !== "string" || typeof sig !== "string" || !/^\d{1,12}$/.test(expires) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) {
    return "malformed";
  }
  const secret = keys.keys.get(kid);
  if (!secret) return "unknown-key";
  const given = Buffer.from(sig, "base64url");
  const expected = mac(secret, method, path, Number(expires), kid);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "bad-signature";
  const seconds = Number(expires);
  if (seconds * 1000 <= now) return "expired";
  if (seconds * 1000 > now + (MAX_URL_LIFETIME_SECONDS + 60) * 1000) return "too-far";
  return null;
}
