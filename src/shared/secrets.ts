import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** Prefix that makes API tokens recognisable (and findable by secret scanners). */
export const API_TOKEN_PREFIX = "sg_";

/** 256 random bits: enough that a plain SHA-256 is a sufficient stored form. */
export function newApiTokenSecret(): string {
  return API_TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}
