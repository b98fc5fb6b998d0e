import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * What several gateway processes and instances must agree on about authentication:
 *
 * - `auth_failures`: failed authentications per client address in a fixed window that starts at
 *   the address's first failure (src/auth/auth-failure-limiter.ts upserts it atomically), so a
 *   limit holds across every process rather than per process.
 * - Triggers that announce, on commit, every change that must end a cached API token at once:
 *   a token revoked, re-roled, re-dated or deleted, and a user whose role or company changed or
 *   who was deleted. They fire whatever wrote the row (a mutation, a script, psql), which a
 *   notification sent by the application would miss. Each process listens
 *   (src/auth/auth-events.ts) and drops the matching cache entries.
 */
/** Also named in src/auth/auth-events.ts, which listens on it. */
const AUTH_REVOCATIONS_CHANNEL = "sessiongraph_auth_revocations";

export class AuthCoordination1795480000000 implements MigrationInterface {
  name = "AuthCoordination1795480000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "auth_failures" ("address" text NOT NULL, "failures" integer NOT NULL, "window_started_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, CONSTRAINT "PK_auth_failures" PRIMARY KEY ("address"))`);
    await q.query(`CREATE INDEX "auth_failures_window" ON "auth_failures" ("window_started_at")`);
    await q.query(`
      CREATE FUNCTION notify_auth_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('${AUTH_REVOCATIONS_CHANNEL}', json_build_object(CASE WHEN TG_TABLE_NAME = 'api_tokens' THEN 'tokenId' ELSE 'userId' END, OLD.id)::text);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER api_tokens_auth_revocation AFTER UPDATE OF revoked_at, role, expires_at, owner_id, organization_id ON api_tokens
      FOR EACH ROW WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.role IS DISTINCT FROM NEW.role OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
                         OR OLD.owner_id IS DISTINCT FROM NEW.owner_id OR OLD.organization_id IS DISTINCT FROM NEW.organization_id)
      EXECUTE FUNCTION notify_auth_revocation()`);
    await q.query(`CREATE TRIGGER api_tokens_auth_deletion AFTER DELETE ON api_tokens FOR EACH ROW EXECUTE FUNCTION notify_auth_revocation()`);
    await q.query(`
      CREATE TRIGGER users_auth_revocation AFTER UPDATE OF role, company_id, organization_id ON users
      FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.company_id IS DISTINCT FROM NEW.company_id OR OLD.organization_id IS DISTINCT FROM NEW.organization_id)
      EXECUTE FUNCTION notify_auth_revocation()`);
    await q.query(`CREATE TRIGGER users_auth_deletion AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION notify_auth_revocation()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER users_auth_deletion ON users`);
    await q.query(`DROP TRIGGER users_auth_revocation ON users`);
    await q.query(`DROP TRIGGER api_tokens_auth_deletion ON api_tokens`);
    await q.query(`DROP TRIGGER api_tokens_auth_revocation ON api_tokens`);
    await q.query(`DROP FUNCTION notify_auth_revocation()`);
    await q.query(`DROP TABLE "auth_failures"`);
  }
}
