/**
 * Content progress from content events: first seen is the earliest event on a content, completed
 * the earliest "Complete" (least() in both directions, so arrival order does not matter); names
 * and slugs come from the earliest event that has them, for the same reason. Events at or before
 * the user's content reset are ignored. Ingestion upserts the events it stores and the demo seed
 * the activities it writes in bulk, both with this one statement.
 *
 * `events`: a FROM item aliased `e` with columns (user_id, occurred_at, action, content_id,
 * content_name, content_slug), content_id not null; `scope`: the users predicate under alias `u`
 * (the viewer's policy for ingestion, the seeded organizations for the seed).
 */
export function contentProgressUpsert(events: string, scope: string): string {
  return `INSERT INTO content_progress AS p (organization_id, user_id, content_id, content_name, content_slug, first_seen_at, completed_at)
       SELECT u.organization_id, u.id, e.content_id,
              (array_agg(e.content_name ORDER BY e.occurred_at) FILTER (WHERE e.content_name IS NOT NULL))[1],
              (array_agg(e.content_slug ORDER BY e.occurred_at) FILTER (WHERE e.content_slug IS NOT NULL))[1],
              min(e.occurred_at), min(e.occurred_at) FILTER (WHERE e.action = 'Complete')
       FROM ${events}
       JOIN users u ON u.id = e.user_id AND ${scope}
       WHERE u.content_reset_at IS NULL OR e.occurred_at > u.content_reset_at
       GROUP BY u.organization_id, u.id, e.content_id
       ON CONFLICT (user_id, content_id) DO UPDATE SET
         first_seen_at = least(p.first_seen_at, EXCLUDED.first_seen_at),
         completed_at = least(p.completed_at, EXCLUDED.completed_at),
         content_name = CASE WHEN EXCLUDED.first_seen_at < p.first_seen_at THEN coalesce(EXCLUDED.content_name, p.content_name)
                             ELSE coalesce(p.content_name, EXCLUDED.content_name) END,
         content_slug = CASE WHEN EXCLUDED.first_seen_at < p.first_seen_at THEN coalesce(EXCLUDED.content_slug, p.content_slug)
                             ELSE coalesce(p.content_slug, EXCLUDED.content_slug) END,
         updated_at = now()
       WHERE EXCLUDED.first_seen_at < p.first_seen_at
          OR EXCLUDED.completed_at < p.completed_at OR (p.completed_at IS NULL AND EXCLUDED.completed_at IS NOT NULL)
          OR (p.content_name IS NULL AND EXCLUDED.content_name IS NOT NULL)
          OR (p.content_slug IS NULL AND EXCLUDED.content_slug IS NOT NULL)`;
}
