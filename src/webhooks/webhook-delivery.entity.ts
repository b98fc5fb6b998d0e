import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { WebhookEvent } from "./webhook-endpoint.entity";

/** One attempt to deliver one message to one endpoint. */
@ObjectType({ simpleResolvers: true })
@Entity("webhook_deliveries")
@Index("webhook_deliveries_org_attempted", ["organizationId", "attemptedAt", "id"])
@Index("webhook_deliveries_endpoint_attempted", ["endpointId", "attemptedAt", "id"])
export class WebhookDelivery {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @ForeignKey("Organization", { onDelete: "CASCADE" })
  @Column("uuid", { name: "organization_id" })
  organizationId!: string;

  @Field(() => ID)
  @ForeignKey("WebhookEndpoint", { onDelete: "CASCADE" })
  @Column("uuid", { name: "endpoint_id" })
  endpointId!: string;

  @Field(() => ID, { description: "The message (`webhook-id` header): the same on every attempt, so receivers can drop duplicates." })
  @Column("uuid", { name: "message_id" })
  messageId!: string;

  @Field(() => WebhookEvent)
  @Column("text", { name: "event_type" })
  eventType!: WebhookEvent;

  @Field(() => Int, { description: "1 for the first attempt of the message." })
  @Column("integer")
  attempt!: number;

  @Field({ description: "The endpoint answered 2xx in time." })
  @Column("boolean")
  succeeded!: boolean;

  @Field(() => Int, { nullable: true, description: "The HTTP status the endpoint answered; null when it did not answer." })
  @Column("integer", { name: "response_status", nullable: true })
  responseStatus!: number | null;

  @Field(() => Int, { description: "From sending the request to the answer (or to giving up)." })
  @Column("integer", { name: "latency_ms" })
  latencyMs!: number;

  @Field(() => String, { nullable: true, description: "Why the attempt failed: a timeout, a refused address, the connection, or the status." })
  @Column("text", { nullable: true })
  error!: string | null;

  @Field()
  @Column("timestamp with time zone", { name: "attempted_at", precision: 3, default: () => "now()" })
  attemptedAt!: Date;
}
