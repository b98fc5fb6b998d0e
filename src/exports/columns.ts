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

export interface ColumnDef {
  header: string;
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
  TEST_ID: { header: "Test ID", sql: "t.test_id" },
  TEST_NAME: { header: "Test Name", sql: "t.test_name" },
  SESSION_ID: { header: "Session ID", sql: "t.id::text" },
  CONTRIBUTOR_USERNAME: { header: "Contributor Username", sql: "t.contributor_username" },
  CREATOR_NAME: { header: "Creator Name", sql: fullName("cr"), adminOnly: true },
  CREATOR_EMAIL: { header: "Creator Email", sql: "cr.email", adminOnly: true },
  LAUNCHER_NAME: { header: "Launcher Name", sql: fullName("la"), adminOnly: true },
  LAUNCHER_EMAIL: { header: "Launcher Email", sql: "la.email", adminOnly: true },
  APPROVER_NAME: { header: "Approver Name", sql: fullName("ap"), adminOnly: true },
  APPROVER_EMAIL: { header: "Approver Email", sql: "ap.email", adminOnly: true },
  WORKSPACE: { header: "Workspace", sql: "o.name" },
  OPERATING_SYSTEM: { header: "Operating System", sql: "NULLIF(concat_ws(' ', t.os_name, t.os_version), '')" },
  BROWSER_VERSION: { header: "Browser Version", sql: "t.browser_version" },
  NETWORK_TYPE: { header: "Network Type", sql: "t.network_type" },
  LAUNCH_DATE: { header: "Launch Date (UTC)", sql: iso("t.launched_at") },
  COMPLETED_DATE: { header: "Completed Date (UTC)", sql: iso("t.completed_at") },
  STATUS: { header: "Status", sql: "initcap(replace(t.status::text, '_', ' '))" },
  BOOKED_DURATION: { header: "Booked Duration (min)", sql: "t.booked_duration_min", numeric: true },
  ACTUAL_DURATION: { header: "Actual Duration (min)", sql: "round(extract(epoch FROM t.completed_at - t.started_at) / 60)::int", numeric: true },
  REMOVED: { header: "Removed", sql: yesNo("t.removed") },
  REMOVED_REASON: { header: "Removed Reason", sql: "t.removed_reason" },
  TEMPLATE: { header: "Template", sql: "t.template" },
  SHORT_TEST: { header: "Short Test", sql: yesNo("t.short_test") },
  TEST_TYPE: { header: "Test Type", sql: "t.test_type" },
  UNITS_USED: { header: "Session Units Used (at Completed Date)", sql: "t.units_used", numeric: true },
  UNITS_PENDING: { header: "Session Units Pending (at Launch Date)", sql: "t.units_pending", numeric: true },
  // Session history fields.
  RUN_BY: {
    header: "Run By",
    sql: "CASE WHEN t.api_token_label IS NOT NULL THEN t.api_token_label WHEN t.user_id IS NULL THEN coalesce(t.anonymous_label, 'Anonymous') ELSE u.email END",
  },
  APP_ID: { header: "App ID", sql: "t.app_id" },
  APP_NAME: { header: "App Name", sql: "t.app_name" },
  APP_GROUP: { header: "App Group", sql: "t.app_group" },
  APP_BUILD: { header: "App Build", sql: "t.app_build" },
  DEVICE_TYPE: { header: "Device Type", sql: "t.device_type" },
  DEVICE_MODEL: { header: "Device Model", sql: "t.device_model" },
  OS_VERSION: { header: "OS Version", sql: "t.os_version" },
  START_DATE: { header: "Start Date (UTC)", sql: iso("t.started_at") },
  QUEUE_TIME: { header: "Queue Time (s)", sql: "round(extract(epoch FROM t.started_at - t.launched_at))::int", numeric: true },
  DURATION: {
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
  USER_ID: { header: "User ID", sql: "t.user_id::text" },
  FIRST_NAME: { header: "First Name", sql: "u.first_name" },
  LAST_NAME: { header: "Last Name", sql: "u.last_name" },
  COMPANY: { header: "Company", sql: "c.name" },
  EMAIL: { header: "Email", sql: "u.email" },
  CATEGORY: { header: "Category", sql: "t.category" },
  ACTION: { header: "Action", sql: "t.action" },
  LABEL: { header: "Label", sql: "t.label" },
  DATE_TIME: { header: "Date/Time (UTC)", sql: iso("t.occurred_at") },
  CONTENT_ID: { header: "Content ID", sql: "t.content_id" },
  CONTENT_NAME: { header: "Content Name", sql: "t.content_name" },
  CONTENT_SLUG: { header: "Content Slug", sql: "t.content_slug" },
  SESSION_ID: { header: "Session ID", sql: "t.session_id::text" },
  ACTIVITY_ID: { header: "Activity ID", sql: "t.id::text" },
};

export enum UserColumn {
  USER_ID = "USER_ID", FIRST_NAME = "FIRST_NAME", LAST_NAME = "LAST_NAME", EMAIL = "EMAIL", USERNAME = "USERNAME",
  COMPANY = "COMPANY", COUNTRY = "COUNTRY", ROLE = "ROLE", SIGN_UP_DATE = "SIGN_UP_DATE", FIRST_SEEN = "FIRST_SEEN",
  LAST_SEEN = "LAST_SEEN", EXCLUDED_FROM_TRAFFIC = "EXCLUDED_FROM_TRAFFIC", TAGS = "TAGS", PROPERTIES = "PROPERTIES",
}
registerEnumType(UserColumn, { name: "UserColumn", description: "Columns of the unique-users report." });

/** Aliases: t = users, c = the user's company. */
export const USER_COLUMNS: Record<UserColumn, ColumnDef> = {
  USER_ID: { header: "User ID", sql: "t.id::text" },
  FIRST_NAME: { header: "First Name", sql: "t.first_name" },
  LAST_NAME: { header: "Last Name", sql: "t.last_name" },
  EMAIL: { header: "Email", sql: "t.email" },
  USERNAME: { header: "Username", sql: "t.username" },
  COMPANY: { header: "Company", sql: "c.name" },
  COUNTRY: { header: "Country", sql: "t.country" },
  ROLE: { header: "Role", sql: "t.role::text" },
  SIGN_UP_DATE: { header: "Sign-up Date (UTC)", sql: iso("t.signed_up_at") },
  FIRST_SEEN: { header: "First Seen (UTC)", sql: iso("t.first_seen_at") },
  LAST_SEEN: { header: "Last Seen (UTC)", sql: iso("t.last_seen_at") },
  EXCLUDED_FROM_TRAFFIC: { header: "Excluded from Traffic", sql: yesNo("t.excluded_from_traffic") },
  TAGS: { header: "Tags", sql: "NULLIF(array_to_string(t.tags, '; '), '')" },
  PROPERTIES: { header: "Properties", sql: "CASE WHEN t.properties <> '{}'::jsonb THEN t.properties::text END" },
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
    if (seen.has(key)) throw new BadUserInputError(`Column ${key} is listed twice.`, { argument: "columns" });
    if (!offered.includes(key)) throw new BadUserInputError(`Column ${key} is not available to your role.`, { argument: "columns" });
    seen.add(key);
  }
  return [...requested];
}

