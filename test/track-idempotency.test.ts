/**
 * Idempotent ingestion over real HTTP and PostgreSQL: an event sent again with the same
 * `eventId` (a client retry after a timeout) is not stored again and answers the original
 * activity and session, also when the copies arrive at the same time or in one batch; event ids
 * are per user, so nobody reaches another user's event through one; a bad event id is refused
 * with a stable code and stores nothing.
 */
import { randomUUID } from "node:crypto";
import { ErrorCode } from "../src/shared/errors";
import { DayActivitiesDocument, TrackActivitiesDocument, type ActivityInput, type TrackActivitiesMutation } from "./generated/graphql";
import type { GraphQLClient } from "./support/client";
import { useDatabaseClient } from "./support/database";
import { rowChanges } from "./support/rows";
import { describeScopedMutation } from "./support/scoped";
import { addUsers, event, MINUTE } from "./support/tracking";
import { useWorld, type Caller, type UserKey } from "./support/world";

const t = useWorld({ sessionsPerUser: 1, activitiesPerSession: 1 });
const db = useDatabaseClient();

const DAY = 24 * 60 * MINUTE;
/** Two days ago at 10:00 UTC: a day of its own, well inside the accepted time range. */
const BASE = Math.floor((Date.now() - 2 * DAY) / DAY) * DAY + 10 * 60 * MINUTE;
const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

async function trackOk(client: GraphQLClient, events: ActivityInput[]): Promise<TrackActivitiesMutation["trackActivities"]> {
  const { body } = await client.request(TrackActivitiesDocument, { events });
  expect(body.errors).toBeUndefined();
  return body.data!.trackActivities;
}

async function storedWithEventId(userId: string, eventId: string): Promise<{ id: string; session_id: string }[]> {
  const { rows } = await db().query(`SELECT id, session_id FROM activities WHERE user_id = $1 AND event_id = $2`, [userId, eventId]);
  return rows;
}

/** A fresh user of the main organization and an admin-side view of their day. */
async function freshUser(): Promise<string> {
  const [id] = await addUsers(t.gateway.dataSource, t.world, 1);
  return id;
}

async function dayCount(userId: string, at: number): Promise<number> {
  const { body } = await t.world.clients.asAdmin.request(DayActivitiesDocument, { filter: { userIds: [userId], dateRange: { from: dayOf(at), to: dayOf(at) } } });
  expect(body.errors).toBeUndefined();
  return body.data!.activities.totalCount;
}

