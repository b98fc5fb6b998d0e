import { Column, ForeignKey, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, ObjectType } from "type-graphql";
import { GraphQLJSONObject } from "graphql-scalars";
import { Role } from "../access";

@ObjectType({ simpleResolvers: true })
@Entity("users")
@Index("users_org_name", ["organizationId", "lastName", "firstName", "id"])
@Index("users_company_name", ["companyId", "lastName", "firstName", "id"])
@Index("users_org_email", ["organizationId", "email"], { unique: true })
@Index("users_org_username", ["organizationId", "username"], { unique: true })
// Trigram indexes for session search by the runner's username and email (hand-written in the migrations).
@Index("users_username_trgm", { synchronize: false })
@Index("users_email_trgm", { synchronize: false })
export class User {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @ForeignKey("Organization", { onDelete: "CASCADE" })

  @Column("uuid", { name: "organization_id" })
  organizationId!: string;

  @ForeignKey("Company", { onDelete: "SET NULL" })

  @Column("uuid", { name: "company_id", nullable: true })
  companyId!: string | null;

  @Field()
  @Column("text", { name: "first_name" })
  firstName!: string;

  @Field()
  @Column("text", { name: "last_name" })
  lastName!: string;

  /**
   * A getter, not a field resolver: graphql-js reads it like a property, without a resolver call
   * per user (on a page of 50 sessions' users, a measurable share of the request). Its inputs are
   * declared in user.fields.ts like any computed field's.
   */
  @Field({ description: "First and last name." })
  get name(): string {
    return `${this.firstName} ${this.lastName}`.trim();
  }

  /** Exposed through UserResolver.email: the caller's own, or anyone's to an admin. */
  @Column("text")
  email!: string;

  @Field()
  @Column("text")
  username!: string;

  @Field(() => String, { nullable: true, description: "ISO 3166-1 alpha-2 country code." })
  @Column("text", { nullable: true })
  country!: string | null;

  @Field(() => Role)
  @Column("enum", { enum: Role, enumName: "role" })
  role!: Role;

  @Field(() => Date, { nullable: true })
  @Column("timestamp with time zone", { name: "signed_up_at", precision: 3, nullable: true })
  signedUpAt!: Date | null;

  @Field(() => Date, { nullable: true, description: "Time of the user's first activity." })
  @Column("timestamp with time zone", { name: "first_seen_at", precision: 3, nullable: true })
  firstSeenAt!: Date | null;

  @Field(() => Date, { nullable: true, description: "Time of the user's latest activity." })
  @Column("timestamp with time zone", { name: "last_seen_at", precision: 3, nullable: true })
  lastSeenAt!: Date | null;

  @Field({ description: "Excluded users count in no company profile or aggregate." })
  @Column("boolean", { name: "excluded_from_traffic", default: false })
  excludedFromTraffic!: boolean;

  @Field(() => Date, { nullable: true, description: "When resetUserContent last cleared the user's content progress." })
  @Column("timestamp with time zone", { name: "content_reset_at", precision: 3, nullable: true })
  contentResetAt!: Date | null;

  @Field(() => [String])
  @Column("text", { array: true, default: () => "'{}'" })
  tags!: string[];

  @Field(() => GraphQLJSONObject, { description: "Free-form user properties (phone, social links, address...)." })
  @Column("jsonb", { default: () => "'{}'" })
  properties!: Record<string, unknown>;

  @Field()
  @CreateDateColumn({ name: "created_at", type: "timestamp with time zone", precision: 3 })
  createdAt!: Date;
}
