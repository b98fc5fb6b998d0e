/**
 * Seeds write activities in bulk, not through ingestion; this gives their sessions the same
 * activity span (first and last activity time) that `trackActivities` maintains, so profiles
 * read seeded and tracked data alike.
 */
export async function updateSessionActivitySpans(
  query: (sql: string, params: unknown[]) => Promise<unknown>,
  organizationIds: readonly string[],
): Promise<void> {
  await query(
    `UPDATE sessions s SET first_activity_at = a.first_at, last_activity_at = a.last_at
     FROM (SELECT session_id, min(occurred_at) AS first_at, max(occurred_at) AS last_at FROM activities
           WHERE organization_id = ANY($1::uuid[]) AND session_id IS NOT NULL GROUP BY session_id) a
     WHERE s.id = a.session_id`,
    [organizationIds],
  );
}
