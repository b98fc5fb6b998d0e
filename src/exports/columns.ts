/**
 * Export columns: for each kind, the column keys (GraphQL enums), their human-readable headers
 * and the SQL that produces each cell. Defaults follow the products users know (the session
 * data export and session history; the activity exporter's who / what / when / where; the
 * unique-users report). Columns that would show another user's data (the creator's email, say)
 * are offered to admins only: other roles never see them listed and cannot ask for them.
 */
import { registerEnumType } from "type-graphql";
import { Role } from "../access";
import { BadUserInputError } from "../shared/errors";
import { ExportKind } from "./export.entity";

/**
 * One export column: this table is the one source of truth for both the file (its header and
 * cell SQL, export-query.ts) and the column dictionary (`exportColumns(kind)`).
 */
export interface ColumnDef {
  /** The CSV header: the product documents' wording where they give one (seeds/session-data-export.txt, user-activity-exporter.txt). */
  header: string;
  /** One line: what a cell holds. */
  meaning: string;
  /** SQL over the kind's aliases (see export-query.ts); text, a number or null. */
  sql: string;
  /** Reveals other users' data: admins only. */
  adminOnly?: boolean;
  /** An integer cell: written unquoted and never neutralised (everything else is text). */
  numeric?: boolean;
}

/** Times as ISO 8601 in UTC with milliseconds, e.g. 2026-03-01T09:30:00.000Z. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const yesNo = (column: string) => `CASE WHEN ${column} THEN 'Yes' ELSE 'No' END`;
const fullName = (alias: string) => `NULLIF(trim(concat_ws(' ', ${alias}.first_name, ${alias}.last_name)), '')`;

export enum SessionColumn {
  TEST_ID = "TEST_ID", TEST_NAME = "TEST_NAME", SESSION_ID = "SESSION_ID", CONTRIBUTOR_USERNAME = "CONTRIBUTOR_USERNAME",
  CREATOR_NAME = "CREATOR_NAME", CREATOR_EMAIL = "CREATOR_EMAIL", LAUNCHER_NAME = "LAUNCHER_NAME", LAUNCHER_EMAIL = "LAUNCHER_EMAIL",
  APPROVER_NAME = "APPROVER_NAME", APPROVER_EMAIL = "APPROVER_EMAIL", WORKSPACE = "WORKSPACE", OPERATING_SYSTEM = "OPERATING_SYSTEM",
  BROWSER_VERSION = "BROWSER_VERSION", NETWORK_TYPE = "NETWORK_TYPE", LAUNCH_DATE = "LAUNCH_DATE", COMPLETED_DATE = "COMPLETED_DATE",
  STATUS = "STATUS", BOOKED_DURATION = "BOOKED_DURATION", ACTUAL_DURATION = "ACTUAL_DURATION", REMOVED = "REMOVED",
  REMOVED_REASON = "REMOVED_REASON", TEMPLATE = "TEMPLATE", SHORT_TEST = "SHORT_TEST", TEST_TYPE = "TEST_TYPE",
  UNITS_USED = "UNITS_USED", UNITS_PENDING = "UNITS_PENDING",
  RUN_BY = "RUN_BY", APP_ID = "APP_ID", APP_NAME = "APP_NAME", APP_GROUP = "APP_GROUP", APP_BUILD = "APP_BUILD",
  DEVICE_TYPE = "DEVICE_TYPE", DEVICE_MODEL = "DEVICE_MODEL", OS_VERSION = "OS_VERSION", START_DATE = "START_DATE",
  QUEUE_TIME = "QUEUE_TIME", DURATION = "DURATION",
}
registerEnumType(SessionColumn, { name: "SessionColumn", description: "Columns of a sessions export." });

/** Aliases: t = sessions, u = the session's user, cr / la / ap = creator / launcher / approver, o = organization. */
export const SESSION_COLUMNS: Record<SessionColumn, ColumnDef> = {
  TEST_ID: { meaning: "The test the session belongs to.", header: "Test ID", sql: "t.test_id" },
  TEST_NAME: { meaning: "The test's name.", header: "Test Name", sql: "t.test_name" },
  SESSION_ID: { meaning: "The session's id (as in `session(id)`).", header: "Session ID", sql: "t.id::text" },
  CONTRIBUTOR_USERNAME: { meaning: "Username of the contributor who took the session.", header: "Contributor Username", sql: "t.contributor_username" },
  CREATOR_NAME: { meaning: "Who created the test.", header: "Creator Name", sql: fullName("cr"), adminOnly: true },
  CREATOR_EMAIL: { meaning: "Email of who created the test.", header: "Creator Email", sql: "cr.email", adminOnly: true },
  LAUNCHER_NAME: { meaning: "Who launched the session.", header: "Launcher Name", sql: fullName("la"), adminOnly: true },
  LAUNCHER_EMAIL: { meaning: "Email of who launched the session.", header: "Launcher Email", sql: "la.email", adminOnly: true },
  APPROVER_NAME: { meaning: "Who approved the session.", header: "Approver Name", sql: fullName("ap"), adminOnly: true },
  APPROVER_EMAIL: { meaning: "Email of who approved the session.", header: "Approver Email", sql: "ap.email", adminOnly: true },
  WORKSPACE: { meaning: "The organization the session belongs to.", header: "Workspace", sql: "o.name" },
  OPERATING_SYSTEM: { meaning: "Operating system name and version of the device.", header: "Operating System", sql: "NULLIF(concat_ws(' ', t.os_name, t.os_version), '')" },
  BROWSER_VERSION: { meaning: "Browser and version, for web sessions.", header: "Browser Version", sql: "t.browser_version" },
  NETWORK_TYPE: { meaning: "Network the device was on (wifi, 4g, ...).", header: "Network Type", sql: "t.network_type" },
  LAUNCH_DATE: { meaning: "When the session was launched, ISO 8601 in UTC.", header: "Launch Date (timezone in UTC)", sql: iso("t.launched_at") },
  COMPLETED_DATE: { meaning: "When the session was completed, ISO 8601 in UTC; empty until then.", header: "Completed Date (timezone in UTC)", sql: iso("t.completed_at") },
  STATUS: { meaning: "The session's status (Pending, Reserved, ... Canceled).", header: "Status", sql: "initcap(replace(t.status::text, '_', ' '))" },
  BOOKED_DURATION: { meaning: "Minutes booked for the session.", header: "Booked Duration (min)", sql: "t.booked_duration_min", numeric: true },
  ACTUAL_DURATION: { meaning: "Minutes from start to completion; empty until completed.", header: "Actual Duration (min)", sql: "round(extract(epoch FROM t.completed_at - t.started_at) / 60)::int", numeric: true },
  REMOVED: { meaning: "Yes when the session was removed from the dashboard (replaced, refunded or hidden).", header: "Removed", sql: yesNo("t.removed") },
  REMOVED_REASON: { meaning: "Why the session was removed.", header: "Removed Reason", sql: "t.removed_reason" },
  TEMPLATE: { meaning: "The template the test was built from.", header: "Template", sql: "t.template" },
  SHORT_TEST: { meaning: "Yes for a short test.", header: "Short Test", sql: yesNo("t.short_test") },
  TEST_TYPE: { meaning: "The kind of test, e.g. Unmoderated or Live Conversation.", header: "Test Type", sql: "t.test_type" },
  UNITS_USED: { meaning: "Session units used, counted at the completed date.", header: "Session Units Used (completed date)", sql: "t.units_used", numeric: true },
  UNITS_PENDING: { meaning: "Session units booked but not yet used, counted at the launch date; above zero for sessions that can still be canceled.", header: "Session Units Pending (launch date)", sql: "t.units_pending", numeric: true },
  // Session history fields.
  RUN_BY: { meaning: "Who ran it, as session history shows it: the user's email, an API token's label or an anonymous run's label.",
    header: "Run By",
    sql: "CASE WHEN t.api_token_label IS NOT NULL THEN t.api_token_label WHEN t.user_id IS NULL THEN coalesce(t.anonymous_label, 'Anonymous') ELSE u.email END",
  },
  APP_ID: { meaning: "Id of the app under test.", header: "App ID", sql: "t.app_id" },
  APP_NAME: { meaning: "Name of the app under test.", header: "App Name", sql: "t.app_name" },
  APP_GROUP: { meaning: "Group of the app under test.", header: "App Group", sql: "t.app_group" },
  APP_BUILD: { meaning: "Build of the app under test.", header: "App Build", sql: "t.app_build" },
  DEVICE_TYPE: { meaning: "Device type the session ran on.", header: "Device Type", sql: "t.device_type" },
  DEVICE_MODEL: { meaning: "Device model the session ran on.", header: "Device Model", sql: "t.device_model" },
  OS_VERSION: { meaning: "Operating system version of the device.", header: "OS Version", sql: "t.os_version" },
  START_DATE: { meaning: "When the session started, ISO 8601 in UTC; empty until then.", header: "Start Date (UTC)", sql: iso("t.started_at") },
  QUEUE_TIME: { meaning: "Seconds between launch and start.", header: "Queue Time (s)", sql: "round(extract(epoch FROM t.started_at - t.launched_at))::int", numeric: true },
  DURATION: { meaning: "Seconds between start and completion, or In progress.",
    header: "Duration (s)",
    sql: `CASE WHEN t.completed_at IS NOT NULL AND t.started_at IS NOT NULL THEN round(extract(epoch FROM t.completed_at - t.started_at))::int::text
               WHEN t.started_at IS NOT NULL AND t.status IN ('STARTED', 'UPLOADING', 'UPLOADED') THEN 'In progress' END`,
  },
};

