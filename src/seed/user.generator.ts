/** Users: names, emails, roles and profiles, and how many sessions each runs; later their seen times. */
import { Role } from "../access";
import type { GeneratorRun } from "./generator-run";
import type { SessionWindow } from "./session-plan.generator";
import { at, lit, SALT, secondsToInterval, textArray } from "./sql";
import { CITIES, COUNTRIES, FIRST_NAMES, JOB_TITLES, LAST_NAMES, PLANS, TAGS } from "./words";

/**
 * Writes the users (the first is the ADMIN, about 10% are DEVELOPERs) and leaves them in
 * `seed_users` with the range [s_start, s_end) of the `userSessions` sessions they run.
 */
export async function generateUsers(run: GeneratorRun, userSessions: number): Promise<void> {
  const { sql, org, query, onProgress } = run;
  const { companies: C, users: U } = run.options;
  const anchor = sql.anchor;
  // Users get a weight (0 for ~5%: they never run a session, else 1..40, the admin 30) and
  // sessions are dealt to them in proportion, by cumulative rounding so the total is exact.
  const M = userSessions;
  onProgress("users", 0, U);
  const hn = sql.hash("i", SALT.userName);
  const hw = sql.hash("i", SALT.userWeight);
  const hm = sql.hash("u.idx", SALT.userMisc);
  const hm2 = sql.hash("u.idx", SALT.userMisc2);
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
  await query(`
    INSERT INTO users (id, organization_id, company_id, first_name, last_name, email, username, country, role,
                       tags, properties, created_at)
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
           (${anchor} - interval '425 days' + ${secondsToInterval(sql.pick(sql.hash("u.idx", SALT.userCreated), 30 * 86400))})::timestamptz(3)
    FROM seed_users u ORDER BY u.idx`);
  onProgress("users", U, U);
}

/** First and last seen from the users' activities; about 70% signed up, shortly before they were first seen. */
export async function updateUsersSeen(run: GeneratorRun, window: SessionWindow): Promise<void> {
  const { sql, org, query } = run;
  const { spanStart, spanSeconds } = window;
  const hz = sql.hash("u.idx", SALT.userSeen);
  await query(`
    UPDATE users AS t SET
      first_seen_at = a.first_seen, last_seen_at = a.last_seen,
      signed_up_at = CASE WHEN ${sql.pick(hz, 10)} < 7 THEN (coalesce(a.first_seen, ${spanStart} + ${secondsToInterval(sql.pick(hz, spanSeconds, 8))})
                            - ${secondsToInterval(sql.pick(hz, 30 * 86400, 36))})::timestamptz(3) END
    FROM seed_users u
    LEFT JOIN (SELECT user_id, min(occurred_at) AS first_seen, max(occurred_at) AS last_seen
               FROM activities WHERE organization_id = ${org} GROUP BY user_id) a ON a.user_id = u.id
    WHERE t.id = u.id`);
}
