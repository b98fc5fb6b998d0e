/**
 * Session lists' totalCount from maintained counters (access/maintained-counts.ts; the counters
 * and their triggers: migrations MaintainedCounts, DeviceAndOsCounts). The counters key sessions
 * by organization, UTC launch day, status, removed and "pending units above zero", per user and
 * over all users, and (over all users) also by device type and by OS version, so every filter made
 * of those sums counter rows and is exact. Search is not a counter key, nor device or OS together
 * with users (or for a member, who cannot read counters over all users): such filters are counted
 * on the rows, exactly up to a bound (lower for a search no index can narrow: session-search.ts).
 */
import { COUNT_BOUND, anyOf, dayRange, onlyFields, type Condition, type MaintainedCounts } from "../access";
import { checkTimeZone } from "../shared/date-range";
import { validIds } from "../shared/ids";
import type { SessionFilter } from "./session.inputs";
import { SHORT_SEARCH_COUNT_BOUND, hasTrigram } from "./session-search";

/** The filter fields the counters answer; any other field set in a filter means counting rows. */
const SERVED = ["includeRemoved", "dateRange", "timeZone", "userIds", "statuses", "pendingUnitsOnly", "deviceTypes", "osVersions"] as const;

export const sessionCounts: MaintainedCounts<SessionFilter> = {
  grains: [
    { table: "session_day_counts", dimensions: [] },
    { table: "session_user_day_counts", dimensions: ["user"] },
    // Over all users only (admins); a member's own device or OS filter is counted on their rows.
    { table: "session_device_day_counts", dimensions: ["device"] },
    { table: "session_os_day_counts", dimensions: ["os"] },
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
      anyOf("device_type", f.deviceTypes, "text"),
      anyOf("os_version", f.osVersions, "text"),
    ];
    const needs = [...(f.userIds ? ["user"] : []), ...(f.deviceTypes ? ["device"] : []), ...(f.osVersions ? ["os"] : [])];
    return { conditions: conditions.filter((c): c is Condition => c !== null), needs };
  },
  rowCountBound: (filter) => (filter?.search && !hasTrigram(filter.search) ? SHORT_SEARCH_COUNT_BOUND : COUNT_BOUND),
};
