/**
 * Session lists' totalCount from maintained counters (access/maintained-counts.ts; the counters
 * and their triggers: migration MaintainedCounts). The counters key sessions by organization,
 * UTC launch day, status, removed and "pending units above zero", per user and over all users,
 * so every filter made of those sums counter rows and is exact. Search, device types and OS
 * versions are not counter keys: such filters are counted on the rows, exactly up to a bound.
 */
import { anyOf, dayRange, onlyFields, type Condition, type MaintainedCounts } from "../access";
import { checkTimeZone } from "../shared/date-range";
import { validIds } from "../shared/ids";
import type { SessionFilter } from "./session.inputs";

/** The filter fields the counters answer; any other field set in a filter means counting rows. */
const SERVED = ["includeRemoved", "dateRange", "timeZone", "userIds", "statuses", "pendingUnitsOnly"] as const;

export const sessionCounts: MaintainedCounts<SessionFilter> = {
  grains: [
    { table: "session_day_counts", dimensions: [] },
    { table: "session_user_day_counts", dimensions: ["user"] },
  ],
  plan(filter) {
    const f = filter ?? {};
    if (!onlyFields(f, SERVED)) return null;
    // Counter days are UTC days; a range in another zone cuts days in two.
    if (f.dateRange && (f.dateRange.from || f.dateRange.to) && checkTimeZone(f.timeZone) !== "UTC") return null;
    const conditions: (Condition | null)[] = [
      f.includeRemoved ? null : (a) => `NOT ${a}.removed`,
      f.pendingUnitsOnly ? (a) => `${a}.pending` : null,
      anyOf("status", f.statuses, "session_status"),
      dayRange(f.dateRange),
      anyOf("user_id", f.userIds && validIds(f.userIds, "filter.userIds"), "uuid"),
    ];
    return { conditions: conditions.filter((c): c is Condition => c !== null), needs: f.userIds ? ["user"] : [] };
  },
};
