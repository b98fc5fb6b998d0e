import type { MigrationInterface, QueryRunner } from "typeorm";

export class Initial1795462955442 implements MigrationInterface {
  name = "Initial1795462955442";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "organizations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6b031fcd0863e3f6b44230163f9" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "companies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "name" text NOT NULL, "signed_up_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d4bc3e82a314fa9e29f652c2c22" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "companies_org_name" ON "companies"  ("organization_id", "name", "id") `);
    await q.query(`CREATE TYPE "public"."role" AS ENUM('ADMIN', 'DEVELOPER', 'MEMBER')`);
    await q.query(`CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "company_id" uuid, "first_name" text NOT NULL, "last_name" text NOT NULL, "email" text NOT NULL, "username" text NOT NULL, "country" text, "role" "public"."role" NOT NULL, "signed_up_at" TIMESTAMP(3) WITH TIME ZONE, "first_seen_at" TIMESTAMP(3) WITH TIME ZONE, "last_seen_at" TIMESTAMP(3) WITH TIME ZONE, "excluded_from_traffic" boolean NOT NULL DEFAULT false, "tags" text array NOT NULL DEFAULT '{}', "properties" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "users_org_username" ON "users"  ("organization_id", "username") `);
    await q.query(`CREATE UNIQUE INDEX "users_org_email" ON "users"  ("organization_id", "email") `);
    await q.query(`CREATE INDEX "users_company_name" ON "users"  ("company_id", "last_name", "first_name", "id") `);
    await q.query(`CREATE INDEX "users_org_name" ON "users"  ("organization_id", "last_name", "first_name", "id") `);
    await q.query(`CREATE TYPE "public"."session_status" AS ENUM('PENDING', 'RESERVED', 'ACCEPTED', 'STARTED', 'PROBLEM', 'ON_HOLD', 'UPLOADING', 'UPLOADED', 'COMPLETED', 'EXPIRED', 'REFUNDED', 'CANCELED')`);
    await q.query(`CREATE TABLE "sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "user_id" uuid, "company_id" uuid, "api_token_id" uuid, "api_token_label" text, "anonymous_label" text, "status" "public"."session_status" NOT NULL, "test_id" text, "test_name" text, "test_type" text, "template" text, "short_test" boolean NOT NULL DEFAULT false, "contributor_username" text, "app_id" text, "app_name" text, "app_group" text, "app_build" text, "device_type" text, "device_model" text, "os_name" text, "os_version" text, "browser_version" text, "network_type" text, "launched_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "started_at" TIMESTAMP(3) WITH TIME ZONE, "completed_at" TIMESTAMP(3) WITH TIME ZONE, "booked_duration_min" integer, "units_used" integer NOT NULL DEFAULT '0', "units_pending" integer NOT NULL DEFAULT '0', "removed" boolean NOT NULL DEFAULT false, "removed_reason" text, "creator_id" uuid, "launcher_id" uuid, "approver_id" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3238ef96f18b355b671619111bc" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "sessions_company_launched" ON "sessions"  ("company_id", "launched_at", "id") `);
    await q.query(`CREATE INDEX "sessions_user_launched" ON "sessions"  ("user_id", "launched_at", "id") `);
    await q.query(`CREATE INDEX "sessions_org_launched" ON "sessions"  ("organization_id", "launched_at", "id") `);
    await q.query(`CREATE TYPE "public"."attachment_kind" AS ENUM('LOG', 'VIDEO', 'SCREENSHOT', 'OTHER')`);
    await q.query(`CREATE TABLE "attachments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "session_id" uuid NOT NULL, "user_id" uuid, "kind" "public"."attachment_kind" NOT NULL, "file_name" text NOT NULL, "content_type" text NOT NULL, "byte_size" integer, "storage_key" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5e1f050bcff31e3084a1d662412" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "attachments_session" ON "attachments"  ("session_id", "created_at", "id") `);
    await q.query(`CREATE TABLE "activities" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "user_id" uuid NOT NULL, "company_id" uuid, "session_id" uuid, "occurred_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "category" text NOT NULL, "action" text NOT NULL, "label" text, "content_id" text, "content_name" text, "content_slug" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7f4004429f731ffb9c88eb486a8" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "activities_session_time" ON "activities"  ("session_id", "occurred_at", "id") `);
    await q.query(`CREATE INDEX "activities_company_time" ON "activities"  ("company_id", "occurred_at", "id") `);
    await q.query(`CREATE INDEX "activities_user_time" ON "activities"  ("user_id", "occurred_at", "id") `);
    await q.query(`CREATE INDEX "activities_org_time" ON "activities"  ("organization_id", "occurred_at", "id") `);
    await q.query(`CREATE TABLE "api_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "owner_id" uuid NOT NULL, "label" text NOT NULL, "role" "public"."role" NOT NULL, "secret_hash" text NOT NULL, "expires_at" TIMESTAMP(3) WITH TIME ZONE, "last_used_at" TIMESTAMP(3) WITH TIME ZONE, "revoked_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c587455266b5fa8dace7194caac" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "api_tokens_secret_hash" ON "api_tokens"  ("secret_hash") `);
    await q.query(`CREATE INDEX "api_tokens_owner" ON "api_tokens"  ("owner_id", "created_at") `);
    await q.query(`ALTER TABLE "companies" ADD CONSTRAINT "FK_4a99045ca7335fb66fa4a15f8ae" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "users" ADD CONSTRAINT "FK_21a659804ed7bf61eb91688dea7" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "users" ADD CONSTRAINT "FK_7ae6334059289559722437bcc1c" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "sessions" ADD CONSTRAINT "FK_a9e3486bb3e8509466d4c9d6c93" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "sessions" ADD CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "sessions" ADD CONSTRAINT "FK_e6767e621b489943fdc7efbc481" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "sessions" ADD CONSTRAINT "FK_f8383641d04bb62b7eb588953ea" FOREIGN KEY ("api_token_id") REFERENCES "api_tokens"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "sessions" ADD CONSTRAINT "FK_a36a9c21cda32357717a80235b8" FOREIGN KEY ("creator_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "sessions" ADD CONSTRAINT "FK_b3d774776bde9bd2f74e0800135" FOREIGN KEY ("launcher_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "sessions" ADD CONSTRAINT "FK_1f8e0a5f02b148e77e69ca23947" FOREIGN KEY ("approver_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "attachments" ADD CONSTRAINT "FK_4af30039d8c32fe7cd7112229ee" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "attachments" ADD CONSTRAINT "FK_2d44ac9302bb054b9a9a6e1c762" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "attachments" ADD CONSTRAINT "FK_a073d943a82ed440e27a7fe5125" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "activities" ADD CONSTRAINT "FK_98a034f3603f95ab549c4259147" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "activities" ADD CONSTRAINT "FK_b82f1d8368dd5305ae7e7e664c2" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "activities" ADD CONSTRAINT "FK_bf5e03addfb573f5dcd31ae5e28" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "activities" ADD CONSTRAINT "FK_89146c3c24b964cd90a93c62c19" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "api_tokens" ADD CONSTRAINT "FK_82b1830617163ff0ea221d0b98b" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "api_tokens" ADD CONSTRAINT "FK_54b406f537e7850ded555b9a5bd" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "api_tokens" DROP CONSTRAINT "FK_54b406f537e7850ded555b9a5bd"`);
    await q.query(`ALTER TABLE "api_tokens" DROP CONSTRAINT "FK_82b1830617163ff0ea221d0b98b"`);
    await q.query(`ALTER TABLE "activities" DROP CONSTRAINT "FK_89146c3c24b964cd90a93c62c19"`);
    await q.query(`ALTER TABLE "activities" DROP CONSTRAINT "FK_bf5e03addfb573f5dcd31ae5e28"`);
    await q.query(`ALTER TABLE "activities" DROP CONSTRAINT "FK_b82f1d8368dd5305ae7e7e664c2"`);
    await q.query(`ALTER TABLE "activities" DROP CONSTRAINT "FK_98a034f3603f95ab549c4259147"`);
    await q.query(`ALTER TABLE "attachments" DROP CONSTRAINT "FK_a073d943a82ed440e27a7fe5125"`);
    await q.query(`ALTER TABLE "attachments" DROP CONSTRAINT "FK_2d44ac9302bb054b9a9a6e1c762"`);
    await q.query(`ALTER TABLE "attachments" DROP CONSTRAINT "FK_4af30039d8c32fe7cd7112229ee"`);
    await q.query(`ALTER TABLE "sessions" DROP CONSTRAINT "FK_1f8e0a5f02b148e77e69ca23947"`);
    await q.query(`ALTER TABLE "sessions" DROP CONSTRAINT "FK_b3d774776bde9bd2f74e0800135"`);
    await q.query(`ALTER TABLE "sessions" DROP CONSTRAINT "FK_a36a9c21cda32357717a80235b8"`);
    await q.query(`ALTER TABLE "sessions" DROP CONSTRAINT "FK_f8383641d04bb62b7eb588953ea"`);
    await q.query(`ALTER TABLE "sessions" DROP CONSTRAINT "FK_e6767e621b489943fdc7efbc481"`);
    await q.query(`ALTER TABLE "sessions" DROP CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19"`);
    await q.query(`ALTER TABLE "sessions" DROP CONSTRAINT "FK_a9e3486bb3e8509466d4c9d6c93"`);
    await q.query(`ALTER TABLE "users" DROP CONSTRAINT "FK_7ae6334059289559722437bcc1c"`);
    await q.query(`ALTER TABLE "users" DROP CONSTRAINT "FK_21a659804ed7bf61eb91688dea7"`);
    await q.query(`ALTER TABLE "companies" DROP CONSTRAINT "FK_4a99045ca7335fb66fa4a15f8ae"`);
    await q.query(`DROP INDEX "public"."api_tokens_owner"`);
    await q.query(`DROP INDEX "public"."api_tokens_secret_hash"`);
    await q.query(`DROP TABLE "api_tokens"`);
    await q.query(`DROP INDEX "public"."activities_org_time"`);
    await q.query(`DROP INDEX "public"."activities_user_time"`);
    await q.query(`DROP INDEX "public"."activities_company_time"`);
    await q.query(`DROP INDEX "public"."activities_session_time"`);
    await q.query(`DROP TABLE "activities"`);
    await q.query(`DROP INDEX "public"."attachments_session"`);
    await q.query(`DROP TABLE "attachments"`);
    await q.query(`DROP TYPE "public"."attachment_kind"`);
    await q.query(`DROP INDEX "public"."sessions_org_launched"`);
    await q.query(`DROP INDEX "public"."sessions_user_launched"`);
    await q.query(`DROP INDEX "public"."sessions_company_launched"`);
    await q.query(`DROP TABLE "sessions"`);
    await q.query(`DROP TYPE "public"."session_status"`);
    await q.query(`DROP INDEX "public"."users_org_name"`);
    await q.query(`DROP INDEX "public"."users_company_name"`);
    await q.query(`DROP INDEX "public"."users_org_email"`);
    await q.query(`DROP INDEX "public"."users_org_username"`);
    await q.query(`DROP TABLE "users"`);
    await q.query(`DROP TYPE "public"."role"`);
    await q.query(`DROP INDEX "public"."companies_org_name"`);
    await q.query(`DROP TABLE "companies"`);
    await q.query(`DROP TABLE "organizations"`);
  }
}
