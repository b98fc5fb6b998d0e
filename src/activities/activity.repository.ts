import { ScopedRepository, anyOf, type Condition, type ViewerAccess } from "../access";
import type { KeysetOrder } from "../shared/connection";
import { dateRangeCondition } from "../shared/date-range";
import { validIds } from "../shared/ids";
import { activityCounts } from "./activity-counts";
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
  const range = f.dateRange;
  const conditions: (Condition | null)[] = [
    anyOf("user_id", f.userIds && validIds(f.userIds, "filter.userIds"), "uuid"),
    anyOf("company_id", f.companyIds && validIds(f.companyIds, "filter.companyIds"), "uuid"),
    anyOf("session_id", f.sessionIds && validIds(f.sessionIds, "filter.sessionIds"), "uuid"),
    anyOf("category", f.categories, "text"),
    anyOf("action", f.actions, "text"),
    range ? (a, p) => dateRangeCondition(`${a}.occurred_at`, range, f.timeZone, p) : null,
  ];
  return conditions.filter((c): c is Condition => c !== null);
}

/** Activities the viewer may read: the organization's for admins, their own for others. */
export class ActivityRepository extends ScopedRepository<Activity, ActivityFilter> {
  constructor(access: ViewerAccess) {
    super(access, { entity: Activity, table: "activities", order: activityOrder }, activityConditions, activityCounts);
  }
}
