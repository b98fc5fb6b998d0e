import { Column, ForeignKey, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { SessionOrigin, SessionStatus } from "./session-status";

const timestamp = (name: string, nullable = true) =>
  Column("timestamp with time zone", { name, precision: 3, nullable });

const secondsBetween = (from: Date | null, to: Date | null) =>
  from && to ? Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000)) : null;

/** Statuses in which a started session is still running. */
const RUNNING = new Set([SessionStatus.STARTED, SessionStatus.UPLOADING, SessionStatus.UPLOADED]);

/**
 * One session: a test session run by a user (or an API token, or anonymously) and the
 * activity sessions that ingestion opens. Foreign keys are plain columns so loaders key on them.
 * The list order is (launched_at, id) newest first; the indexes below serve it per
 * organization, per user and per company.
 */
@ObjectType({ simpleResolvers: true })
@Entity("sessions")
@Index("sessions_org_launched", ["organizationId", "launchedAt", "id"])
@Index("sessions_user_launched", ["userId", "launchedAt", "id"])
@Index("sessions_company_launched", ["companyId", "launchedAt", "id"])
// History filters that the (organization, launched_at) walk would otherwise filter row by row.
@Index("sessions_org_status_launched", ["organizationId", "status", "launchedAt", "id"])
@Index("sessions_org_device_launched", ["organizationId", "deviceType", "launchedAt", "id"])
@Index("sessions_org_os_launched", ["organizationId", "osVersion", "launchedAt", "id"])
@Index("sessions_org_pending_launched", ["organizationId", "launchedAt", "id"], { where: "units_pending > 0" })
// Trigram index for the case-insensitive search over app id, app name and contributor (written
// by hand in the migration: TypeORM cannot express operator classes).
@Index("sessions_search_trgm", { synchronize: false })
// The same for the runner labels a row shows (API token, anonymous run).
@Index("sessions_runner_label_trgm", { synchronize: false })
// Profiles: the sessions a user or company started in a period, with their activity span.
@Index("sessions_user_activity", ["userId", "firstActivityAt", "lastActivityAt"], { where: "first_activity_at IS NOT NULL" })
// The company's ends with the policy's organization so company profiles read the index alone.
@Index("sessions_company_activity", ["companyId", "firstActivityAt", "lastActivityAt", "userId", "organizationId"], { where: "first_activity_at IS NOT NULL" })
export class Session {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @ForeignKey("Organization", { onDelete: "CASCADE" })

  @Column("uuid", { name: "organization_id" })
  organizationId!: string;

  /** The user it belongs to: the runner, or the owner of the API token that ran it. */
  @ForeignKey("User", { onDelete: "CASCADE" })
  @Column("uuid", { name: "user_id", nullable: true })
  userId!: string | null;

  @ForeignKey("Company", { onDelete: "SET NULL" })

  @Column("uuid", { name: "company_id", nullable: true })
  companyId!: string | null;

  @ForeignKey("ApiToken", { onDelete: "SET NULL" })

  @Column("uuid", { name: "api_token_id", nullable: true })
  apiTokenId!: string | null;

  /** Label of the API token that ran it, kept so history survives the token's revocation. */
  @Column("text", { name: "api_token_label", nullable: true })
  apiTokenLabel!: string | null;

  @Column("text", { name: "anonymous_label", nullable: true })
  anonymousLabel!: string | null;

  @Field(() => SessionStatus)
  @Column("enum", { enum: SessionStatus, enumName: "session_status" })
  status!: SessionStatus;

  @Field(() => SessionOrigin)
  @Column("enum", { enum: SessionOrigin, enumName: "session_origin", default: SessionOrigin.RUN })
  origin!: SessionOrigin;

  @Field(() => String, { nullable: true }) @Column("text", { name: "test_id", nullable: true }) testId!: string | null;
  @Field(() => String, { nullable: true }) @Column("text", { name: "test_name", nullable: true }) testName!: string | null;
  @Field(() => String, { nullable: true }) @Column("text", { name: "test_type", nullable: true }) testType!: string | null;
  @Field(() => String, { nullable: true }) @Column("text", { nullable: true }) template!: string | null;
  @Field() @Column("boolean", { name: "short_test", default: false }) shortTest!: boolean;
  @Field(() => String, { nullable: true }) @Column("text", { name: "contributor_username", nullable: true }) contributorUsername!: string | null;

