/**
 * Row policy as data: one predicate per (table, role), applied by every scoped query, loader
 * batch and export cursor. A role without a rule sees nothing (deny by default), and every
 * rule starts with the viewer's organization, so nothing ever crosses tenants.
 */
import { Role } from "./role";
import type { Viewer } from "./viewer";
import type { SqlParams } from "../shared/sql";

export type ScopedTableName =
  | "organizations" | "companies" | "users" | "sessions" | "attachments" | "activities" | "content_progress" | "api_tokens" | "exports" | "webhook_endpoints" | "webhook_deliveries"
  | "session_user_day_counts" | "session_day_counts" | "session_device_day_counts" | "session_os_day_counts"
  | "activity_user_day_counts" | "activity_day_counts";

type RowPredicate = (alias: string, viewer: Viewer, params: SqlParams) => string;

const sameOrganization: RowPredicate = (a, v, p) => `${a}.organization_id = ${p.add(v.organizationId)}::uuid`;

const ownedBy =
  (ownerColumn: string): RowPredicate =>
  (a, v, p) =>
    `${sameOrganization(a, v, p)} AND ${a}.${ownerColumn} = ${p.add(v.userId)}::uuid`;

const ownOrganization: RowPredicate = (a, v, p) => `${a}.id = ${p.add(v.organizationId)}::uuid`;
const ownUser: RowPredicate = ownedBy("id");
const ownCompany: RowPredicate = (a, v, p) =>
  v.companyId ? `${sameOrganization(a, v, p)} AND ${a}.id = ${p.add(v.companyId)}::uuid` : "FALSE";

/** A user's own rows and, for admins, the organization's: sessions, activities and their per-user counters. */
const ownRowsOrOrganization: Partial<Record<Role, RowPredicate>> = { ADMIN: sameOrganization, DEVELOPER: ownedBy("user_id"), MEMBER: ownedBy("user_id") };
/** Counters summed over every user: only for who reads every user's rows. */
const organizationOnly: Partial<Record<Role, RowPredicate>> = { ADMIN: sameOrganization };

export const policy: Record<ScopedTableName, Partial<Record<Role, RowPredicate>>> = {
  organizations: { ADMIN: ownOrganization, DEVELOPER: ownOrganization, MEMBER: ownOrganization },
  companies: { ADMIN: sameOrganization, DEVELOPER: ownCompany, MEMBER: ownCompany },
  users: { ADMIN: sameOrganization, DEVELOPER: ownUser, MEMBER: ownUser },
  sessions: ownRowsOrOrganization,
  // DESIGN.md: developers read their attachments; members read sessions but not attachments.
  attachments: { ADMIN: sameOrganization, DEVELOPER: ownedBy("user_id") },
  activities: ownRowsOrOrganization,
  // Maintained counts (access/maintained-counts.ts) are read under the rule of the rows they
  // count: per-user counters like the rows, counters over all users only by admins.
  session_user_day_counts: ownRowsOrOrganization,
  session_day_counts: organizationOnly,
  session_device_day_counts: organizationOnly,
  session_os_day_counts: organizationOnly,
  activity_user_day_counts: ownRowsOrOrganization,
  activity_day_counts: organizationOnly,
  content_progress: { ADMIN: sameOrganization, DEVELOPER: ownedBy("user_id"), MEMBER: ownedBy("user_id") },
  // Exports: the caller's own; admins see the organization's (the audit trail).
  exports: { ADMIN: sameOrganization, DEVELOPER: ownedBy("requested_by_id"), MEMBER: ownedBy("requested_by_id") },
  api_tokens: { ADMIN: sameOrganization, DEVELOPER: ownedBy("owner_id"), MEMBER: ownedBy("owner_id") },
  // Webhooks are the organization's integration settings: admins only.
  webhook_endpoints: { ADMIN: sameOrganization },
  webhook_deliveries: { ADMIN: sameOrganization },
};

/**
 * The column naming a row's owner, for tables whose rows belong to one user: on insert it is
 * the viewer (ScopedTable.insert), as the organization always is.
 */
export const ownerColumn: Partial<Record<ScopedTableName, string>> = {
  exports: "requested_by_id",
  api_tokens: "owner_id",
  webhook_endpoints: "created_by_id",
};

/** The viewer's row predicate for `table` under `alias`, parenthesised; "FALSE" without a rule. */
export function scopePredicate(table: ScopedTableName, alias: string, viewer: Viewer, params: SqlParams): string {
  const rule = policy[table][viewer.role];
  return rule ? `(${rule(alias, viewer, params)})` : "FALSE";
}

/** Whether the viewer's role has any rule for `table` (without one, reads need no statement). */
export function mayRead(table: ScopedTableName, viewer: Viewer): boolean {
  return policy[table][viewer.role] !== undefined;
}
