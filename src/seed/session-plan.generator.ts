/**
 * The session plan: which user runs each session and when (the time model in generate.ts), its
 * status, and how many activities it gets. Sessions, attachments and activities are all written
 * from the plan's `seed_sessions` table.
 */
import { ACTIVITY_CHUNK, SESSION_CHUNK, type GeneratorRun } from "./generator-run";
import { at, intArray, SALT, secondsToInterval, textArray, type Sql } from "./sql";
import { COMPLETED_STATUSES, FORCED_STATUSES, OLD_STATUS_WEIGHTS, RECENT_STATUS_WEIGHTS, STARTED_STATUSES } from "./statuses";
import { BOOKED_MINUTES } from "./words";

/** The time window all sessions lie in: `spanSeconds` long, starting at the SQL expression `spanStart`. */
export interface SessionWindow {
  spanSeconds: number;
  spanStart: string;
}

/**
 * When activity `i` (a bigint SQL expression) of the planned session `s` (an alias of
 * `seed_sessions`) occurs: spaced by `step_s` plus a jitter below half a step. Strictly increasing
 * in `i`, so a session's first and last activity are those of `act_offset` and
 * `act_offset + act_count - 1`; the sessions are written with that span, the activities at these times.
 */
export function activityAt(sql: Sql, s: string, i: string): string {
  return `(${s}.started_at + ${secondsToInterval(`((${i}) - ${s}.act_offset) * ${s}.step_s + ${sql.frac(sql.hash(i, SALT.activity), 32)} * ${s}.step_s * 0.5`)})::timestamptz(3)`;
}

/** Sessions run by users; the rest are anonymous runs: about 1% of the sessions, none below 20 sessions. */
export function sessionsRunByUsers(sessions: number): number {
  const anonymous = sessions >= 20 ? Math.max(1, Math.round(sessions / 100)) : 0;
  return sessions === 0 ? 0 : sessions - anonymous;
}

/** Plans every session into `seed_sessions`, from the users' session ranges in `seed_users`. */
export async function planSessions(run: GeneratorRun, userSessions: number): Promise<SessionWindow> {
  run.onProgress("plan", 0, 3);
  const window = await sessionWindow(run);
  await planSlots(run, window, userSessions);
  run.onProgress("plan", 1, 3);
  const active = await planStatuses(run);
  if (run.options.activities > 0 && active === 0) throw new RangeError("activities need at least one started session of a user; raise --sessions");
  run.onProgress("plan", 2, 3);
  await planTimesAndActivities(run, active);
  run.onProgress("plan", 3, 3);
  return window;
}

async function sessionWindow(run: GeneratorRun): Promise<SessionWindow> {
  const [{ max_n: maxN }] = await run.query<{ max_n: number }>(`SELECT coalesce(max(s_end - s_start), 0)::int AS max_n FROM seed_users`);
  // Each user's slot must hold a session plus a 31-minute gap: at least 3 hours per slot.
  const spanSeconds = Math.max(365 * 86400, maxN * 3 * 3600);
  return { spanSeconds, spanStart: `(${run.sql.anchor} - ${secondsToInterval(String(spanSeconds))})` };
}

/** `seed_slots`: each session's user (none for anonymous runs) and launch time inside the user's slot. */
async function planSlots(run: GeneratorRun, window: SessionWindow, userSessions: number): Promise<void> {
  const { sql, query } = run;
  const { sessions: N } = run.options;
  const { spanSeconds, spanStart } = window;
  const M = userSessions;
  const hl = sql.hash("s", SALT.launch);
  await query(`
    CREATE TEMP TABLE seed_slots ON COMMIT DROP AS
    SELECT q.*, (${spanStart} + ${secondsToInterval("q.launch_off")})::timestamptz(3) AS launched_at
    FROM (
      SELECT s AS idx, u.idx AS user_idx, u.id AS user_id, u.company_id, u.username,
             (s - u.s_start)::int AS k, (u.s_end - u.s_start)::int AS n,
             least(${spanSeconds}::float8 / (u.s_end - u.s_start) * 0.5, 36000::float8) AS maxwin,
             (s - u.s_start) * (${spanSeconds}::float8 / (u.s_end - u.s_start))
               + ${sql.frac(hl)} * (${spanSeconds}::float8 / (u.s_end - u.s_start) - least(${spanSeconds}::float8 / (u.s_end - u.s_start) * 0.5, 36000::float8) - 1860) AS launch_off
      FROM seed_users u CROSS JOIN LATERAL generate_series(u.s_start, u.s_end - 1) s
      UNION ALL
      SELECT s, NULL, NULL, NULL, NULL, 0, 1, 36000::float8, ${sql.frac(hl)} * (${spanSeconds} - 36000 - 1860)
      FROM generate_series(${M}, ${N - 1}) s
    ) q`);
}

/**
 * `seed_status`: the 12 most recent user sessions cover every status; a user's last session in
 * the final two weeks is often still open; older ones have mostly reached a final status.
 * Returns how many user sessions have started (only those get activities).
 */
