import { lowerRole, ScopedTable, type ListArgs, type Role, type ViewerAccess } from "../access";
import { apiTokenCache } from "../auth";
import type { ConnectionValue, KeysetOrder } from "../shared/connection";
import { assertFound, BadUserInputError, ForbiddenError } from "../shared/errors";
import { hashSecret, newApiTokenSecret } from "../shared/secrets";
import { ApiToken } from "./api-token.entity";

/** Newest first. */
const apiTokenOrder: KeysetOrder<ApiToken> = {
  name: "apiTokens", columns: ["created_at", "id"], direction: "DESC", types: ["timestamptz", "uuid"], values: (t) => [t.createdAt, t.id],
};

export const MAX_TOKEN_LABEL_LENGTH = 100;

/** API tokens the viewer may manage: the organization's for admins, their own for others. */
export class ApiTokenRepository {
  readonly table: ScopedTable<ApiToken>;

  constructor(access: ViewerAccess) {
    this.table = new ScopedTable(access, { entity: ApiToken, table: "api_tokens", order: apiTokenOrder });
  }

  private get viewer() {
    return this.table.viewer;
  }

  page(args: ListArgs): Promise<ConnectionValue<ApiToken>> {
    return this.table.page([], args);
  }

  /**
   * Issues a token owned by the viewer, acting with `role` (default: the viewer's own role,
   * never above it). Organization and owner come from the viewer (ScopedTable.insert).
   */
  async create(input: { label: string; role?: Role | null; expiresAt?: Date | null }): Promise<{ token: ApiToken; secret: string }> {
    const label = input.label.trim();
    if (!label || label.length > MAX_TOKEN_LABEL_LENGTH || label.includes("\u0000")) {
      throw new BadUserInputError(`label must be 1 to ${MAX_TOKEN_LABEL_LENGTH} characters.`, { argument: "label" });
    }
    const role = input.role ?? this.viewer.role;
    if (lowerRole(role, this.viewer.role) !== role) throw new ForbiddenError(`A token cannot act above your role (${this.viewer.role}).`);
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw new BadUserInputError("expiresAt must be in the future.", { argument: "expiresAt" });
    }
    // The secret has 256 random bits, so a plain SHA-256 is a sufficient stored form.
    const secret = newApiTokenSecret();
    const token = await this.table.insert({ label, role, secret_hash: hashSecret(secret), expires_at: input.expiresAt ?? null });
    return { token, secret };
  }

  /** Revokes a token the viewer may manage (idempotent: the first revocation time stays). */
  async revoke(id: string): Promise<ApiToken> {
    const token = assertFound(await this.table.update(id, () => "revoked_at = COALESCE(revoked_at, now())"), "API token", id);
    apiTokenCache.forget({ tokenId: token.id });
    return token;
  }
}
