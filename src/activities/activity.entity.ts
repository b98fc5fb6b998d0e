import { Column, ForeignKey, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, ObjectType } from "type-graphql";

/**
 * One tracked activity: who (user, company), what (category, action, label), when, and where
 * (the content page, blank elsewhere). Listed newest first by (occurred_at, id).
 */
@ObjectType({ simpleResolvers: true })
@Entity("activities")
@Index("activities_org_time", ["organizationId", "occurredAt", "id"])
@Index("activities_user_time", ["userId", "occurredAt", "id"])
@Index("activities_company_time", ["companyId", "occurredAt", "id"])
@Index("activities_session_time", ["sessionId", "occurredAt", "id"])
// Company profiles: events of a company over a period, read from the index alone (the policy's
// organization and the excluded-user check included). Page views are a partial index without
// the page's text: labels and content names may be long, beyond what a btree entry can hold.
@Index("activities_company_profile", ["companyId", "occurredAt", "organizationId", "userId", "category", "action"])
@Index("activities_company_page_views", ["companyId", "occurredAt", "organizationId", "userId"], {
  where: "action = 'View' AND (category = 'Page' OR content_id IS NOT NULL)",
})
// Idempotent ingestion: an event id is stored once per user.
@Index("activities_user_event", ["userId", "eventId"], { unique: true, where: "event_id IS NOT NULL" })
export class Activity {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @ForeignKey("Organization", { onDelete: "CASCADE" })

  @Column("uuid", { name: "organization_id" })
  organizationId!: string;

  @ForeignKey("User", { onDelete: "CASCADE" })

  @Column("uuid", { name: "user_id" })
  userId!: string;

  @ForeignKey("Company", { onDelete: "SET NULL" })

  @Column("uuid", { name: "company_id", nullable: true })
  companyId!: string | null;

  @ForeignKey("Session", { onDelete: "SET NULL" })

  @Column("uuid", { name: "session_id", nullable: true })
  sessionId!: string | null;

  @Field()
  @Column("timestamp with time zone", { name: "occurred_at", precision: 3 })
  occurredAt!: Date;

  @Field({ description: 'e.g. "Content - OTSession", "Page", "User", "Question - Poll".' })
  @Column("text")
  category!: string;

  @Field({ description: 'e.g. "View", "Log In", "Answer".' })
  @Column("text")
  action!: string;

  @Field(() => String, { nullable: true, description: "e.g. the answer text of a poll." })
  @Column("text", { nullable: true })
  label!: string | null;

  @Field(() => String, { nullable: true }) @Column("text", { name: "content_id", nullable: true }) contentId!: string | null;
  @Field(() => String, { nullable: true }) @Column("text", { name: "content_name", nullable: true }) contentName!: string | null;
  @Field(() => String, { nullable: true }) @Column("text", { name: "content_slug", nullable: true }) contentSlug!: string | null;

  @Field(() => String, { nullable: true, description: "The client-chosen id the event was tracked with (ActivityInput.eventId), if any." })
  @Column("text", { name: "event_id", nullable: true })
  eventId!: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamp with time zone", precision: 3 })
  createdAt!: Date;
}