export enum ActivityColumn {
  USER_ID = "USER_ID", FIRST_NAME = "FIRST_NAME", LAST_NAME = "LAST_NAME", COMPANY = "COMPANY", EMAIL = "EMAIL",
  CATEGORY = "CATEGORY", ACTION = "ACTION", LABEL = "LABEL", DATE_TIME = "DATE_TIME",
  CONTENT_ID = "CONTENT_ID", CONTENT_NAME = "CONTENT_NAME", CONTENT_SLUG = "CONTENT_SLUG", SESSION_ID = "SESSION_ID", ACTIVITY_ID = "ACTIVITY_ID",
}
registerEnumType(ActivityColumn, { name: "ActivityColumn", description: "Columns of an activities export: who, what, when, where." });

/** Aliases: t = activities, u = the activity's user, c = its company. Rows are in scope, so u is the caller for non-admins. */
export const ACTIVITY_COLUMNS: Record<ActivityColumn, ColumnDef> = {
  USER_ID: { meaning: "Id of the user who did it.", header: "User ID", sql: "t.user_id::text" },
  FIRST_NAME: { meaning: "First name of the user who did it.", header: "First", sql: "u.first_name" },
  LAST_NAME: { meaning: "Last name of the user who did it.", header: "Last", sql: "u.last_name" },
  COMPANY: { meaning: "The user's company.", header: "Company", sql: "c.name" },
  EMAIL: { meaning: "Email of the user who did it.", header: "Email", sql: "u.email" },
  CATEGORY: { meaning: "What kind of activity, e.g. Page, User, Content - OTSession.", header: "Category", sql: "t.category" },
  ACTION: { meaning: "What the user did, e.g. View, Log In, Answer.", header: "Action", sql: "t.action" },
  LABEL: { meaning: "Detail of the activity, e.g. a poll's answer text; empty when there is none.", header: "Label", sql: "t.label" },
  DATE_TIME: { meaning: "When it happened, ISO 8601 in UTC.", header: "Date/Time", sql: iso("t.occurred_at") },
  CONTENT_ID: { meaning: "Id of the content page it happened on; empty elsewhere.", header: "Content ID", sql: "t.content_id" },
  CONTENT_NAME: { meaning: "Name of the content page it happened on; empty elsewhere.", header: "Content Name", sql: "t.content_name" },
  CONTENT_SLUG: { meaning: "Slug of the content page it happened on; empty elsewhere.", header: "Content Slug", sql: "t.content_slug" },
  SESSION_ID: { meaning: "The session the activity belongs to.", header: "Session ID", sql: "t.session_id::text" },
  ACTIVITY_ID: { meaning: "The activity's id.", header: "Activity ID", sql: "t.id::text" },
};

