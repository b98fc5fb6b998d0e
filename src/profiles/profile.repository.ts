/**
 * Profile figures over activities and sessions, batched per (period, key): every read takes
 * many users' or companies' ids at once (`= ANY($1)`), groups by the key and carries the
 * viewer's policy predicate for each table it touches, so figures are scoped like every list.
 *
 * Definitions:
 * - events: the activities whose time lies in the period;
 * - sessions: the sessions whose first activity lies in the period (a session that crosses
 *   the period's end counts in the period where it starts, with its whole span);
 * - session time: last activity − first activity of each counted session;
 * - company figures: only activities and sessions of users who are not excluded from traffic.
 */
import type { ScopePredicates, ViewerAccess } from "../access";
import { dateRangeCondition } from "../shared/date-range";
import { containsPattern, groupInKeyOrder, type SqlParams } from "../shared/sql";
import type { ResolvedPeriod } from "./profile.inputs";
import type { ProfileFigures, ProfileOwner, TopEvent, TopPage } from "./profile.types";

const OWNER_COLUMN: Record<ProfileOwner, string> = { user: "user_id", company: "company_id" };

const NO_FIGURES: ProfileFigures = { totalEvents: 0, sessionCount: 0, sessionSeconds: 0 };

/** What a top list asks for besides its key; requests with equal options share one statement. */
export interface TopListOptions {
  period: ResolvedPeriod;
  first: number;
  search?: string | null;
}

/** A page view: a "View" on a "Page", or on a content page. */
const isPageView = (a: string) => `${a}.action = 'View' AND (${a}.category = 'Page' OR ${a}.content_id IS NOT NULL)`;

/** The tables a profile statement reads: activities `a`, sessions `s`, and users `u` (company figures leave out excluded users). */
type ProfileTables = { a: "activities"; s: "sessions"; u: "users" };
type ProfileScope = ScopePredicates<Partial<ProfileTables>>;

/** The aliases a statement over `aliases` declares, with users for company figures. */
function profileTables<K extends "a" | "s">(owner: ProfileOwner, aliases: readonly K[]): Partial<ProfileTables> {
  const tables: Partial<ProfileTables> = {};
  for (const alias of aliases) Object.assign(tables, alias === "a" ? { a: "activities" } : { s: "sessions" });
  if (owner === "company") tables.u = "users";
  return tables;
}

export class ProfileRepository {
  constructor(private readonly access: ViewerAccess) {}

  /**
   * The WHERE clause for `owner`'s rows under `alias` (a: activities, s: sessions): keys, policy
   * predicate, the period over `timeColumn` (sargable bounds), and for companies the traffic exclusion.
   */
  private where(scope: ProfileScope, alias: "a" | "s", owner: ProfileOwner, keys: string, timeColumn: string, period: ResolvedPeriod, params: SqlParams): string {
    const parts = [`${alias}.${OWNER_COLUMN[owner]} = ANY(${keys}::uuid[])`, scope[alias]!];
    const bounds = dateRangeCondition(`${alias}.${timeColumn}`, { from: period.from ?? undefined, to: period.to ?? undefined }, period.timeZone, params);
    if (bounds) parts.push(bounds);
    if (owner === "company") {
      // Excluded users are few: the planner hashes them once (NOT IN over a non-null column).
      parts.push(`${alias}.user_id NOT IN (SELECT u.id FROM users u WHERE ${scope.u!} AND u.excluded_from_traffic)`);
    }
    return parts.join(" AND ");
  }

  /** Events, sessions and session time per key, in key order (zeros where none). */
  async figuresByKey(owner: ProfileOwner, keys: readonly string[], period: ResolvedPeriod): Promise<ProfileFigures[]> {
    const column = OWNER_COLUMN[owner];
    const rows = await this.access.query<{ key: string } & ProfileFigures>(profileTables(owner, ["a", "s"]), (scope, params) => {
      const keyList = params.add([...new Set(keys)]);
      return `WITH events AS (
         SELECT a.${column} AS key, count(*)::int AS n FROM activities a
         WHERE ${this.where(scope, "a", owner, keyList, "occurred_at", period, params)}
         GROUP BY 1
       ), spans AS (
         SELECT s.${column} AS key, count(*)::int AS n,
                sum(extract(epoch FROM s.last_activity_at - s.first_activity_at))::float8 AS seconds
         FROM sessions s
         WHERE s.first_activity_at IS NOT NULL AND ${this.where(scope, "s", owner, keyList, "first_activity_at", period, params)}
         GROUP BY 1
       )
       SELECT coalesce(e.key, s.key) AS key, coalesce(e.n, 0) AS "totalEvents", coalesce(s.n, 0) AS "sessionCount",
              coalesce(s.seconds, 0) AS "sessionSeconds"
       FROM events e FULL JOIN spans s ON s.key = e.key`;
    });
    const byKey = new Map(rows.map(({ key, ...figures }) => [key, figures]));
    return keys.map((key) => byKey.get(key) ?? NO_FIGURES);
  }