async function planStatuses(run: GeneratorRun): Promise<number> {
  const { sql, query } = run;
  const anchor = sql.anchor;
  const hs = sql.hash("idx", SALT.status);
  await query(`
    CREATE TEMP TABLE seed_status ON COMMIT DROP AS
    SELECT r.*, CASE
             WHEN r.recent_rank <= ${FORCED_STATUSES.length} THEN ${textArray(FORCED_STATUSES)}[r.recent_rank::int]
             WHEN r.user_idx IS NOT NULL AND r.k = r.n - 1 AND r.launched_at > ${anchor} - interval '14 days'
               THEN ${at(textArray(RECENT_STATUS_WEIGHTS), sql.pick(hs, RECENT_STATUS_WEIGHTS.length))}
             ELSE ${at(textArray(OLD_STATUS_WEIGHTS), sql.pick(hs, OLD_STATUS_WEIGHTS.length))}
           END AS status
    FROM (
      SELECT sl.*, CASE WHEN sl.user_idx IS NOT NULL
                   THEN row_number() OVER (PARTITION BY sl.user_idx IS NULL ORDER BY sl.launched_at DESC, sl.idx) END AS recent_rank
      FROM seed_slots sl
    ) r`);
  const [{ active }] = await query<{ active: number }>(
    `SELECT count(*)::int AS active FROM seed_status WHERE user_idx IS NOT NULL AND status = ANY(${textArray(STARTED_STATUSES)})`,
  );
  return active;
}

/**
 * `seed_sessions`: queue, start and completion times, booked minutes, and each session's slice
 * [act_offset, act_offset + act_count) of the activities.
 *
 * Activities are dealt to started user sessions: one each when there are enough, the rest in
 * proportion to a per-session weight (cumulative rounding makes the total exact). They are
 * numbered in order of session start, so each chunk of activities is a slice of time, and
 * sessions are chunked in launch order: with time-ordered ids (see Sql.uuid7) every index
 * but the per-user ones grows at its right edge, which keeps the load fast.
 */
async function planTimesAndActivities(run: GeneratorRun, active: number): Promise<void> {
  const { sql, query } = run;
  const { activities: A } = run.options;
  const base = A >= active ? 1 : 0;
  const rest = A - base * active;
  const h1 = sql.hash("st.idx", SALT.session);
  const total = "nullif((sum(w.aw) OVER ())::bigint, 0)";
  await query(`
    CREATE TEMP TABLE seed_sessions ON COMMIT DROP AS
    WITH q AS (
      SELECT st.*,
             (st.user_idx IS NOT NULL AND st.status = ANY(${textArray(STARTED_STATUSES)})) AS active,
             least(60 + power(${sql.frac(h1, 8)}, 3) * 10800, st.maxwin * 0.25) AS queue_s,
             20 + power(${sql.frac(h1, 28)}, 2) * 880 AS step_raw,
             ${at(intArray(BOOKED_MINUTES), sql.pick(h1, BOOKED_MINUTES.length, 48))} AS booked_min
      FROM seed_status st
    ), w AS (
      SELECT q.*,
             CASE WHEN q.active THEN 1 + ${sql.pick(sql.hash("q.idx", SALT.session), 30, 40)} ELSE 0 END::bigint AS aw,
             CASE WHEN q.status = ANY(${textArray(STARTED_STATUSES)})
                  THEN (q.launched_at + ${secondsToInterval("q.queue_s")})::timestamptz(3) END AS started_at
      FROM q
    ), c AS (
      SELECT w.*,
             CASE WHEN w.active THEN
               ${base} * (count(*) FILTER (WHERE w.active) OVER o - 1)
               + (${rest}::bigint * ((sum(w.aw) OVER o)::bigint - w.aw)) / ${total}
             ELSE 0 END AS act_offset,
             CASE WHEN w.active THEN
               ${base} + (${rest}::bigint * (sum(w.aw) OVER o)::bigint) / ${total}
                       - (${rest}::bigint * ((sum(w.aw) OVER o)::bigint - w.aw)) / ${total}
             ELSE 0 END::int AS act_count,
             ((row_number() OVER (ORDER BY w.launched_at, w.idx) - 1) / ${SESSION_CHUNK})::int AS sess_chunk
      FROM w WINDOW o AS (ORDER BY w.started_at, w.idx)
    ), t AS (
      SELECT c.*, least(c.step_raw, (c.maxwin - c.queue_s - 300) / greatest(c.act_count, 1)) AS step_s
      FROM c
    )
    SELECT t.*, ${sql.uuid7("t.launched_at", "session", "t.idx")} AS id,
           CASE WHEN t.act_count > 0 THEN (t.act_offset / ${ACTIVITY_CHUNK})::int END AS act_chunk,
           CASE WHEN t.status = ANY(${textArray(COMPLETED_STATUSES)}) THEN (t.started_at + ${secondsToInterval(`least(
               greatest(t.act_count * t.step_s + ${sql.frac(sql.hash("t.idx", SALT.session2))} * 300,
                        t.booked_min * 60 * (0.5 + 0.8 * ${sql.frac(sql.hash("t.idx", SALT.session2), 20)})),
               t.maxwin - t.queue_s)`)})::timestamptz(3) END AS completed_at
    FROM t`);
  await query(`CREATE INDEX ON seed_sessions (sess_chunk)`);
  await query(`CREATE INDEX ON seed_sessions (act_chunk)`);
  await query(`ANALYZE seed_sessions`);
}
