/**
 * The SQL behind each export kind. "The export is the query": each uses the list query's own
 * filter conditions, the viewer's policy predicate and the list's order, so an export holds
 * exactly the rows (all pages, same order) that the list query shows the same caller.
 */
import { scopePredicate, type Condition, type ScopedTableName, type Viewer } from "../auth";
import { orderByClause, type KeysetOrder } from "../shared/connection";
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

/** How a list kind is exported: its table, joins, column set, filter conditions and order. */
interface ListExport {
  table: ScopedTableName;
  joins: string;
  columns: Record<string, ColumnDef>;
  conditions: (filter: Record<string, unknown>) => Condition[];
  order: KeysetOrder<never>;
}

const LIST_EXPORTS: Record<Exclude<ExportKind, ExportKind.USER_DATA>, ListExport> = {
  [ExportKind.SESSIONS]: {
    table: "sessions",
    joins: `JOIN organizations o ON o.id = t.organization_id
            LEFT JOIN users u ON u.id = t.user_id
            LEFT JOIN users cr ON cr.id = t.creator_id
            LEFT JOIN users la ON la.id = t.launcher_id
            LEFT JOIN users ap ON ap.id = t.approver_id`,
    columns: SESSION_COLUMNS,
    conditions: (f) => sessionConditions(f as SessionFilter),
    order: sessionOrder as KeysetOrder<never>,
  },
  [ExportKind.ACTIVITIES]: {
    table: "activities",
    joins: `JOIN users u ON u.id = t.user_id LEFT JOIN companies c ON c.id = t.company_id`,
    columns: ACTIVITY_COLUMNS,
    conditions: (f) => activityConditions(f as ActivityFilter),
    order: activityOrder as KeysetOrder<never>,
  },
  [ExportKind.USERS]: {
    table: "users",
    joins: `LEFT JOIN companies c ON c.id = t.company_id`,
    columns: USER_COLUMNS,
    conditions: (f) => userConditions(f as UserFilter),
    order: userOrder as KeysetOrder<never>,
  },
};

function selectList(set: Record<string, ColumnDef>, columns: readonly string[]): string {
  return columns.map((key) => `${set[key].sql} AS "${key}"`).join(", ");
}

/** The query for one export, run with the viewer the export was requested by. */
export function buildExportQuery(viewer: Viewer, spec: ExportSpec): ExportQuery {
  const params = new SqlParams();
  if (spec.kind === ExportKind.USER_DATA) {
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
  const list = LIST_EXPORTS[spec.kind];
  const where = [
    scopePredicate(list.table, "t", viewer, params),
    ...list.conditions(spec.filter).map((c) => c("t", params)).filter((sql): sql is string => !!sql).map((sql) => `(${sql})`),
  ].join(" AND ");
  return {
    sql: `SELECT ${selectList(list.columns, spec.columns)} FROM ${list.table} t ${list.joins}
          WHERE ${where}
          ORDER BY ${orderByClause(list.order, "t")}`,
    params: params.values,
    headers: spec.columns.map((key) => list.columns[key].header),
  };
}
