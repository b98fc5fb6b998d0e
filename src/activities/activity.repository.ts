import type { EntityManager } from "typeorm";
import { ScopedTable, type Condition, type ListArgs, type Viewer } from "../auth";
import type { ConnectionValue, KeysetOrder } from "../shared/connection";
import { dateRangeCondition } from "../shared/date-range";
import { validIds } from "../shared/ids";
import { Activity } from "./activity.entity";
import type { ActivityFilter } from "./activity.inputs";

/** Newest first, id breaking ties. */
export const activityOrder: KeysetOrder<Activity> = {
  name: "activities",
  columns: ["occurred_at", "id"],
  direction: "DESC",
  types: ["timestamptz", "uuid"],
  values: (a) => [a.occurredAt, a.id],
};

export function activityConditions(filter: ActivityFilter | null | undefined): Condition[] {
  const f = filter ?? {};
  const conditions: Condition[] = [];
  const anyOf = (column: string, values: string[] | undefined, cast: string, argument?: string) => {
    if (!values) return;
    const checked = argument ? validIds(values, argument) : values;
    conditions.push((a, p) => `${a}.${column} = ANY(${p.add(checked)}::${cast}[])`);
  };
  anyOf("user_id", f.userIds, "uuid", "filter.userIds");
  anyOf("company_id", f.companyIds, "uuid", "filter.companyIds");
  anyOf("session_id", f.sessionIds, "uuid", "filter.sessionIds");
  anyOf("category", f.categories, "text");
  anyOf("action", f.actions, "text");
  if (f.dateRange) {
    const range = f.dateRange;
    conditions.push((a, p) => dateRangeCondition(`${a}.occurred_at`, range, f.timeZone, p));
  }
  return conditions;
}

/** Activities the viewer may read: the organization's for admins, their own for others. */
export class ActivityRepository {
  readonly table: ScopedTable<Activity>;
  constructor(manager: EntityManager, viewer: Viewer) {
    this.table = new ScopedTable(manager, viewer, { entity: Activity, table: "activities", order: activityOrder });
  }

  page(filter: ActivityFilter | null | undefined, args: ListArgs): Promise<ConnectionValue<Activity>> {
    return this.table.page(activityConditions(filter), args);
  }
}
