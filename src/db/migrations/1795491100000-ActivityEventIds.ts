import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Idempotent ingestion: a client-chosen event id, unique per user, so an event sent again (a
 * retry after a timeout) is recognised and not stored twice. The index is the guarantee; the
 * per-user advisory lock of trackActivities makes a duplicate find the original instead of
 * meeting the index.
 */
export class ActivityEventIds1795491100000 implements MigrationInterface {
  name = "ActivityEventIds1795491100000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "activities" ADD "event_id" text`);
    await q.query(`CREATE UNIQUE INDEX "activities_user_event" ON "activities" ("user_id", "event_id") WHERE event_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."activities_user_event"`);
    await q.query(`ALTER TABLE "activities" DROP COLUMN "event_id"`);
  }
}
