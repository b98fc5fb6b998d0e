import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Webhooks: endpoints an organization's admins register, the messages owed to them, and one
 * row per delivery attempt.
 *
 * Messages are written by a trigger on exports, in the transaction that finishes the export,
 * one per subscribed and enabled endpoint: an export cannot finish without its messages being
 * owed, whichever path finished it (a worker, the lease sweep, a retry). The webhook
 * dispatcher queues owed messages (queued_at IS NULL) for delivery.
 */
export class Webhooks1795470500000 implements MigrationInterface {
  name = "Webhooks1795470500000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "webhook_endpoints" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        "organization_id" uuid NOT NULL REFERENCES "organizations" ("id") ON DELETE CASCADE,
        "created_by_id" uuid REFERENCES "users" ("id") ON DELETE SET NULL,
        "url" text NOT NULL,
        "events" text[] NOT NULL,
        "secret" text NOT NULL,
        "enabled" boolean NOT NULL DEFAULT true,
        "disabled_reason" text,
        "consecutive_failures" integer NOT NULL DEFAULT 0,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "secret_rotated_at" TIMESTAMP(3) WITH TIME ZONE
      )`);
    await q.query(`CREATE INDEX "webhook_endpoints_org_created" ON "webhook_endpoints" ("organization_id", "created_at", "id")`);
    await q.query(`
      CREATE TABLE "webhook_messages" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        "organization_id" uuid NOT NULL REFERENCES "organizations" ("id") ON DELETE CASCADE,
        "endpoint_id" uuid NOT NULL REFERENCES "webhook_endpoints" ("id") ON DELETE CASCADE,
        "event_type" text NOT NULL,
        "payload" jsonb NOT NULL,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "queued_at" TIMESTAMP(3) WITH TIME ZONE,
        "status" text NOT NULL DEFAULT 'PENDING'
      )`);
    await q.query(`CREATE INDEX "webhook_messages_owed" ON "webhook_messages" ("created_at") WHERE queued_at IS NULL`);
    await q.query(`
      CREATE TABLE "webhook_deliveries" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        "organization_id" uuid NOT NULL REFERENCES "organizations" ("id") ON DELETE CASCADE,
        "endpoint_id" uuid NOT NULL REFERENCES "webhook_endpoints" ("id") ON DELETE CASCADE,
        "message_id" uuid NOT NULL REFERENCES "webhook_messages" ("id") ON DELETE CASCADE,
        "event_type" text NOT NULL,
        "attempt" integer NOT NULL,
        "succeeded" boolean NOT NULL,
        "response_status" integer,
        "latency_ms" integer NOT NULL,
        "error" text,
        "attempted_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX "webhook_deliveries_org_attempted" ON "webhook_deliveries" ("organization_id", "attempted_at", "id")`);
    await q.query(`CREATE INDEX "webhook_deliveries_endpoint_attempted" ON "webhook_deliveries" ("endpoint_id", "attempted_at", "id")`);
    await q.query(`
      CREATE FUNCTION sg_owe_export_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        event text := CASE NEW.status WHEN 'COMPLETED' THEN 'export.completed' ELSE 'export.failed' END;
      BEGIN
        INSERT INTO webhook_messages (organization_id, endpoint_id, event_type, payload)
        SELECT NEW.organization_id, e.id, event, jsonb_build_object(
                 'type', event,
                 'timestamp', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                 'data', jsonb_build_object(
                   'exportId', NEW.id, 'kind', NEW.kind, 'status', NEW.status, 'fileName', NEW.file_name,
                   'rowCount', NEW.row_count, 'bytes', NEW.bytes, 'sha256', NEW.sha256, 'error', NEW.error,
                   'requestedById', NEW.requested_by_id,
                   'completedAt', to_char(NEW.completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                   'expiresAt', to_char(NEW.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
        FROM webhook_endpoints e
        WHERE e.organization_id = NEW.organization_id AND e.enabled AND event = ANY (e.events);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER exports_owe_webhooks AFTER UPDATE OF status ON exports
      FOR EACH ROW WHEN (NEW.status IN ('COMPLETED', 'FAILED') AND OLD.status IS DISTINCT FROM NEW.status)
      EXECUTE FUNCTION sg_owe_export_webhooks()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER exports_owe_webhooks ON exports`);
    await q.query(`DROP FUNCTION sg_owe_export_webhooks()`);
    await q.query(`DROP TABLE "webhook_deliveries"`);
    await q.query(`DROP TABLE "webhook_messages"`);
    await q.query(`DROP TABLE "webhook_endpoints"`);
  }
}
