/**
 * The SQL behind each export kind. "The export is the query": each uses the list query's own
 * filter conditions, the viewer's policy predicate and the list's order, so an export holds
 * exactly the rows (all pages, same order) that the list query shows the same caller.
 */
import { scopePredicate, type Condition, type Viewer } from "../auth";
import { orderByClause } from "../shared/connection";
import { SqlParams } from "../shared/sql";
import { sessionConditions, sessionOrder, type SessionFilter } from "../sessions";
import { activityConditions, activityOrder, type ActivityFilter } from "../activities";
import { userConditions, userOrder, type UserFilter } from "../users";
import { ACTIVITY_COLUMNS, SESSION_COLUMNS, USER_COLUMNS, USER_DATA_COLUMNS, type ColumnDef } from "./columns";
import { ExportKind } from "./export.entity";

export interface ExportQuery {
  sql: string;
  params: unknown[];
  /** Headers, in column order. */
  headers: string[];
}

export interface ExportSpec {
  kind: ExportKind;
  filter: Record<string, unknown>;
  columns: readonly string[];
  subjectUserId?: string | null;
}

function selectList(set: Record<string, ColumnDef>, columns: readonly string[]): string {
  return columns.map((key) => `${set[key].sql} AS "${key}"`).join(", ");
}

function where(params: SqlParams, scope: string, conditions: Condition[], alias: string): string {
  return [scope, ...conditions.map((c) => c(alias, params)).filter((sql): sql is string => !!sql).map((sql) => `(${sql})`)].join(" AND ");
}

/** The query for one export, run with the viewer the export was requested by. */
export function buildExportQuery(viewer: Viewer, spec: ExportSpec): ExportQuery {
  const params = new SqlParams();
  switch (spec.kind) {
    case ExportKind.SESSIONS: {
      const conditions = sessionConditions(spec.filter as SessionFilter);
      const whereSql = where(params, scopePredicate("sessions", "t", viewer, params), conditions, "t");
      return {
        sql: `SELECT ${selectList(SESSION_COLUMNS, spec.columns)}
              FROM sessions t
              JOIN organizations o ON o.id = t.organization_id
              LEFT JOIN users u ON u.id = t.user_id
              LEFT JOIN users cr ON cr.id = t.creator_id
              LEFT JOIN users la ON la.id = t.launcher_id
              LEFT JOIN users ap ON ap.id = t.approver_id
              WHERE ${whereSql}
              ORDER BY ${orderByClause(sessionOrder, "t")}`,
        params: params.values,
        headers: spec.columns.map((key) => SESSION_COLUMNS[key as keyof typeof SESSION_COLUMNS].header),
      };
    }
    case ExportKind.ACTIVITIES: {
      const conditions = activityConditions(spec.filter as ActivityFilter);
      const whereSql = where(params, scopePredicate("activities", "t", viewer, params), conditions, "t");
      return {
        sql: `SELECT ${selectList(ACTIVITY_COLUMNS, spec.columns)}
              FROM activities t
              JOIN users u ON u.id = t.user_id
              LEFT JOIN companies c ON c.id = t.company_id
              WHERE ${whereSql}
              ORDER BY ${orderByClause(activityOrder, "t")}`,
        params: params.values,
        headers: spec.columns.map((key) => ACTIVITY_COLUMNS[key as keyof typeof ACTIVITY_COLUMNS].header),
      };
    }
    case ExportKind.USERS: {
      const conditions = userConditions(spec.filter as UserFilter);
      const whereSql = where(params, scopePredicate("users", "t", viewer, params), conditions, "t");
      return {
        sql: `SELECT ${selectList(USER_COLUMNS, spec.columns)}
              FROM users t
              LEFT JOIN companies c ON c.id = t.company_id
              WHERE ${whereSql}
              ORDER BY ${orderByClause(userOrder, "t")}`,
        params: params.values,
        headers: spec.columns.map((key) => USER_COLUMNS[key as keyof typeof USER_COLUMNS].header),
      };
    }
    case ExportKind.USER_DATA: {
      const subject = params.add(spec.subjectUserId);
      const userScope = scopePredicate("users", "u", viewer, params);
      const activityScope = scopePredicate("activities", "t", viewer, params);
      // One row per activity, newest first; a user without activity still gets one row.
      return {
        sql: `SELECT ${selectList(USER_DATA_COLUMNS, spec.columns)}
              FROM users u
              LEFT JOIN companies c ON c.id = u.company_id
              LEFT JOIN activities t ON t.user_id = u.id AND ${activityScope}
              WHERE u.id = ${subject}::uuid AND ${userScope}
              ORDER BY ${orderByClause(activityOrder, "t")}`,
        params: params.values,
        headers: spec.columns.map((key) => USER_DATA_COLUMNS[key].header),
      };
    }
  }
}
