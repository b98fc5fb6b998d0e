import type { MigrationInterface, QueryRunner } from "typeorm";

export class Exports1795470000000 implements MigrationInterface {
  name = "Exports1795470000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE "public"."export_kind" AS ENUM('SESSIONS', 'ACTIVITIES', 'USERS', 'USER_DATA')`);
    await q.query(`CREATE TYPE "public"."export_status" AS ENUM('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'EXPIRED')`);
    await q.query(`CREATE TABLE "exports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "requested_by_id" uuid, "requester_role" "public"."role" NOT NULL, "api_token_id" uuid, "kind" "public"."export_kind" NOT NULL, "subject_user_id" uuid, "filter" jsonb NOT NULL DEFAULT '{}', "columns" text array NOT NULL, "neutralize_formulas" boolean NOT NULL DEFAULT true, "status" "public"."export_status" NOT NULL DEFAULT 'QUEUED', "processed_rows" integer NOT NULL DEFAULT '0', "row_count" integer, "bytes" bigint, "sha256" text, "file_name" text NOT NULL, "storage_key" text, "error" text, "attempts" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP(3) WITH TIME ZONE, "completed_at" TIMESTAMP(3) WITH TIME ZONE, "expires_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "PK_bcf8528d214cbfc68c01f337511" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "exports_expiry" ON "exports"  ("expires_at") WHERE status = 'COMPLETED'`);
    await q.query(`CREATE INDEX "exports_requester_created" ON "exports"  ("requested_by_id", "created_at", "id") `);
    await q.query(`CREATE INDEX "exports_org_created" ON "exports"  ("organization_id", "created_at", "id") `);
    await q.query(`ALTER TABLE "exports" ADD CONSTRAINT "FK_348f9f9c65916f05ceaa191ad03" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "exports" ADD CONSTRAINT "FK_7f88d9ae53160473d5c047079c1" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "exports" ADD CONSTRAINT "FK_38a8655c79cad822070c892fb68" FOREIGN KEY ("subject_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "exports" DROP CONSTRAINT "FK_38a8655c79cad822070c892fb68"`);
    await q.query(`ALTER TABLE "exports" DROP CONSTRAINT "FK_7f88d9ae53160473d5c047079c1"`);
    await q.query(`ALTER TABLE "exports" DROP CONSTRAINT "FK_348f9f9c65916f05ceaa191ad03"`);
    await q.query(`DROP INDEX "public"."exports_org_created"`);
    await q.query(`DROP INDEX "public"."exports_requester_created"`);
    await q.query(`DROP INDEX "public"."exports_expiry"`);
    await q.query(`DROP TABLE "exports"`);
    await q.query(`DROP TYPE "public"."export_status"`);
    await q.query(`DROP TYPE "public"."export_kind"`);
  }
}