export enum UserColumn {
  USER_ID = "USER_ID", FIRST_NAME = "FIRST_NAME", LAST_NAME = "LAST_NAME", EMAIL = "EMAIL", USERNAME = "USERNAME",
  COMPANY = "COMPANY", COUNTRY = "COUNTRY", ROLE = "ROLE", SIGN_UP_DATE = "SIGN_UP_DATE", FIRST_SEEN = "FIRST_SEEN",
  LAST_SEEN = "LAST_SEEN", EXCLUDED_FROM_TRAFFIC = "EXCLUDED_FROM_TRAFFIC", TAGS = "TAGS", PROPERTIES = "PROPERTIES",
}
registerEnumType(UserColumn, { name: "UserColumn", description: "Columns of the unique-users report." });

/** Aliases: t = users, c = the user's company. */
export const USER_COLUMNS: Record<UserColumn, ColumnDef> = {
  USER_ID: { meaning: "The user's id.", header: "User ID", sql: "t.id::text" },
  FIRST_NAME: { meaning: "First name.", header: "First Name", sql: "t.first_name" },
  LAST_NAME: { meaning: "Last name.", header: "Last Name", sql: "t.last_name" },
  EMAIL: { meaning: "Email address.", header: "Email", sql: "t.email" },
  USERNAME: { meaning: "Username.", header: "Username", sql: "t.username" },
  COMPANY: { meaning: "The user's company.", header: "Company", sql: "c.name" },
  COUNTRY: { meaning: "Country code.", header: "Country", sql: "t.country" },
  ROLE: { meaning: "ADMIN, DEVELOPER or MEMBER.", header: "Role", sql: "t.role::text" },
  SIGN_UP_DATE: { meaning: "When the user signed up, ISO 8601 in UTC; empty when unknown.", header: "Sign-up Date (UTC)", sql: iso("t.signed_up_at") },
  FIRST_SEEN: { meaning: "The user's first tracked activity, ISO 8601 in UTC.", header: "First Seen (UTC)", sql: iso("t.first_seen_at") },
  LAST_SEEN: { meaning: "The user's latest tracked activity, ISO 8601 in UTC.", header: "Last Seen (UTC)", sql: iso("t.last_seen_at") },
  EXCLUDED_FROM_TRAFFIC: { meaning: "Yes when the user's data counts in no aggregate.", header: "Excluded from Traffic", sql: yesNo("t.excluded_from_traffic") },
  TAGS: { meaning: "The user's tags, separated by semicolons.", header: "Tags", sql: "NULLIF(array_to_string(t.tags, '; '), '')" },
  PROPERTIES: { meaning: "The user's properties (phone, plan, ...) as JSON.", header: "Properties", sql: "CASE WHEN t.properties <> '{}'::jsonb THEN t.properties::text END" },
};

