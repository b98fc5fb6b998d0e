import { Column, ForeignKey, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { AttachmentKind } from "./session-status";

/** A log or other file of a session; unavailable ones are listed but cannot be downloaded. */
@ObjectType({ simpleResolvers: true })
@Entity("attachments")
@Index("attachments_session", ["sessionId", "createdAt", "id"])
export class Attachment {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @ForeignKey("Organization", { onDelete: "CASCADE" })

  @Column("uuid", { name: "organization_id" })
  organizationId!: string;

  @ForeignKey("Session", { onDelete: "CASCADE" })

  @Column("uuid", { name: "session_id" })
  sessionId!: string;

  /** Owner, copied from the session so scope needs no join. */
  @ForeignKey("User", { onDelete: "CASCADE" })
  @Column("uuid", { name: "user_id", nullable: true })
  userId!: string | null;

  @Field(() => AttachmentKind)
  @Column("enum", { enum: AttachmentKind, enumName: "attachment_kind" })
  kind!: AttachmentKind;

  @Field() @Column("text", { name: "file_name" }) fileName!: string;
  @Field() @Column("text", { name: "content_type" }) contentType!: string;
  @Field(() => Int, { nullable: true }) @Column("integer", { name: "byte_size", nullable: true }) byteSize!: number | null;

  /** Where the file lives; null when it was never uploaded or has been purged. */
  @Column("text", { name: "storage_key", nullable: true })
  storageKey!: string | null;

  @Field()
  @CreateDateColumn({ name: "created_at", type: "timestamp with time zone", precision: 3 })
  createdAt!: Date;

  /** A getter, not a field resolver: no resolver call per attachment (as Session.durationSeconds). */
  @Field({ description: "Whether the file can be downloaded." })
  get available(): boolean {
    return this.storageKey !== null;
  }
}
