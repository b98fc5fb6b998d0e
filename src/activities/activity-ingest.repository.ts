/**
 * The SQL of activity ingestion. Every statement is set-based (arrays through unnest), so a
 * call costs the same handful of statements for 1 event as for 1,000, and every statement is
 * scoped (src/access/statement.ts): it carries the viewer's row predicate for each table it
 * reads or writes. Meant to run inside one transaction that holds the tracked users' advisory
 * locks (`lockUsers`).
 */
import type { ViewerAccess } from "../access";
import { contentProgressUpsert } from "./content-progress-upsert";
import { sessionSpanRefresh } from "../sessions";
import type { TrackEvent } from "./track.validation";

/** A user an event may be stored for: organization and company as the database has them. */
export interface TrackedUser {
  id: string;
  organizationId: string;
  companyId: string | null;
}

/** An event already stored under its client-chosen id. */
export interface StoredEvent {
  userId: string;
  eventId: string;
  activityId: string;
  sessionId: string;
}

/** One gaps-and-islands island of a user's activities that the incoming events belong to. */
export interface Island {
  userId: string;
  firstAt: Date;
  lastAt: Date;
  /** Existing sessions whose activities fall in the island, the one to keep first. */
  sessionIds: string[];
  /** Existing activities of the island without a session (their session was deleted). */
  orphans: number;
}

/** A stretch of one user's timeline and the session all its activities belong to. */
export interface IslandTarget {
  userId: string;
  firstAt: Date;
  lastAt: Date;
  sessionId: string;
}

export interface SessionMerge {
  from: string;
  into: string;
}

/**
 * Serialises ingestion (and content resets) per user: two batches for the same user run one
 * after the other, so the stored sessions are what in-time-order arrival would give. Needs a
 * transaction.
 */
export async function lockUsers(tx: ViewerAccess, userIds: readonly string[]): Promise<void> {
  await tx.lock("sessiongraph.activities", userIds);
}

export class ActivityIngestRepository {
  constructor(private readonly access: ViewerAccess) {}

  /**
   * The stored activities with these (user, event id) pairs, and the session each belongs to
   * now. Run under the users' advisory locks, so no other call can store one of them meanwhile.
   */
  async storedEvents(keys: readonly { userId: string; eventId: string }[]): Promise<StoredEvent[]> {
    if (keys.length === 0) return [];
    return await this.access.query<StoredEvent>(
      { a: "activities" },
      (scope, params) => `SELECT a.user_id AS "userId", a.event_id AS "eventId", a.id AS "activityId", a.session_id AS "sessionId"
       FROM unnest(${params.add(keys.map((k) => k.userId))}::uuid[], ${params.add(keys.map((k) => k.eventId))}::text[]) AS k(user_id, event_id)
       JOIN activities a ON a.user_id = k.user_id AND a.event_id = k.event_id AND ${scope.a}`,
    );
  }

  /**
   * The users among `ids` that the viewer may track for (the users policy), share-locked so
   * they cannot be deleted before the transaction ends. Absent or out-of-scope ids are left out.
   */
  async trackableUsers(ids: readonly string[]): Promise<TrackedUser[]> {
    return await this.access.query<TrackedUser>(
      { u: "users" },
      (scope, params) => `SELECT u.id, u.organization_id AS "organizationId", u.company_id AS "companyId" FROM users u
       WHERE u.id = ANY(${params.add([...ids])}::uuid[]) AND ${scope.u}
       FOR KEY SHARE`,
    );
  }