  @Field(() => String, { nullable: true }) @Column("text", { name: "app_id", nullable: true }) appId!: string | null;
  @Field(() => String, { nullable: true }) @Column("text", { name: "app_name", nullable: true }) appName!: string | null;
  @Field(() => String, { nullable: true }) @Column("text", { name: "app_group", nullable: true }) appGroup!: string | null;
  @Field(() => String, { nullable: true }) @Column("text", { name: "app_build", nullable: true }) appBuild!: string | null;

  @Field(() => String, { nullable: true }) @Column("text", { name: "device_type", nullable: true }) deviceType!: string | null;
  @Field(() => String, { nullable: true }) @Column("text", { name: "device_model", nullable: true }) deviceModel!: string | null;
  @Field(() => String, { nullable: true }) @Column("text", { name: "os_name", nullable: true }) osName!: string | null;
  @Field(() => String, { nullable: true }) @Column("text", { name: "os_version", nullable: true }) osVersion!: string | null;
  @Field(() => String, { nullable: true }) @Column("text", { name: "browser_version", nullable: true }) browserVersion!: string | null;
  @Field(() => String, { nullable: true }) @Column("text", { name: "network_type", nullable: true }) networkType!: string | null;

  @Field({ description: "When the session was launched (its date in history, newest first)." })
  @timestamp("launched_at", false)
  launchedAt!: Date;

  @Field(() => Date, { nullable: true }) @timestamp("started_at") startedAt!: Date | null;
  @Field(() => Date, { nullable: true }) @timestamp("completed_at") completedAt!: Date | null;

  @Field(() => Int, { nullable: true }) @Column("integer", { name: "booked_duration_min", nullable: true }) bookedDurationMinutes!: number | null;

  @Field(() => Int, { description: "Session units consumed, counted at completion." })
  @Column("integer", { name: "units_used", default: 0 })
  unitsUsed!: number;

  @Field(() => Int, { description: "Session units reserved at launch and not yet consumed or released." })
  @Column("integer", { name: "units_pending", default: 0 })
  unitsPending!: number;

  @Field(() => Date, { nullable: true, description: "Time of the session's first tracked activity." })
  @timestamp("first_activity_at")
  firstActivityAt!: Date | null;

  @Field(() => Date, { nullable: true, description: "Time of the session's last tracked activity." })
  @timestamp("last_activity_at")
  lastActivityAt!: Date | null;

  @Field(() => Date, { nullable: true }) @timestamp("canceled_at") canceledAt!: Date | null;
  @ForeignKey("User", { onDelete: "SET NULL" })
  @Column("uuid", { name: "canceled_by_id", nullable: true }) canceledById!: string | null;

  @Field() @Column("boolean", { default: false }) removed!: boolean;
  @Field(() => String, { nullable: true }) @Column("text", { name: "removed_reason", nullable: true }) removedReason!: string | null;

  @ForeignKey("User", { onDelete: "SET NULL" })
  @Column("uuid", { name: "creator_id", nullable: true }) creatorId!: string | null;
  @ForeignKey("User", { onDelete: "SET NULL" })
  @Column("uuid", { name: "launcher_id", nullable: true }) launcherId!: string | null;
  @ForeignKey("User", { onDelete: "SET NULL" })
  @Column("uuid", { name: "approver_id", nullable: true }) approverId!: string | null;

  @Field()
  @CreateDateColumn({ name: "created_at", type: "timestamp with time zone", precision: 3 })
  createdAt!: Date;

  // Computed from the row alone, so getters, not field resolvers: read like properties, without a
  // resolver call per session (as User.name). What each reads is declared in session.fields.ts.

  @Field(() => Int, { nullable: true, description: "Seconds between launch and start." })
  get queueSeconds(): number | null {
    return secondsBetween(this.launchedAt, this.startedAt);
  }

  @Field(() => Int, { nullable: true, description: "Seconds between start and completion; null while in progress." })
  get durationSeconds(): number | null {
    return secondsBetween(this.startedAt, this.completedAt);
  }

  @Field(() => Int, { nullable: true, description: "Actual duration in whole minutes." })
  get actualDurationMinutes(): number | null {
    const seconds = secondsBetween(this.startedAt, this.completedAt);
    return seconds === null ? null : Math.round(seconds / 60);
  }

  @Field({ description: "Started and not yet completed." })
  get inProgress(): boolean {
    return this.startedAt !== null && this.completedAt === null && RUNNING.has(this.status);
  }
}
