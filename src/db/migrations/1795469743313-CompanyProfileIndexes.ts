import type { MigrationInterface, QueryRunner } from "typeorm";

export class CompanyProfileIndexes1795469743313 implements MigrationInterface {
  name = "CompanyProfileIndexes1795469743313";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."sessions_company_activity"`);
    await q.query(`CREATE INDEX "sessions_company_activity" ON "sessions"  ("company_id", "first_activity_at", "last_activity_at", "user_id", "organization_id") WHERE first_activity_at IS NOT NULL`);
    await q.query(`CREATE INDEX "activities_company_page_views" ON "activities"  ("company_id", "occurred_at", "organization_id", "user_id") WHERE action = 'View' AND (category = 'Page' OR content_id IS NOT NULL)`);
    await q.query(`CREATE INDEX "activities_company_profile" ON "activities"  ("company_id", "occurred_at", "organization_id", "user_id", "category", "action") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."activities_company_profile"`);
    await q.query(`DROP INDEX "public"."activities_company_page_views"`);
    await q.query(`DROP INDEX "public"."sessions_company_activity"`);
    await q.query(`CREATE INDEX "sessions_company_activity" ON "sessions" USING btree ("company_id", "first_activity_at", "last_activity_at", "user_id") WHERE (first_activity_at IS NOT NULL)`);
  }
}
