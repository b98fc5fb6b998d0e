/**
 * Activity lists' totalCount from maintained counters (access/maintained-counts.ts; the counters
 * and their triggers: migration MaintainedCounts): per organization and UTC day, over all users
 * and per user and company. Filters by user, company and a UTC date range sum counter rows and
 * are exact; session, category and action filters are counted on the rows, exactly up to a bound.
 */
import { anyOf, dayRange, onlyFields, type Condition, type MaintainedCounts } from "../access";
import { checkTimeZone } from "../shared/date-range";
import { validIds } from "../shared/ids";
import type { ActivityFilter } from "./activity.inputs";

/** The filter fields the counters answer; any other field set in a filter means counting rows. */
const SERVED = ["userIds", "companyIds", "dateRange", "timeZone"] as const;

export const activityCounts: MaintainedCounts<ActivityFilter> = {
  grains: [
    { table: "activity_day_counts", dimensions: [] },
    { table: "activity_user_day_counts", dimensions: ["user", "company"] },
  ],
  plan(filter) {
    const f = filter ?? {};
    if (!onlyFields(f, SERVED)) return null;
    if (f.dateRange && (f.dateRange.from || f.dateRange.to) && checkTimeZone(f.timeZone) !== "UTC") return null;
    const conditions: (Condition | null)[] = [
      anyOf("user_id", f.userIds && validIds(f.userIds, "filter.userIds"), "uuid"),
      anyOf("company_id", f.companyIds && validIds(f.companyIds, "filter.companyIds"), "uuid"),
      dayRange(f.dateRange),
    ];
    const needs = [...(f.userIds ? ["user"] : []), ...(f.companyIds ? ["company"] : [])];
    return { conditions: conditions.filter((c): c is Condition => c !== null), needs };
  },
};