  /**
   * The islands (activities at most `gapMs` apart, in time order) that the incoming events
   * join, computed over the incoming events plus the user's existing activities in the
   * affected window. Existing sessions already are islands, and adding activities can only
   * extend, open or merge islands, never split one; so the window is the incoming range
   * widened to every session within one gap of it.
   */
  async islands(events: readonly TrackEvent[], gapMs: number): Promise<Island[]> {
    // In "numbered", the default RANGE frame of the running sum gives rows with the same time
    // the same island number (lag's order among them is arbitrary).
    const rows = await this.access.query<{ userId: string; firstAt: Date; lastAt: Date; sessionIds: string[] | null; orphans: number }>(
      { s: "sessions", a: "activities" },
      (scope, params) => {
        const users = params.add(events.map((e) => e.userId));
        const times = params.add(events.map((e) => e.occurredAt));
        const gap = params.add(`${gapMs} milliseconds`);
        return `WITH incoming AS (
         SELECT * FROM unnest(${users}::uuid[], ${times}::timestamptz[]) AS e(user_id, occurred_at)
       ), ranges AS (
         SELECT user_id, min(occurred_at) AS lo, max(occurred_at) AS hi FROM incoming GROUP BY user_id
       ), windows AS (
         SELECT r.user_id, least(r.lo, min(s.first_activity_at)) AS lo, greatest(r.hi, max(s.last_activity_at)) AS hi
         FROM ranges r LEFT JOIN sessions s ON s.user_id = r.user_id AND ${scope.s}
           AND s.first_activity_at IS NOT NULL
           AND s.first_activity_at <= r.hi + ${gap}::interval AND s.last_activity_at >= r.lo - ${gap}::interval
         GROUP BY r.user_id, r.lo, r.hi
       ), points AS (
         SELECT a.user_id, a.occurred_at, a.session_id, false AS incoming
         FROM windows w JOIN activities a ON a.user_id = w.user_id AND a.occurred_at BETWEEN w.lo AND w.hi AND ${scope.a}
         UNION ALL
         SELECT user_id, occurred_at, NULL, true FROM incoming
       ), marked AS (
         SELECT p.*, CASE WHEN p.occurred_at - lag(p.occurred_at) OVER (PARTITION BY p.user_id ORDER BY p.occurred_at) > ${gap}::interval
                     THEN 1 ELSE 0 END AS opens
         FROM points p
       ), numbered AS (
         SELECT m.*, sum(m.opens) OVER (PARTITION BY m.user_id ORDER BY m.occurred_at) AS island FROM marked m
       ), islands AS (
         SELECT user_id, island, min(occurred_at) AS first_at, max(occurred_at) AS last_at, bool_or(incoming) AS has_incoming,
                count(*) FILTER (WHERE session_id IS NULL AND NOT incoming)::int AS orphans
         FROM numbered GROUP BY user_id, island
       ), island_sessions AS (
         SELECT x.user_id, x.island,
                array_agg(s.id ORDER BY s.origin = 'RUN' DESC, s.first_activity_at NULLS LAST, s.launched_at, s.id) AS session_ids
         FROM (SELECT DISTINCT user_id, island, session_id FROM numbered WHERE session_id IS NOT NULL) x
         JOIN sessions s ON s.id = x.session_id AND ${scope.s}
         GROUP BY x.user_id, x.island
       )
       SELECT i.user_id AS "userId", i.first_at AS "firstAt", i.last_at AS "lastAt", i.orphans, s.session_ids AS "sessionIds"
       FROM islands i LEFT JOIN island_sessions s USING (user_id, island)
       WHERE i.has_incoming
       ORDER BY i.user_id, i.first_at`;
      },
    );
    return rows.map((r) => ({ ...r, sessionIds: r.sessionIds ?? [] }));
  }

  /** New TRACKED sessions, one per island without an existing session; ids chosen by the caller. */
  async insertSessions(islands: readonly IslandTarget[]): Promise<void> {
    if (islands.length === 0) return;
    await this.access.query({ u: "users" }, (scope, params) => {
      const columns = [
        params.add(islands.map((i) => i.sessionId)),
        params.add(islands.map((i) => i.userId)),
        params.add(islands.map((i) => i.firstAt)),
        params.add(islands.map((i) => i.lastAt)),
      ];
      return `INSERT INTO sessions (id, organization_id, user_id, company_id, status, origin,
                             launched_at, started_at, completed_at, first_activity_at, last_activity_at)
       SELECT n.id, u.organization_id, u.id, u.company_id, 'COMPLETED', 'TRACKED', n.first_at, n.first_at, n.last_at, n.first_at, n.last_at
       FROM unnest(${columns[0]}::uuid[], ${columns[1]}::uuid[], ${columns[2]}::timestamptz[], ${columns[3]}::timestamptz[])
         AS n(id, user_id, first_at, last_at)
       JOIN users u ON u.id = n.user_id AND ${scope.u}`;
    });
  }

  /** Stores the events with their sessions; organization and company come from the user's row. */
  async insertActivities(rows: readonly { id: string; sessionId: string; event: TrackEvent }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.access.query({ u: "users" }, (scope, params) => {
      const column = (f: (r: (typeof rows)[number]) => unknown) => params.add(rows.map(f));
      const arrays = [
      `${column((r) => r.id)}::uuid[]`,
      `${column((r) => r.event.userId)}::uuid[]`,
      `${column((r) => r.sessionId)}::uuid[]`,
      `${column((r) => r.event.occurredAt)}::timestamptz[]`,
      `${column((r) => r.event.category)}::text[]`,
      `${column((r) => r.event.action)}::text[]`,
      `${column((r) => r.event.label)}::text[]`,
      `${column((r) => r.event.contentId)}::text[]`,
      `${column((r) => r.event.contentName)}::text[]`,
      `${column((r) => r.event.contentSlug)}::text[]`,
      `${column((r) => r.event.eventId)}::text[]`,
      ];
      return `INSERT INTO activities (id, organization_id, user_id, company_id, session_id, occurred_at,
                               category, action, label, content_id, content_name, content_slug, event_id)
       SELECT e.id, u.organization_id, u.id, u.company_id, e.session_id, e.occurred_at,
              e.category, e.action, e.label, e.content_id, e.content_name, e.content_slug, e.event_id
       FROM unnest(${arrays.join(", ")})
         AS e(id, user_id, session_id, occurred_at, category, action, label, content_id, content_name, content_slug, event_id)
       JOIN users u ON u.id = e.user_id AND ${scope.u}`;
    });
  }