/** The columns a role is offered, in default order. */
export function offeredColumns<K extends string>(set: Record<K, ColumnDef>, role: Role): K[] {
  return (Object.keys(set) as K[]).filter((key) => role === Role.ADMIN || !set[key].adminOnly);
}

/**
 * The requested columns, checked: none given means every offered column; unknown, duplicate
 * or not-offered columns are BAD_USER_INPUT (a column a role may not read is never offered).
 */
export function chooseColumns<K extends string>(set: Record<K, ColumnDef>, role: Role, requested: readonly K[] | null | undefined): K[] {
  const offered = offeredColumns(set, role);
  if (!requested) return offered;
  if (requested.length === 0) throw new BadUserInputError("columns must name at least one column.", { argument: "columns" });
  const seen = new Set<K>();
  for (const key of requested) {
    if (!Object.prototype.hasOwnProperty.call(set, key)) {
      throw new BadUserInputError(`Unknown column ${String(key).slice(0, 100)}; exportColumns(kind) lists the columns.`, { argument: "columns" });
    }
    if (seen.has(key)) throw new BadUserInputError(`Column ${key} is listed twice.`, { argument: "columns" });
    if (!offered.includes(key)) throw new BadUserInputError(`Column ${key} is not available to your role.`, { argument: "columns" });
    seen.add(key);
  }
  return [...requested];
}

