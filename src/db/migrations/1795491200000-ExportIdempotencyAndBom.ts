import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Exports: an optional UTF-8 byte-order mark (ExportOptions.bom), and idempotency keys. A key
 * is unique per requester: concurrent calls with the same key insert one export (ON CONFLICT
 * DO NOTHING on this index) and read it back. After the 24-hour window the key is released
 * (set to NULL on the old export) before a new export takes it.
 */
export class ExportIdempotencyAndBom1795491200000 implements MigrationInterface {
  name = "ExportIdempotencyAndBom1795491200000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "exports" ADD "bom" boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE "exports" ADD "idempotency_key" text`);
    await q.query(`CREATE UNIQUE INDEX "exports_requester_idempotency_key" ON "exports" ("requested_by_id", "idempotency_key") WHERE idempotency_key IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."exports_requester_idempotency_key"`);
    await q.query(`ALTER TABLE "exports" DROP COLUMN "idempotency_key"`);
    await q.query(`ALTER TABLE "exports" DROP COLUMN "bom"`);
  }
}
