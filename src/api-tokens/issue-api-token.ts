import { systemQuery, type Database, type Role } from "../access";
import { hashSecret, newApiTokenSecret } from "../shared/secrets";

export interface IssuedApiToken {
  id: string;
  /** The only time the secret exists outside the caller's hands. */
  secret: string;
}

/**
 * Creates an API token for any owner and returns its secret: for the demo seed and test
 * fixtures, which act for no viewer. A caller's own tokens are created by
 * ApiTokenRepository.create, scoped to the caller. The secret has 256 random bits, so a plain
 * SHA-256 is a sufficient stored form (no password-style stretching needed).
 */
export async function issueApiToken(
  database: Database,
  input: { organizationId: string; ownerId: string; label: string; role: Role; expiresAt?: Date | null },
): Promise<IssuedApiToken> {
  const secret = newApiTokenSecret();
  const [row] = await systemQuery<{ id: string }>(
    database,
    "seed and fixtures: a token for a given owner, issued by no viewer",
    `INSERT INTO api_tokens (organization_id, owner_id, label, role, secret_hash, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [input.organizationId, input.ownerId, input.label, input.role, hashSecret(secret), input.expiresAt ?? null],
  );
  return { id: row.id, secret };
}