  /** Points every existing activity of each island at the island's session (merges, orphans). */
  async reassignActivities(islands: readonly IslandTarget[]): Promise<void> {
    if (islands.length === 0) return;
    await this.access.query({ a: "activities" }, (scope, params) => {
      const u = params.add(islands.map((i) => i.userId));
      const f = params.add(islands.map((i) => i.firstAt));
      const l = params.add(islands.map((i) => i.lastAt));
      const s = params.add(islands.map((i) => i.sessionId));
      return `UPDATE activities a SET session_id = m.session_id
       FROM unnest(${u}::uuid[], ${f}::timestamptz[], ${l}::timestamptz[], ${s}::uuid[]) AS m(user_id, first_at, last_at, session_id)
       WHERE a.user_id = m.user_id AND a.occurred_at BETWEEN m.first_at AND m.last_at
         AND a.session_id IS DISTINCT FROM m.session_id AND ${scope.a}`;
    });
  }

  /**
   * Moves the attachments of merged sessions to the sessions they were merged into. Scoped by
   * both sessions (a scoped join): the attachments policy is about reading files, and a member,
   * who may not read attachments, still merges their own sessions with their files.
   */
  async moveAttachments(merges: readonly SessionMerge[]): Promise<void> {
    if (merges.length === 0) return;
    await this.access.query(
      { merged: "sessions", kept: "sessions" },
      (scope, params) => `UPDATE attachments t SET session_id = kept.id
       FROM unnest(${params.add(merges.map((m) => m.from))}::uuid[], ${params.add(merges.map((m) => m.into))}::uuid[]) AS m(from_id, into_id)
         JOIN sessions merged ON merged.id = m.from_id AND ${scope.merged}
         JOIN sessions kept ON kept.id = m.into_id AND ${scope.kept}
       WHERE t.session_id = merged.id`,
    );
  }

  /** Deletes the given sessions that no longer hold any activity. */
  async deleteEmptySessions(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.access.query(
      { s: "sessions" },
      (scope, params) => `DELETE FROM sessions s WHERE s.id = ANY(${params.add([...ids])}::uuid[]) AND ${scope.s}
         AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.session_id = s.id)`,
    );
  }

  /** Re-reads each session's activity span from its activities (sessionSpanRefresh; two index probes each). */
  async refreshSpans(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.access.query({ s: "sessions" }, (scope, params) => sessionSpanRefresh(`${params.add([...new Set(ids)])}::uuid[]`, scope.s));
  }

  /** Widens each user's first/last seen to the new events (least/greatest: order-independent). */
  async widenSeen(ranges: readonly { userId: string; firstAt: Date; lastAt: Date }[]): Promise<void> {
    if (ranges.length === 0) return;
    await this.access.query(
      { u: "users" },
      (scope, params) => `UPDATE users u SET first_seen_at = least(u.first_seen_at, r.first_at), last_seen_at = greatest(u.last_seen_at, r.last_at)
       FROM unnest(${params.add(ranges.map((r) => r.userId))}::uuid[], ${params.add(ranges.map((r) => r.firstAt))}::timestamptz[], ${params.add(ranges.map((r) => r.lastAt))}::timestamptz[]) AS r(id, first_at, last_at)
       WHERE u.id = r.id AND ${scope.u}
         AND (u.first_seen_at IS NULL OR u.first_seen_at > r.first_at OR u.last_seen_at IS NULL OR u.last_seen_at < r.last_at)`,
    );
  }

  /** Upserts content progress from events with a content id (`contentProgressUpsert`). */
  async upsertProgress(events: readonly TrackEvent[]): Promise<void> {
    const withContent = events.filter((e) => e.contentId !== null);
    if (withContent.length === 0) return;
    await this.access.query({ u: "users" }, (scope, params) => {
      const column = (f: (e: TrackEvent) => unknown, type: string) => `${params.add(withContent.map(f))}::${type}[]`;
      const arrays = [
      column((e) => e.userId, "uuid"),
      column((e) => e.occurredAt, "timestamptz"),
      column((e) => e.action, "text"),
      column((e) => e.contentId, "text"),
      column((e) => e.contentName, "text"),
      column((e) => e.contentSlug, "text"),
      ];
      return contentProgressUpsert(`unnest(${arrays.join(", ")}) AS e(user_id, occurred_at, action, content_id, content_name, content_slug)`, scope.u);
    });
  }
}