/** exportUserData: the user's profile on every row, then one activity per row (aliases: u = user, c = company, t = activity). */
export const USER_DATA_COLUMNS: Record<string, ColumnDef> = {
  USER_ID: { meaning: "The user's id.", header: "User ID", sql: "u.id::text" },
  FIRST_NAME: { meaning: "First name.", header: "First Name", sql: "u.first_name" },
  LAST_NAME: { meaning: "Last name.", header: "Last Name", sql: "u.last_name" },
  EMAIL: { meaning: "Email address.", header: "Email", sql: "u.email" },
  USERNAME: { meaning: "Username.", header: "Username", sql: "u.username" },
  COMPANY: { meaning: "The user's company.", header: "Company", sql: "c.name" },
  COUNTRY: { meaning: "Country code.", header: "Country", sql: "u.country" },
  SIGN_UP_OR_FIRST_SEEN: { meaning: "Sign-up date, or the first-seen date where sign-up is unknown, ISO 8601 in UTC.", header: "Sign-up or First Seen (UTC)", sql: iso("coalesce(u.signed_up_at, u.first_seen_at)") },
  LAST_SEEN: { meaning: "The user's latest tracked activity, ISO 8601 in UTC.", header: "Last Seen (UTC)", sql: iso("u.last_seen_at") },
  TAGS: { meaning: "The user's tags, separated by semicolons.", header: "Tags", sql: "NULLIF(array_to_string(u.tags, '; '), '')" },
  PROPERTIES: { meaning: "The user's properties (phone, plan, ...) as JSON.", header: "Properties", sql: "CASE WHEN u.properties <> '{}'::jsonb THEN u.properties::text END" },
  CATEGORY: ACTIVITY_COLUMNS.CATEGORY,
  ACTION: ACTIVITY_COLUMNS.ACTION,
  LABEL: ACTIVITY_COLUMNS.LABEL,
  DATE_TIME: ACTIVITY_COLUMNS.DATE_TIME,
  CONTENT_ID: ACTIVITY_COLUMNS.CONTENT_ID,
  CONTENT_NAME: ACTIVITY_COLUMNS.CONTENT_NAME,
  CONTENT_SLUG: ACTIVITY_COLUMNS.CONTENT_SLUG,
  SESSION_ID: ACTIVITY_COLUMNS.SESSION_ID,
};

/** Every kind's column table, for the column dictionary and the preview. */
export const COLUMN_SETS: Record<ExportKind, Record<string, ColumnDef>> = {
  [ExportKind.SESSIONS]: SESSION_COLUMNS,
  [ExportKind.ACTIVITIES]: ACTIVITY_COLUMNS,
  [ExportKind.USERS]: USER_COLUMNS,
  [ExportKind.USER_DATA]: USER_DATA_COLUMNS,
};
