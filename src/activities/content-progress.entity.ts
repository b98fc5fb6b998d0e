import { Column, ForeignKey, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { Field, ID, ObjectType } from "type-graphql";

/**
 * A user's progress on one piece of content: the per-user marker that makes content behave as
 * "already seen" or "done" (a started course, a completed lesson). Ingestion keeps it from
 * tracked content events; `resetUserContent` deletes the user's rows, so the user meets every
 * piece of content as a first-time user again, while the activity history stays as it was.
 */
@ObjectType({ simpleResolvers: true })
@Entity("content_progress")
@Index("content_progress_user_content", ["userId", "contentId"], { unique: true })
export class ContentProgress {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @ForeignKey("Organization", { onDelete: "CASCADE" })
  @Column("uuid", { name: "organization_id" })
  organizationId!: string;

  @ForeignKey("User", { onDelete: "CASCADE" })
  @Column("uuid", { name: "user_id" })
  userId!: string;

  @Field() @Column("text", { name: "content_id" }) contentId!: string;
  @Field(() => String, { nullable: true }) @Column("text", { name: "content_name", nullable: true }) contentName!: string | null;
  @Field(() => String, { nullable: true }) @Column("text", { name: "content_slug", nullable: true }) contentSlug!: string | null;

  @Field({ description: "The user's first tracked event on this content." })
  @Column("timestamp with time zone", { name: "first_seen_at", precision: 3 })
  firstSeenAt!: Date;

  @Field(() => Date, { nullable: true, description: 'The first "Complete" event on this content; null while not completed.' })
  @Column("timestamp with time zone", { name: "completed_at", precision: 3, nullable: true })
  completedAt!: Date | null;

  @UpdateDateColumn({ name: "updated_at", type: "timestamp with time zone", precision: 3 })
  updatedAt!: Date;
}
