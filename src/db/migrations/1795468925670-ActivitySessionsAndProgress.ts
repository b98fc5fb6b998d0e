import type { MigrationInterface, QueryRunner } from "typeorm";

export class ActivitySessionsAndProgress1795468925670 implements MigrationInterface {
  name = "ActivitySessionsAndProgress1795468925670";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "content_progress" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "user_id" uuid NOT NULL, "content_id" text NOT NULL, "content_name" text, "content_slug" text, "first_seen_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "completed_at" TIMESTAMP(3) WITH TIME ZONE, "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_dbe16fdd5729c6b1baa3de4ae69" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "content_progress_user_content" ON "content_progress"  ("user_id", "content_id") `);
    await q.query(`ALTER TABLE "users" ADD "content_reset_at" TIMESTAMP(3) WITH TIME ZONE`);
    await q.query(`CREATE TYPE "public"."session_origin" AS ENUM('RUN', 'TRACKED')`);
    await q.query(`ALTER TABLE "sessions" ADD "origin" "public"."session_origin" NOT NULL DEFAULT 'RUN'`);
    await q.query(`ALTER TABLE "sessions" ADD "first_activity_at" TIMESTAMP(3) WITH TIME ZONE`);
    await q.query(`ALTER TABLE "sessions" ADD "last_activity_at" TIMESTAMP(3) WITH TIME ZONE`);
    await q.query(`ALTER TABLE "sessions" ADD "canceled_at" TIMESTAMP(3) WITH TIME ZONE`);
    await q.query(`ALTER TABLE "sessions" ADD "canceled_by_id" uuid`);
    // Backfill: the activity span of every session that already has activities.
    await q.query(`UPDATE "sessions" s SET "first_activity_at" = a.first_at, "last_activity_at" = a.last_at
      FROM (SELECT session_id, min(occurred_at) AS first_at, max(occurred_at) AS last_at
            FROM "activities" WHERE session_id IS NOT NULL GROUP BY session_id) a
      WHERE s.id = a.session_id`);
    // Written by hand (TypeORM cannot express operator classes); the entity declares it with synchronize: false.
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE INDEX "sessions_search_trgm" ON "sessions" USING gin ("app_id" gin_trgm_ops, "app_name" gin_trgm_ops, "contributor_username" gin_trgm_ops)`);
    await q.query(`CREATE INDEX "sessions_company_activity" ON "sessions"  ("company_id", "first_activity_at", "last_activity_at", "user_id") WHERE first_activity_at IS NOT NULL`);
    await q.query(`CREATE INDEX "sessions_user_activity" ON "sessions"  ("user_id", "first_activity_at", "last_activity_at") WHERE first_activity_at IS NOT NULL`);
    await q.query(`CREATE INDEX "sessions_org_pending_launched" ON "sessions"  ("organization_id", "launched_at", "id") WHERE units_pending > 0`);
    await q.query(`CREATE INDEX "sessions_org_os_launched" ON "sessions"  ("organization_id", "os_version", "launched_at", "id") `);
    await q.query(`CREATE INDEX "sessions_org_device_launched" ON "sessions"  ("organization_id", "device_type", "launched_at", "id") `);
    await q.query(`CREATE INDEX "sessions_org_status_launched" ON "sessions"  ("organization_id", "status", "launched_at", "id") `);
    await q.query(`ALTER TABLE "sessions" ADD CONSTRAINT "FK_91a7bf3d6271a4fd0e433dc5e29" FOREIGN KEY ("canceled_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "content_progress" ADD CONSTRAINT "FK_9e5c81943a817f7c16d459c3ba7" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "content_progress" ADD CONSTRAINT "FK_e97c75ac4825302ea74e4a05fc1" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "content_progress" DROP CONSTRAINT "FK_e97c75ac4825302ea74e4a05fc1"`);
    await q.query(`ALTER TABLE "content_progress" DROP CONSTRAINT "FK_9e5c81943a817f7c16d459c3ba7"`);
    await q.query(`ALTER TABLE "sessions" DROP CONSTRAINT "FK_91a7bf3d6271a4fd0e433dc5e29"`);
    await q.query(`DROP INDEX "public"."sessions_org_status_launched"`);
    await q.query(`DROP INDEX "public"."sessions_org_device_launched"`);
    await q.query(`DROP INDEX "public"."sessions_org_os_launched"`);
    await q.query(`DROP INDEX "public"."sessions_org_pending_launched"`);
    await q.query(`DROP INDEX "public"."sessions_user_activity"`);
    await q.query(`DROP INDEX "public"."sessions_company_activity"`);
    await q.query(`DROP INDEX "public"."sessions_search_trgm"`);
    await q.query(`ALTER TABLE "sessions" DROP COLUMN "canceled_by_id"`);
    await q.query(`ALTER TABLE "sessions" DROP COLUMN "canceled_at"`);
    await q.query(`ALTER TABLE "sessions" DROP COLUMN "last_activity_at"`);
    await q.query(`ALTER TABLE "sessions" DROP COLUMN "first_activity_at"`);
    await q.query(`ALTER TABLE "sessions" DROP COLUMN "origin"`);
    await q.query(`DROP TYPE "public"."session_origin"`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "content_reset_at"`);
    await q.query(`DROP INDEX "public"."content_progress_user_content"`);
    await q.query(`DROP TABLE "content_progress"`);
  }
}