/** exportUserData: the user's profile on every row, then one activity per row (aliases: u = user, c = company, t = activity). */
export const USER_DATA_COLUMNS: Record<string, ColumnDef> = {
  USER_ID: { header: "User ID", sql: "u.id::text" },
  FIRST_NAME: { header: "First Name", sql: "u.first_name" },
  LAST_NAME: { header: "Last Name", sql: "u.last_name" },
  EMAIL: { header: "Email", sql: "u.email" },
  USERNAME: { header: "Username", sql: "u.username" },
  COMPANY: { header: "Company", sql: "c.name" },
  COUNTRY: { header: "Country", sql: "u.country" },
  SIGN_UP_OR_FIRST_SEEN: { header: "Sign-up or First Seen (UTC)", sql: iso("coalesce(u.signed_up_at, u.first_seen_at)") },
  LAST_SEEN: { header: "Last Seen (UTC)", sql: iso("u.last_seen_at") },
  TAGS: { header: "Tags", sql: "NULLIF(array_to_string(u.tags, '; '), '')" },
  PROPERTIES: { header: "Properties", sql: "CASE WHEN u.properties <> '{}'::jsonb THEN u.properties::text END" },
  CATEGORY: ACTIVITY_COLUMNS.CATEGORY,
  ACTION: ACTIVITY_COLUMNS.ACTION,
  LABEL: ACTIVITY_COLUMNS.LABEL,
  DATE_TIME: ACTIVITY_COLUMNS.DATE_TIME,
  CONTENT_ID: ACTIVITY_COLUMNS.CONTENT_ID,
  CONTENT_NAME: ACTIVITY_COLUMNS.CONTENT_NAME,
  CONTENT_SLUG: ACTIVITY_COLUMNS.CONTENT_SLUG,
  SESSION_ID: ACTIVITY_COLUMNS.SESSION_ID,
};
