import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Export jobs hold a lease: the attempt that claims an export stamps a fresh `lease_id` and
 * renews `heartbeat_at` while it writes. Every write an attempt makes is fenced by its lease,
 * so an attempt whose worker was presumed dead (or whose export was canceled) can no longer
 * touch the row; a sweep hands exports whose heartbeat went quiet to another worker. CANCELED
 * is the status `cancelExport` leaves.
 */
export class ExportLeases1795470400000 implements MigrationInterface {
  name = "ExportLeases1795470400000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TYPE "export_status" ADD VALUE IF NOT EXISTS 'CANCELED'`);
    await q.query(`ALTER TABLE "exports" ADD "lease_id" uuid, ADD "heartbeat_at" TIMESTAMP(3) WITH TIME ZONE`);
    // The sweep's question: which running exports have gone quiet?
    await q.query(`CREATE INDEX "exports_running_heartbeat" ON "exports" ("heartbeat_at") WHERE status = 'RUNNING'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "exports_running_heartbeat"`);
    await q.query(`ALTER TABLE "exports" DROP COLUMN "heartbeat_at", DROP COLUMN "lease_id"`);
    // PostgreSQL cannot drop an enum value; CANCELED stays in the type, unused.
    await q.query(`UPDATE "exports" SET status = 'FAILED', error = 'Canceled.' WHERE status = 'CANCELED'`);
  }
}
