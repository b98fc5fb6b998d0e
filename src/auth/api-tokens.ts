import type { EntityManager } from "typeorm";
import { API_TOKEN_PREFIX, hashSecret, newApiTokenSecret, sameDigest } from "../shared/secrets";
import { Role } from "./role";

export { API_TOKEN_PREFIX, hashSecret, sameDigest };

export interface IssuedApiToken {
  id: string;
  /** The only time the secret exists outside the caller's hands. */
  secret: string;
}

/**
 * Creates an API token for `ownerId` and returns its secret. The secret has 256 random bits,
 * so a plain SHA-256 is a sufficient stored form (no password-style stretching needed).
 * Organization and owner come from the caller, never from client input.
 */
export async function issueApiToken(
  manager: EntityManager,
  input: { organizationId: string; ownerId: string; label: string; role: Role; expiresAt?: Date | null },
): Promise<IssuedApiToken> {
  const secret = newApiTokenSecret();
  const [row] = await manager.query(
    `INSERT INTO api_tokens (organization_id, owner_id, label, role, secret_hash, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [input.organizationId, input.ownerId, input.label, input.role, hashSecret(secret), input.expiresAt ?? null],
  );
  return { id: row.id, secret };
}
