/**
 * Turns an Authorization header into a Viewer. Never returns data for bad credentials:
 * unknown, expired or revoked API tokens and any JWT that fails verification throw
 * UnauthenticatedError with a reason that reveals nothing about which tokens exist.
 */
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { Config } from "../config/config";
import { UnauthenticatedError } from "../shared/errors";
import { isUuid } from "../shared/sql";
import { API_TOKEN_PREFIX, hashSecret, sameDigest } from "../shared/secrets";
import { Role, lowerRole, systemQuery, type Database, type Viewer } from "../access";
import { withoutStatementTally } from "../db/statement-counter";
import { apiTokenCache } from "./api-token-cache";

export type Authenticator = (authorization: string | undefined) => Promise<Viewer | null>;

type JwtKey = Uint8Array | JWTVerifyGetKey;

function jwtVerifier(config: Config): { key: JwtKey; algorithms: string[] } | null {
  if (config.jwtJwksUrl) {
    return {
      key: createRemoteJWKSet(new URL(config.jwtJwksUrl)),
      algorithms: config.jwtAlgorithms.length ? config.jwtAlgorithms : ["RS256", "ES256"],
    };
  }
  if (config.jwtSecret) {
    return { key: new TextEncoder().encode(config.jwtSecret), algorithms: config.jwtAlgorithms.length ? config.jwtAlgorithms : ["HS256"] };
  }
  return null;
}

export function createAuthenticator(database: Database, config: Config): Authenticator {
  const jwt = jwtVerifier(config);

  async function fromApiToken(secret: string): Promise<Viewer> {
    const digest = hashSecret(secret);
    const cached = apiTokenCache.get(digest, config.authCacheSeconds * 1000);
    if (cached) {
      if (cached.expiresAt !== null && cached.expiresAt <= Date.now()) throw new UnauthenticatedError("This API token has expired.");
      recordUse(cached.viewer.apiTokenId!);
      return cached.viewer;
    }
    const [row] = await systemQuery(
      database,
      "authentication: a token is looked up by its digest before anyone is known",
      `SELECT t.id, t.organization_id, t.owner_id, t.role, t.secret_hash, t.expires_at, t.revoked_at,
              u.role AS owner_role, u.company_id
         FROM api_tokens t JOIN users u ON u.id = t.owner_id AND u.organization_id = t.organization_id
        WHERE t.secret_hash = $1`,
      [digest],
    );
    if (!row || !sameDigest(row.secret_hash, digest)) throw new UnauthenticatedError("Invalid API token.");
    if (row.revoked_at) throw new UnauthenticatedError("This API token has been revoked.");
    if (row.expires_at && row.expires_at.getTime() <= Date.now()) throw new UnauthenticatedError("This API token has expired.");
    const viewer: Viewer = {
      organizationId: row.organization_id,
      userId: row.owner_id,
      companyId: row.company_id,
      role: lowerRole(row.role as Role, row.owner_role as Role),
      authenticatedBy: "API_TOKEN",
      apiTokenId: row.id,
    };
    if (config.authCacheSeconds > 0) apiTokenCache.set(digest, viewer, row.expires_at);
    recordUse(row.id);
    return viewer;
  }

  /** Recording use is bookkeeping: at most once a minute per token, never delaying or counting against the request. */
  function recordUse(tokenId: string): void {
    if (!apiTokenCache.shouldRecordUse(tokenId)) return;
    withoutStatementTally(() => {
      systemQuery(
        database,
        "authentication: records a verified token's use",
        `UPDATE api_tokens SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
        [tokenId],
      ).catch(() => undefined);
    });
  }

  async function fromJwt(token: string): Promise<Viewer> {
    if (!jwt) throw new UnauthenticatedError("JWTs are not accepted by this gateway; use an API token.");
    let subject: string | undefined;
    try {
      const { payload } = await jwtVerify(token, jwt.key as Uint8Array, {
        algorithms: jwt.algorithms,
        issuer: config.jwtIssuer,
        audience: config.jwtAudience,
        requiredClaims: ["sub", "exp"],
      });
      subject = payload.sub;
    } catch {
      throw new UnauthenticatedError("Invalid or expired JWT.");
    }
    if (!subject || !isUuid(subject)) throw new UnauthenticatedError("Invalid or expired JWT.");
    const [user] = await systemQuery(database, "authentication: a verified JWT's subject becomes a viewer", `SELECT id, organization_id, company_id, role FROM users WHERE id = $1`, [subject]);
    if (!user) throw new UnauthenticatedError("Invalid or expired JWT.");
    return {
      organizationId: user.organization_id,
      userId: user.id,
      companyId: user.company_id,
      role: user.role as Role,
      authenticatedBy: "JWT",
      apiTokenId: null,
    };
  }

  return async (authorization) => {
    if (!authorization) return null;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw new UnauthenticatedError("Authorization must be 'Bearer <token>'.");
    const token = match[1];
    if (token.startsWith(API_TOKEN_PREFIX)) return await fromApiToken(token);
    if (token.split(".").length === 3) return await fromJwt(token);
    throw new UnauthenticatedError("Invalid API token.");
  };
}