describe("trackActivities with eventId", () => {
  it("a retry of a stored event answers the original activity and session and stores nothing; the day's totalCount stays 1", async () => {
    const member = t.world.users.member;
    const eventId = `retry-${randomUUID()}`;
    const sent = { ...event("", BASE, "retried"), userId: undefined, eventId };
    const first = await trackOk(t.world.clients.asMember, [sent]);
    expect(first.accepted).toEqual([{ index: 0, activityId: expect.any(String), sessionId: expect.any(String), duplicate: false }]);
    const again = await trackOk(t.world.clients.asMember, [sent]);
    expect(again).toEqual({ acceptedCount: 1, accepted: [{ ...first.accepted[0], duplicate: true }], rejected: [] });
    expect(await storedWithEventId(member.id, eventId)).toEqual([{ id: first.accepted[0].activityId, session_id: first.accepted[0].sessionId }]);

    const { body } = await t.world.clients.asMember.request(DayActivitiesDocument, { filter: { dateRange: { from: dayOf(BASE), to: dayOf(BASE) } } });
    expect(body.data!.activities.totalCount).toBe(1);
    expect(body.data!.activities.nodes).toEqual([{ id: first.accepted[0].activityId, eventId, label: "retried" }]);
  });

  it("ten concurrent requests carrying the same event store it once, and all answer the same activity", async () => {
    const userId = await freshUser();
    const eventId = `concurrent-${randomUUID()}`;
    const sent = { ...event(userId, BASE, "concurrent"), eventId };
    const results = await Promise.all(Array.from({ length: 10 }, () => trackOk(t.world.clients.asAdmin, [sent])));
    const stored = await storedWithEventId(userId, eventId);
    expect(stored).toHaveLength(1);
    for (const r of results) expect(r.accepted).toEqual([{ index: 0, activityId: stored[0].id, sessionId: stored[0].session_id, duplicate: expect.any(Boolean) }]);
    expect(results.filter((r) => !r.accepted[0].duplicate)).toHaveLength(1);
    expect(await dayCount(userId, BASE)).toBe(1);
    const { rows: [sessions] } = await db().query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [userId]);
    expect(sessions.n).toBe(1);
  });

  it("concurrent batches that overlap store each event once, sessions as if sent once", async () => {
    const userId = await freshUser();
    const events = Array.from({ length: 6 }, (_, i) => ({ ...event(userId, BASE + i * 10 * MINUTE, `overlap-${i}`), eventId: `overlap-${i}` }));
    // Four clients send overlapping slices at the same time, in different orders.
    const slices = [events.slice(0, 4), events.slice(2), [...events].reverse(), events.slice(1, 5)];
    const results = await Promise.all(slices.map((slice) => trackOk(t.world.clients.asAdmin, slice)));
    const { rows } = await db().query(`SELECT event_id, id, session_id FROM activities WHERE user_id = $1 ORDER BY event_id`, [userId]);
    expect(rows.map((r) => r.event_id)).toEqual(events.map((e) => e.eventId));
    expect(new Set(rows.map((r) => r.session_id)).size).toBe(1); // 10 minutes apart: one session
    const byEventId = new Map(rows.map((r) => [r.event_id, r.id]));
    results.forEach((result, s) => {
      expect(result.accepted.map((a) => a.activityId)).toEqual(slices[s].map((e) => byEventId.get(e.eventId)));
    });
    expect(await dayCount(userId, BASE)).toBe(6);
  });

  it("a batch holding the same event twice stores it once; both entries answer it", async () => {
    const userId = await freshUser();
    const sent = { ...event(userId, BASE, "twice"), eventId: "twice" };
    const result = await trackOk(t.world.clients.asAdmin, [sent, { ...event(userId, BASE + MINUTE, "other") }, { ...sent, label: "changed on the way" }]);
    expect(result.acceptedCount).toBe(3);
    expect(result.accepted[2]).toEqual({ ...result.accepted[0], index: 2, duplicate: true });
    expect(result.accepted[1].duplicate).toBe(false);
    const stored = await storedWithEventId(userId, "twice");
    expect(stored).toEqual([{ id: result.accepted[0].activityId, session_id: result.accepted[0].sessionId }]);
    expect(await dayCount(userId, BASE)).toBe(2);
  });

  it("a retry answers the session the event belongs to now, after a later event merged sessions", async () => {
    const userId = await freshUser();
    const late = await trackOk(t.world.clients.asAdmin, [{ ...event(userId, BASE + 50 * MINUTE, "late"), eventId: "late" }]);
    const early = await trackOk(t.world.clients.asAdmin, [{ ...event(userId, BASE, "early"), eventId: "early" }]);
    expect(early.accepted[0].sessionId).not.toBe(late.accepted[0].sessionId);
    const bridge = await trackOk(t.world.clients.asAdmin, [{ ...event(userId, BASE + 25 * MINUTE, "bridge"), eventId: "bridge" }]);
    const retry = await trackOk(t.world.clients.asAdmin, [{ ...event(userId, BASE + 50 * MINUTE, "late"), eventId: "late" }]);
    expect(retry.accepted[0]).toEqual({ index: 0, activityId: late.accepted[0].activityId, sessionId: bridge.accepted[0].sessionId, duplicate: true });
  });

  it("event ids are per user: the same id for two users stores two events", async () => {
    const [a, b] = [await freshUser(), await freshUser()];
    const result = await trackOk(t.world.clients.asAdmin, [{ ...event(a, BASE, "a"), eventId: "shared" }, { ...event(b, BASE, "b"), eventId: "shared" }]);
    expect(result.accepted.map((x) => x.duplicate)).toEqual([false, false]);
    expect(result.accepted[0].activityId).not.toBe(result.accepted[1].activityId);
  });

  describe("a bad eventId is refused on its own, with a stable code, and stores nothing", () => {
    it.each([
      ["over 200 characters", "x".repeat(201)],
      ["blank", "   "],
      ["empty", ""],
    ])("%s", async (_name, eventId) => {
      const userId = await freshUser();
      const result = await trackOk(t.world.clients.asAdmin, [{ ...event(userId, BASE, "bad"), eventId }, { ...event(userId, BASE + MINUTE, "good"), eventId: "y".repeat(200) }]);
      expect(result.rejected).toEqual([{ index: 0, code: ErrorCode.BAD_USER_INPUT, field: "eventId", reason: expect.stringContaining("eventId") }]);
      expect(result.accepted.map((a) => a.index)).toEqual([1]);
      const { rows } = await db().query(`SELECT label, event_id FROM activities WHERE user_id = $1`, [userId]);
      expect(rows).toEqual([{ label: "good", event_id: "y".repeat(200) }]);
    });
  });
});

// Nobody reaches another user's event through its id: the same id sent by any caller for their
// own user stores that caller's own event, and the other user's rows stay exactly as they were.
const SELF: Record<Exclude<Caller, "anonymous">, UserKey> = { asAdmin: "admin", asDeveloper: "developer", asMember: "member", asOtherOrgAdmin: "otherAdmin" };
let slot = 0;
type Tracked = { trackActivities: { accepted: { activityId: string; sessionId: string; duplicate: boolean }[] } };
const ownEvent = (w: typeof t.world, caller: Exclude<Caller, "anonymous">) => (_target: { eventId: string; activityId: string }, data: unknown) => {
  const [accepted] = (data as Tracked).trackActivities.accepted;
  return rowChanges({ activities: { added: [accepted.activityId] }, sessions: { added: [accepted.sessionId] }, users: { changed: [w.users[SELF[caller]].id] } });
};
describeScopedMutation("trackActivities with an eventId another user (member2) already stored", { world: () => t.world, db }, {
  target: async (w) => {
    const eventId = `member2-${randomUUID()}`;
    const result = await trackOk(w.clients.asAdmin, [{ ...event(w.users.member2.id, BASE - 3 * DAY, "member2's"), eventId }]);
    return { eventId, activityId: result.accepted[0].activityId };
  },
  // Each call lands on its own hour, so it opens a session of its own.
  run: (client, target) => client.request(TrackActivitiesDocument, { events: [{ ...event("", BASE - 4 * DAY + (slot++) * 2 * 60 * MINUTE, "mine"), userId: undefined, eventId: target.eventId }] }),
  expected: {
    asAdmin: { changes: (target, data) => ownEvent(t.world, "asAdmin")(target, data) },
    asDeveloper: { changes: (target, data) => ownEvent(t.world, "asDeveloper")(target, data) },
    asMember: { changes: (target, data) => ownEvent(t.world, "asMember")(target, data) },
    asOtherOrgAdmin: { changes: (target, data) => ownEvent(t.world, "asOtherOrgAdmin")(target, data) },
  },
  verify: (target, _caller, { refusal, data }) => {
    if (refusal) return;
    const [accepted] = (data as Tracked).trackActivities.accepted;
    expect(accepted.duplicate).toBe(false);
    expect(accepted.activityId).not.toBe(target.activityId);
  },
});
