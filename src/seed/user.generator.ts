/** Users: names, emails, roles and profiles, and how many sessions each runs; later their seen times. */
import { Role } from "../access";
import type { GeneratorRun } from "./generator-run";
import { activityAt, type SessionWindow } from "./session-plan.generator";
import { at, lit, SALT, secondsToInterval, textArray } from "./sql";
import { CITIES, COUNTRIES, FIRST_NAMES, JOB_TITLES, LAST_NAMES, PLANS, TAGS } from "./words";

/**
 * Plans the users into `seed_users`: names, company, and the range [s_start, s_end) of the
 * `userSessions` sessions each runs. They are written by writeUsers once the sessions are planned.
 */
export async function planUsers(run: GeneratorRun, userSessions: number): Promise<void> {
  const { sql, query } = run;
  const { companies: C, users: U } = run.options;
  // Users get a weight (0 for ~5%: they never run a session, else 1..40, the admin 30) and
  // sessions are dealt to them in proportion, by cumulative rounding so the total is exact.
  const M = userSessions;
  const hn = sql.hash("i", SALT.userName);
  const hw = sql.hash("i", SALT.userWeight);
  // Plain ASCII local parts: accents folded, anything else dropped (Müller -> muller, O'Brien -> obrien).
  const slug = (e: string) => `regexp_replace(translate(lower(${e}), 'áàâãäåçéèêëíìîïñóòôõöøúùûüýÿ', 'aaaaaaceeeeiiiinoooooouuuuyy'), '[^a-z]', '', 'g')`;
  await query(`
    CREATE TEMP TABLE seed_users ON COMMIT DROP AS
    WITH b AS (
      SELECT i AS idx,
             ${at(textArray(FIRST_NAMES), sql.pick(hn, FIRST_NAMES.length))} AS first_name,
             ${at(textArray(LAST_NAMES), sql.pick(hn, LAST_NAMES.length, 24))} AS last_name,
             CASE WHEN ${C} = 0 THEN NULL WHEN i = 0 THEN 0
                  ELSE least(${Math.max(C - 1, 0)}, floor(${C} * power(${sql.frac(sql.hash("i", SALT.userCompany))}, 1.6)))::int END AS company_idx,
             CASE WHEN i = 0 THEN 30 WHEN ${sql.pick(hw, 20)} = 0 THEN 0 ELSE 1 + ${sql.pick(hw, 40, 8)} END::bigint AS w
      FROM generate_series(0, ${U - 1}) i
    )
    SELECT b.*, ${sql.uuid("user", "b.idx")} AS id, c.id AS company_id,
           ${slug("left(b.first_name, 1) || b.last_name")} || b.idx AS username,
           ${slug("b.first_name")} || '.' || ${slug("b.last_name")} || '.' || b.idx || '@' || coalesce(c.domain, 'example.com') AS email,
           (${M}::bigint * ((sum(b.w) OVER (ORDER BY b.idx))::bigint - b.w)) / (sum(b.w) OVER ())::bigint AS s_start,
           (${M}::bigint * (sum(b.w) OVER (ORDER BY b.idx))::bigint) / (sum(b.w) OVER ())::bigint AS s_end
    FROM b LEFT JOIN seed_companies c ON c.idx = b.company_idx`);
  await query(`CREATE UNIQUE INDEX ON seed_users (idx)`);
}

/**
 * Writes the planned users (the first is the ADMIN, about 10% are DEVELOPERs), first and last
 * seen at their first and last planned activity (`seed_sessions`); about 70% signed up, shortly
 * before they were first seen.
 */
export async function writeUsers(run: GeneratorRun, window: SessionWindow): Promise<void> {
  const { sql, org, query, onProgress } = run;
  const { users: U } = run.options;
  const { spanStart, spanSeconds } = window;
  const anchor = sql.anchor;
  onProgress("users", 0, U);
  const hm = sql.hash("u.idx", SALT.userMisc);
  const hm2 = sql.hash("u.idx", SALT.userMisc2);
  const hz = sql.hash("u.idx", SALT.userSeen);
  await query(`
    INSERT INTO users (id, organization_id, company_id, first_name, last_name, email, username, country, role,
                       tags, properties, created_at, first_seen_at, last_seen_at, signed_up_at)
    SELECT u.id, ${org}, u.company_id, u.first_name, u.last_name, u.email, u.username,
           ${at(textArray(COUNTRIES), sql.pick(hm, COUNTRIES.length))},
           (CASE WHEN u.idx = 0 THEN ${lit(Role.ADMIN)} WHEN ${sql.pick(hm, 10, 8)} = 0 THEN ${lit(Role.DEVELOPER)} ELSE ${lit(Role.MEMBER)} END)::role,
           array_remove(ARRAY[${TAGS.map((tag, t) => `CASE WHEN ${sql.pick(hm2, 8, t * 3)} = 0 THEN ${lit(tag)} END`).join(", ")}], NULL),
           CASE WHEN ${sql.pick(hm, 10, 16)} = 0 THEN '{}'::jsonb ELSE jsonb_strip_nulls(jsonb_build_object(
             'plan', ${at(textArray(PLANS), sql.pick(hm, PLANS.length, 24))},
             'title', CASE WHEN ${sql.pick(hm, 3, 32)} > 0 THEN ${at(textArray(JOB_TITLES), sql.pick(hm, JOB_TITLES.length, 36))} END,
             'city', CASE WHEN ${sql.pick(hm, 2, 40)} = 0 THEN ${at(textArray(CITIES), sql.pick(hm2, CITIES.length, 32))} END,
             'phone', CASE WHEN ${sql.pick(hm, 4, 44)} = 0 THEN '+1 555 01' || lpad((u.idx % 100)::text, 2, '0') END,
             'linkedin', CASE WHEN ${sql.pick(hm2, 3, 40)} = 0 THEN 'https://www.linkedin.com/in/' || u.username END)) END,
           (${anchor} - interval '425 days' + ${secondsToInterval(sql.pick(sql.hash("u.idx", SALT.userCreated), 30 * 86400))})::timestamptz(3),
           a.first_seen, a.last_seen,
           CASE WHEN ${sql.pick(hz, 10)} < 7 THEN (coalesce(a.first_seen, ${spanStart} + ${secondsToInterval(sql.pick(hz, spanSeconds, 8))})
                  - ${secondsToInterval(sql.pick(hz, 30 * 86400, 36))})::timestamptz(3) END
    FROM seed_users u
    LEFT JOIN (SELECT s.user_idx, min(${activityAt(sql, "s", "s.act_offset")}) AS first_seen,
                      max(${activityAt(sql, "s", "s.act_offset + s.act_count - 1")}) AS last_seen
               FROM seed_sessions s WHERE s.act_count > 0 GROUP BY s.user_idx) a ON a.user_idx = u.idx
    ORDER BY u.idx`);
  onProgress("users", U, U);
}
