/**
 * The SQL behind each export kind. "The export is the query": each uses the list query's own
 * filter conditions, the viewer's policy predicate and the list's order, so an export holds
 * exactly the rows (all pages, same order) that the list query shows the same caller. The
 * statement is built once per export, by the job that runs it, as a scoped statement of the
 * requester's ViewerAccess; text cells are neutralised there (sg_neutralize_formula) for the
 * json2csv engine and the preview. The COPY engine asks for the statement without it and
 * neutralises COPY's output with the same rule (copy-stream.ts), off PostgreSQL's critical path.
 */
import type { Condition, ScopedStatement, ScopedTableName, StatementBuilder, TableAliases, ViewerAccess } from "../access";
import { SqlParams } from "../shared/sql";
import { orderByClause, type KeysetOrder } from "../shared/connection";
import { sessionConditions, sessionOrder, type SessionFilter } from "../sessions";
import { activityConditions, activityOrder, type ActivityFilter } from "../activities";
import { userConditions, userOrder, type UserFilter } from "../users";
import { ACTIVITY_COLUMNS, SESSION_COLUMNS, USER_COLUMNS, USER_DATA_COLUMNS, type ColumnDef } from "./columns";
import { ExportKind } from "./export.entity";

export interface ExportQuery {
  statement: ScopedStatement;
  /** Headers, in column order. */
  headers: string[];
  /** The text columns (always quoted in the file); the others are integers. */
  textColumns: string[];
}

export interface ExportSpec {
  kind: ExportKind;
  filter: Record<string, unknown>;
  columns: readonly string[];
  subjectUserId?: string | null;
  /** Prefix formula-looking text cells with an apostrophe (sg_neutralize_formula). */
  neutralizeFormulas: boolean;
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

/** The file's cells over the kind's query: text cells neutralised when asked. The subquery keeps its ORDER BY: a plain projection over it preserves the order. */
function cells(set: Record<string, ColumnDef>, spec: ExportSpec, query: string): string {
  const list = spec.columns.map((key) => (spec.neutralizeFormulas && !set[key].numeric ? `sg_neutralize_formula(x."${key}") AS "${key}"` : `x."${key}"`));
  return `SELECT ${list.join(", ")} FROM (${query}) x`;
}

/** The columns, headers and filter conditions of `spec`'s kind (BAD_USER_INPUT for a bad filter: ids, date range, time zone). */
function exportShape(spec: ExportSpec): { set: Record<string, ColumnDef>; conditions: Condition[] } {
  if (spec.kind === ExportKind.USER_DATA) return { set: USER_DATA_COLUMNS, conditions: [] };
  const list = LIST_EXPORTS[spec.kind];
  return { set: list.columns, conditions: list.conditions(spec.filter) };
}

/**
 * Checks an export's filter before the export is stored: its conditions are made once into
 * throwaway parameters (bad ids, date ranges and time zones throw BAD_USER_INPUT). The job
 * builds the statement itself, once, when it runs.
 */
export function checkExportSpec(spec: ExportSpec): void {
  const params = new SqlParams();
  for (const condition of exportShape(spec).conditions) condition("t", params);
}

/** One export's statement, unbuilt: the aliases it declares and how its SQL is made. */
interface ExportSql {
  tables: TableAliases;
  build: StatementBuilder<TableAliases>;
  headers: string[];
  textColumns: string[];
}

function exportSql(spec: ExportSpec): ExportSql {
  const { set, conditions } = exportShape(spec);
  const headers = spec.columns.map((key) => set[key].header);
  const textColumns = spec.columns.filter((key) => !set[key].numeric);
  if (spec.kind === ExportKind.USER_DATA) {
    // One row per activity, newest first; a user without activity still gets one row.
    const build: StatementBuilder<{ u: "users"; t: "activities" }> = (scope, params) => {
      const subject = params.add(spec.subjectUserId);
      const userScope = scope.u;
      const activityScope = scope.t;
      return cells(
        set,
        spec,
        `SELECT ${selectList(set, spec.columns)}
            FROM users u
            LEFT JOIN companies c ON c.id = u.company_id
            LEFT JOIN activities t ON t.user_id = u.id AND ${activityScope}
            WHERE u.id = ${subject}::uuid AND ${userScope}
            ORDER BY ${orderByClause(activityOrder, "t")}`,
      );
    };
    return { tables: { u: "users", t: "activities" }, build: build as StatementBuilder<TableAliases>, headers, textColumns };
  }
  const list = LIST_EXPORTS[spec.kind];
  const build: StatementBuilder<{ t: ScopedTableName }> = (scope, params) => {
    const where = listWhere(scope.t, conditions, params);
    return cells(
      set,
      spec,
      `SELECT ${selectList(set, spec.columns)} FROM ${list.table} t ${list.joins}
          WHERE ${where}
          ORDER BY ${orderByClause(list.order, "t")}`,
    );
  };
  return { tables: { t: list.table }, build: build as StatementBuilder<TableAliases>, headers, textColumns };
}

/** The list's WHERE: the viewer's predicate and the filter's conditions (exactly the list query's). */
function listWhere(scope: string, conditions: Condition[], params: SqlParams): string {
  return [scope, ...conditions.map((c) => c("t", params)).filter((sql): sql is string => !!sql).map((sql) => `(${sql})`)].join(" AND ");
}

/** The statement for one export, scoped to the viewer the export was requested by. */
export function buildExportQuery(access: ViewerAccess, spec: ExportSpec): ExportQuery {
  const sql = exportSql(spec);
  return { statement: access.statement(sql.tables, sql.build), headers: sql.headers, textColumns: sql.textColumns };
}

export interface ExportSample {
  /** Rows the export would hold: for a list kind, what the list's `totalCount` answers for the same filter. */
  rowCount: number;
  /** Its first rows, cells as the export's query makes them (neutralised when asked), keyed by column. */
  rows: Record<string, unknown>[];
  headers: string[];
}

/**
 * What an export of `spec` would hold, for the viewer: its row count and first `limit` rows,
 * from the export's own statement (same scope, conditions, order and cell SQL), so a preview
 * cannot drift from the file.
 */
export async function sampleExport(access: ViewerAccess, spec: ExportSpec, limit: number): Promise<ExportSample> {
  const sql = exportSql(spec);
  const rows = await access.query<Record<string, unknown>>(sql.tables, (scope, params) => `${sql.build(scope, params)} LIMIT ${Math.trunc(limit)}`);
  let rowCount: number;
  if (spec.kind === ExportKind.USER_DATA) {
    const [{ n }] = await access.query<{ n: number }>(sql.tables, (scope, params) => `SELECT count(*)::int AS n FROM (${sql.build(scope, params)}) q`);
    rowCount = n;
  } else {
    const list = LIST_EXPORTS[spec.kind];
    const { conditions } = exportShape(spec);
    const [{ n }] = await access.query<{ n: number }>({ t: list.table }, (scope, params) => `SELECT count(*)::int AS n FROM ${list.table} t WHERE ${listWhere(scope.t, conditions, params)}`);
    rowCount = n;
  }
  return { rowCount, rows, headers: sql.headers };
}
