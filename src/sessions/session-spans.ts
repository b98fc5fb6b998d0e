/**
 * A session's activity span (first and last activity time) is stored on the session, so lists
 * and profiles read it without touching activities. Ingestion refreshes the sessions it touched
 * and the seed the sessions it wrote in bulk, both with this one statement. A TRACKED session's
 * launch, start and completion are its span; a RUN session keeps its own.
 *
 * `ids`: a uuid[] expression; `scope`: the sessions predicate under alias `s` (the viewer's
 * policy for ingestion, the seeded organizations for the seed).
 */
export function sessionSpanRefresh(ids: string, scope: string): string {
  return `UPDATE sessions s SET first_activity_at = x.first_at, last_activity_at = x.last_at,
         launched_at = CASE WHEN s.origin = 'TRACKED' THEN x.first_at ELSE s.launched_at END,
         started_at = CASE WHEN s.origin = 'TRACKED' THEN x.first_at ELSE s.started_at END,
         completed_at = CASE WHEN s.origin = 'TRACKED' THEN x.last_at ELSE s.completed_at END
       FROM (SELECT k.id,
               (SELECT min(a.occurred_at) FROM activities a WHERE a.session_id = k.id) AS first_at,
               (SELECT max(a.occurred_at) FROM activities a WHERE a.session_id = k.id) AS last_at
             FROM unnest(${ids}) AS k(id)) x
       WHERE s.id = x.id AND ${scope} AND x.first_at IS NOT NULL
         AND (s.first_activity_at IS DISTINCT FROM x.first_at OR s.last_activity_at IS DISTINCT FROM x.last_at)`;
}
