import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Session search also matches what the row shows as who ran it: an API token's label, an
 * anonymous run's label, the user's email. Trigram indexes, so each branch of the search's OR
 * stays an index condition.
 */
export class RunnerSearchIndexes1795491000000 implements MigrationInterface {
  name = "RunnerSearchIndexes1795491000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "sessions_runner_label_trgm" ON "sessions" USING gin ("api_token_label" gin_trgm_ops, "anonymous_label" gin_trgm_ops)`);
    await q.query(`CREATE INDEX "users_email_trgm" ON "users" USING gin ("email" gin_trgm_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."users_email_trgm"`);
    await q.query(`DROP INDEX "public"."sessions_runner_label_trgm"`);
  }
}