  /**
   * The most frequent (category, action) pairs per key: count descending, then category and
   * action in byte order ("C" collation, the same on every server).
   */
  async topEventsByKey(owner: ProfileOwner, keys: readonly string[], options: TopListOptions): Promise<TopEvent[][]> {
    if (options.first === 0) return keys.map(() => []);
    const column = OWNER_COLUMN[owner];
    const rows = await this.access.query<{ key: string } & TopEvent>(profileTables(owner, ["a"]), (scope, params) => {
      const keyList = params.add([...new Set(keys)]);
      let where = this.where(scope, "a", owner, keyList, "occurred_at", options.period, params);
      if (options.search) {
        const pattern = params.add(containsPattern(options.search));
        where += ` AND (a.category ILIKE ${pattern} OR a.action ILIKE ${pattern})`;
      }
      return `SELECT x.key, x.category, x.action, x.count FROM (
         SELECT a.${column} AS key, a.category, a.action, count(*)::int AS count,
                row_number() OVER (PARTITION BY a.${column} ORDER BY count(*) DESC, a.category COLLATE "C", a.action COLLATE "C") AS rank
         FROM activities a WHERE ${where}
         GROUP BY a.${column}, a.category, a.action
       ) x WHERE x.rank <= ${params.add(options.first)} ORDER BY x.key, x.rank`;
    });
    return groupInKeyOrder(keys, rows, (row) => row.key).map((group) => group.map(({ key, ...event }) => event));
  }

  /**
   * The most viewed pages per key: views descending, then title (content name, else label),
   * content id and slug in byte order, no title last.
   */
  async topPagesByKey(owner: ProfileOwner, keys: readonly string[], options: TopListOptions): Promise<TopPage[][]> {
    if (options.first === 0) return keys.map(() => []);
    const column = OWNER_COLUMN[owner];
    const rows = await this.access.query<{ key: string } & TopPage>(profileTables(owner, ["a"]), (scope, params) => {
      const keyList = params.add([...new Set(keys)]);
      let where = `${isPageView("a")} AND ${this.where(scope, "a", owner, keyList, "occurred_at", options.period, params)}`;
      if (options.search) {
        const pattern = params.add(containsPattern(options.search));
        where += ` AND (CASE WHEN a.content_id IS NOT NULL THEN a.content_name ILIKE ${pattern} OR a.content_slug ILIKE ${pattern}
                          ELSE a.label ILIKE ${pattern} END)`;
      }
      return `SELECT x.key, coalesce(x."contentName", x.label) AS title, x."contentId", x."contentName", x."contentSlug", x.label, x.views FROM (
         SELECT p.key, p."contentId", p."contentName", p."contentSlug", p.label, count(*)::int AS views,
                row_number() OVER (PARTITION BY p.key ORDER BY count(*) DESC, coalesce(p."contentName", p.label) COLLATE "C" NULLS LAST,
                                   p."contentId" COLLATE "C" NULLS FIRST, p."contentSlug" COLLATE "C" NULLS FIRST) AS rank
         FROM (
           SELECT a.${column} AS key, a.content_id AS "contentId",
                  CASE WHEN a.content_id IS NOT NULL THEN a.content_name END AS "contentName",
                  CASE WHEN a.content_id IS NOT NULL THEN a.content_slug END AS "contentSlug",
                  CASE WHEN a.content_id IS NULL THEN a.label END AS label
           FROM activities a WHERE ${where}
         ) p
         GROUP BY p.key, p."contentId", p."contentName", p."contentSlug", p.label
       ) x WHERE x.rank <= ${params.add(options.first)} ORDER BY x.key, x.rank`;
    });
    return groupInKeyOrder(keys, rows, (row) => row.key).map((group) => group.map(({ key, ...page }) => page));
  }

  /** Per company, its users the viewer may read who count in traffic (0 where none). */
  async trafficUserCountsByCompanyId(companyIds: readonly string[]): Promise<number[]> {
    const rows = await this.access.query<{ key: string; n: number }>(
      { u: "users" },
      (scope, params) => `SELECT u.company_id AS key, count(*)::int AS n FROM users u
       WHERE u.company_id = ANY(${params.add([...new Set(companyIds)])}::uuid[]) AND ${scope.u} AND NOT u.excluded_from_traffic
       GROUP BY 1`,
    );
    const counts = new Map(rows.map((r) => [r.key, r.n]));
    return companyIds.map((id) => counts.get(id) ?? 0);
  }
}
