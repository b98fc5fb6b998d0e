import { Column, ForeignKey, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, ObjectType } from "type-graphql";
import { Role } from "../access";

/** An API token. The secret is shown once at creation; only its SHA-256 is stored. */
@ObjectType({ simpleResolvers: true })
@Entity("api_tokens")
@Index("api_tokens_owner", ["ownerId", "createdAt"])
export class ApiToken {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @ForeignKey("Organization", { onDelete: "CASCADE" })

  @Column("uuid", { name: "organization_id" })
  organizationId!: string;

  @ForeignKey("User", { onDelete: "CASCADE" })

  @Column("uuid", { name: "owner_id" })
  ownerId!: string;

  @Field()
  @Column("text")
  label!: string;

  @Field(() => Role, { description: "The role the token acts with (never above its owner's)." })
  @Column("enum", { enum: Role, enumName: "role" })
  role!: Role;

  /** SHA-256 of the secret, hex. Never a field. */
  @Index("api_tokens_secret_hash", { unique: true })
  @Column("text", { name: "secret_hash" })
  secretHash!: string;

  @Field(() => Date, { nullable: true }) @Column("timestamp with time zone", { name: "expires_at", precision: 3, nullable: true }) expiresAt!: Date | null;
  @Field(() => Date, { nullable: true }) @Column("timestamp with time zone", { name: "last_used_at", precision: 3, nullable: true }) lastUsedAt!: Date | null;
  @Field(() => Date, { nullable: true }) @Column("timestamp with time zone", { name: "revoked_at", precision: 3, nullable: true }) revokedAt!: Date | null;

  @Field()
  @CreateDateColumn({ name: "created_at", type: "timestamp with time zone", precision: 3 })
  createdAt!: Date;
}
