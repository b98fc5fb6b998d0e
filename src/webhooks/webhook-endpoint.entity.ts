import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";

/** What an endpoint can be told. The value is the event type on the wire (`type` in the payload). */
export enum WebhookEvent {
  EXPORT_COMPLETED = "export.completed",
  EXPORT_FAILED = "export.failed",
}
registerEnumType(WebhookEvent, {
  name: "WebhookEvent",
  valuesConfig: {
    EXPORT_COMPLETED: { description: "`export.completed`: an export finished; fetch its `url` with `export(id)`." },
    EXPORT_FAILED: { description: "`export.failed`: an export failed; `data.error` says why." },
  },
});

/**
 * An HTTPS (or HTTP) endpoint an admin registered for the organization's events. Deliveries
 * are signed per Standard Webhooks with its secret, which is shown once (on create and rotate)
 * and never again.
 */
@ObjectType({ simpleResolvers: true })
@Entity("webhook_endpoints")
@Index("webhook_endpoints_org_created", ["organizationId", "createdAt", "id"])
export class WebhookEndpoint {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @ForeignKey("Organization", { onDelete: "CASCADE" })
  @Column("uuid", { name: "organization_id" })
  organizationId!: string;

  /** The admin who registered it; null once deleted. */
  @ForeignKey("User", { onDelete: "SET NULL" })
  @Column("uuid", { name: "created_by_id", nullable: true })
  createdById!: string | null;

  @Field()
  @Column("text")
  url!: string;

  @Field(() => [WebhookEvent])
  @Column("text", { array: true })
  events!: WebhookEvent[];

  /** The signing secret (`whsec_…`). Never a field: shown once by create and rotate. */
  @Column("text")
  secret!: string;

  @Field({ description: "Disabled endpoints are owed nothing: events while disabled are not delivered later." })
  @Column("boolean", { default: true })
  enabled!: boolean;

  @Field(() => String, { nullable: true, description: "Why it was disabled: by an admin, or after WEBHOOK_DISABLE_AFTER_FAILURES failed attempts in a row." })
  @Column("text", { name: "disabled_reason", nullable: true })
  disabledReason!: string | null;

  @Field(() => Int, { description: "Failed attempts since the last success." })
  @Column("integer", { name: "consecutive_failures", default: 0 })
  consecutiveFailures!: number;

  @Field()
  @CreateDateColumn({ name: "created_at", type: "timestamp with time zone", precision: 3 })
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  @Column("timestamp with time zone", { name: "secret_rotated_at", precision: 3, nullable: true })
  secretRotatedAt!: Date | null;
}

