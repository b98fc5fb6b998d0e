import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The job queue an export belongs to (EXPORT_QUEUE of the instance that recorded or retried it).
 * Instances sharing a queue share storage; the lease sweep takes back only its own queue's
 * exports, so an export is never rerun by an instance that writes to other storage.
 */
export class ExportQueueName1795510000000 implements MigrationInterface {
  name = "ExportQueueName1795510000000";

  async up(q: QueryRunner): Promise<void> {
    // Null for exports recorded before: any instance's sweep may take them back, as before.
    await q.query(`ALTER TABLE "exports" ADD "queue" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "exports" DROP COLUMN "queue"`);
  }
}
