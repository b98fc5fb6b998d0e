/**
 * totalCount from counts maintained on every write (migration MaintainedCounts: per organization,
 * day and a few filter keys, kept by triggers), so counting a list costs a sum over counter rows
 * instead of a scan of the rows it counts. A feature describes, per filter, the conditions over
 * its counter tables; the sum runs here, under the viewer's row predicate for the counter table
 * (policy.ts), like every other read. A filter the counters cannot express is counted on the
 * rows themselves, exactly up to COUNT_BOUND rows (or the feature's lower bound for that filter)
 * and reported as a lower bound beyond it.
 */
import type { ScopedTableName } from "./policy";
import type { Condition } from "./condition";

/**
 * One grain of counters: a policy table with columns organization_id, day, n and the keys of
 * `dimensions` (e.g. "user" for user_id). A filter that needs a dimension a grain lacks is
 * summed from a finer grain; a viewer without a policy rule for a grain uses the next one.
 */
export interface CountGrain {
  table: ScopedTableName;
  dimensions: readonly string[];
}

/** A filter as conditions over a counter table's alias, and the dimensions they read. */
export interface CountPlan {
  conditions: Condition[];
  needs: readonly string[];
}

export interface MaintainedCounts<F> {
  /** Coarsest first: the first grain the viewer may read that has every needed dimension is summed. */
  grains: readonly CountGrain[];
  /** The filter as a CountPlan; null when some condition of the filter has no counter key. */
  plan(filter: F | null | undefined): CountPlan | null;
  /** How many rows a filter without a plan is counted up to; default COUNT_BOUND. */
  rowCountBound?(filter: F | null | undefined): number;
}

/** A count that may have stopped at COUNT_BOUND. */
export interface Count {
  n: number;
  exact: boolean;
}

/**
 * Rows counted one by one, at most, for a filter the counters cannot answer: enough to be exact
 * for any one user's or one month's search, and a bound on what a count can cost.
 */
export const COUNT_BOUND = 1_000;

/** `day` within an inclusive UTC date range (the days of the rows' launch or occurrence). */
export function dayRange(range: { from?: string | null; to?: string | null } | null | undefined): Condition | null {
  if (!range || (!range.from && !range.to)) return null;
  return (a, p) =>
    [range.from ? `${a}.day >= ${p.add(range.from)}::date` : null, range.to ? `${a}.day <= ${p.add(range.to)}::date` : null]
      .filter(Boolean)
      .join(" AND ");
}

/**
 * Whether every field set in `filter` is one of `served`: a filter field added later (and not
 * taught to the counters) makes the plan fall back to counting rows instead of being ignored.
 */
export function onlyFields(filter: object, served: readonly string[]): boolean {
  return Object.entries(filter).every(([key, value]) => value === undefined || value === null || served.includes(key));
}
