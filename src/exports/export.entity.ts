import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from "typeorm";
import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { GraphQLJSONObject } from "graphql-scalars";
import { Role } from "../access";

export enum ExportStatus {
  QUEUED = "QUEUED",
  RUNNING = "RUNNING",
  COMPLETED = "COMPLETED",
  FAILED = "FAILED",
  EXPIRED = "EXPIRED",
  CANCELED = "CANCELED",
}
registerEnumType(ExportStatus, {
  name: "ExportStatus",
  valuesConfig: {
    QUEUED: { description: "Waiting for a worker." },
    RUNNING: { description: "Rows are being written; processedRows shows progress." },
    COMPLETED: { description: "The file is complete and downloadable through `url`." },
    FAILED: { description: "The job failed; `error` says why. No file is downloadable." },
    EXPIRED: { description: "The file passed its retention and was deleted." },
    CANCELED: { description: "Canceled with `cancelExport`; no file is kept. `retryExport` runs it again." },
  },
});

export enum ExportKind {
  SESSIONS = "SESSIONS",
  ACTIVITIES = "ACTIVITIES",
  USERS = "USERS",
  USER_DATA = "USER_DATA",
}
registerEnumType(ExportKind, { name: "ExportKind", description: "What an export holds." });

/**
 * One export: who asked (and with which role), what (kind, filter, columns), the job's status
 * and progress, and the finished file (storage key, rows, bytes, SHA-256, expiry). It stores no
 * URL: `Export.url` is minted on each read. It doubles as the organization's audit trail.
 */
@ObjectType({ simpleResolvers: true })
@Entity("exports")
@Index("exports_org_created", ["organizationId", "createdAt", "id"])
@Index("exports_requester_created", ["requestedById", "createdAt", "id"])
@Index("exports_expiry", ["expiresAt"], { where: "status = 'COMPLETED'" })
@Index("exports_running_heartbeat", ["heartbeatAt"], { where: "status = 'RUNNING'" })
@Index("exports_requester_idempotency_key", ["requestedById", "idempotencyKey"], { unique: true, where: "idempotency_key IS NOT NULL" })
export class Export {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @ForeignKey("Organization", { onDelete: "CASCADE" })
  @Column("uuid", { name: "organization_id" })
  organizationId!: string;

  /** Who asked; null once that user has been deleted (the audit row stays). */
  @ForeignKey("User", { onDelete: "SET NULL" })
  @Column("uuid", { name: "requested_by_id", nullable: true })
  requestedById!: string | null;

  @Field(() => Role, { description: "The role the export ran with; its rows are that role's scope." })
  @Column("enum", { name: "requester_role", enum: Role, enumName: "role" })
  requesterRole!: Role;

  /** The API token that asked, if any (automations). */
  @Column("uuid", { name: "api_token_id", nullable: true })
  apiTokenId!: string | null;

  @Field(() => ExportKind)
  @Column("enum", { enum: ExportKind, enumName: "export_kind" })
  kind!: ExportKind;

  /** exportUserData: the user whose data it holds. */
  @ForeignKey("User", { onDelete: "SET NULL" })
  @Column("uuid", { name: "subject_user_id", nullable: true })
  subjectUserId!: string | null;

  @Field(() => GraphQLJSONObject, { description: "The filter as given." })
  @Column("jsonb", { default: () => "'{}'" })
  filter!: Record<string, unknown>;

  @Field(() => [String], { description: "Column keys, in file order." })
  @Column("text", { array: true })
  columns!: string[];

  @Field({ description: "Whether cells that a spreadsheet would run as a formula were neutralised." })
  @Column("boolean", { name: "neutralize_formulas", default: true })
  neutralizeFormulas!: boolean;

  @Field({ description: "Whether the file starts with a UTF-8 byte-order mark (ExportOptions.bom)." })
  @Column("boolean", { default: false })
  bom!: boolean;

  /** EXPORT_QUEUE of the instance that recorded (or retried) it: only that queue's instances rerun it. */
  @Column("text", { nullable: true })
  queue!: string | null;

  @Field(() => String, { nullable: true, description: "The idempotency key the export was asked with; null without one, or once 24 hours have passed and the key was used again." })
  @Column("text", { name: "idempotency_key", nullable: true })
  idempotencyKey!: string | null;

  @Field(() => ExportStatus)
  @Column("enum", { enum: ExportStatus, enumName: "export_status", default: ExportStatus.QUEUED })
  status!: ExportStatus;

  @Field(() => Int, { description: "Rows written so far." })
  @Column("integer", { name: "processed_rows", default: 0 })
  processedRows!: number;

  @Field(() => Int, { nullable: true, description: "Rows in the finished file." })
  @Column("integer", { name: "row_count", nullable: true })
  rowCount!: number | null;

  @Field(() => Float, { nullable: true, description: "Size of the finished file in bytes." })
  @Column("bigint", { nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  bytes!: number | null;

  @Field(() => String, { nullable: true, description: "SHA-256 of the finished file, hex." })
  @Column("text", { nullable: true })
  sha256!: string | null;

  @Field({ description: "Name the file downloads as." })
  @Column("text", { name: "file_name" })
  fileName!: string;

  /** Where the finished file is; null until complete and again once expired. */
  @Column("text", { name: "storage_key", nullable: true })
  storageKey!: string | null;

  @Field(() => String, { nullable: true, description: "Why the export failed." })
  @Column("text", { nullable: true })
  error!: string | null;

  @Field(() => Int, { description: "Job attempts since the export was asked for or last retried (an attempt whose worker died is retried)." })
  @Column("integer", { default: 0 })
  attempts!: number;

  /** The attempt that holds the export now: each claim draws a new one, and fences every write. */
  @Column("uuid", { name: "lease_id", nullable: true })
  leaseId!: string | null;

  /**
   * The export's last sign of life: renewed by the running attempt (one that goes quiet past
   * EXPORT_LEASE_SECONDS is taken back), or when it was queued again.
   */
  @Column("timestamp with time zone", { name: "heartbeat_at", precision: 3, nullable: true })
  heartbeatAt!: Date | null;

  @Field()
  @CreateDateColumn({ name: "created_at", type: "timestamp with time zone", precision: 3 })
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  @Column("timestamp with time zone", { name: "started_at", precision: 3, nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column("timestamp with time zone", { name: "completed_at", precision: 3, nullable: true })
  completedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: "When the file will be (or was) deleted." })
  @Column("timestamp with time zone", { name: "expires_at", precision: 3, nullable: true })
  expiresAt!: Date | null;
}
