import type { MigrationInterface, QueryRunner } from "typeorm";

/** Session search matches the runner's username case-insensitively anywhere in it. */
export class UsernameSearchIndex1795469900000 implements MigrationInterface {
  name = "UsernameSearchIndex1795469900000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "users_username_trgm" ON "users" USING gin ("username" gin_trgm_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."users_username_trgm"`);
  }
}
