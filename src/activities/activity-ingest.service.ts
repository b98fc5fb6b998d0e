/**
 * trackActivities: checks each event, then stores the valid ones and sessionizes them in one
 * transaction per call.
 *
 * Sessionization rule: a user's activities, in time order, belong to one session as long as
 * each comes at most SESSION_GAP_MINUTES after the previous one (exactly the gap still joins;
 * one millisecond more opens a new session). Batches may arrive in any order and at the same
 * time; the per-user advisory lock makes them apply one after the other, and each re-computes
 * the islands around its events, so the stored sessions are exactly what in-time-order
 * arrival would give. An event can only extend a session, open one, or bridge neighbours:
 *  - an island with no session becomes a TRACKED session (COMPLETED, launched and started at
 *    its first activity, completed at its last);
 *  - an island over several sessions keeps one (the earliest test-run session if any, since
 *    it carries the run's own record; otherwise the earliest), moves the others' activities
 *    and attachments to it and deletes them;
 *  - every touched session gets its activity span re-read (and a TRACKED one its launch,
 *    start and completion); a RUN session's status and launch fields are never rewritten.
 */
import { randomUUID } from "node:crypto";
import type { ViewerAccess } from "../access";
import { BadUserInputError, ErrorCode } from "../shared/errors";
import type { ActivityInput } from "./activity.inputs";
import {
  ActivityIngestRepository,
  lockUsers,
  type IslandTarget,
  type SessionMerge,
} from "./activity-ingest.repository";
import { checkEvents, type TrackEvent } from "./track.validation";
import type { TrackedActivity, TrackRejection, TrackResult } from "./track.types";

/** The settings trackActivities runs with. */
export interface TrackSettings {
  /** Minutes of inactivity after which a tracked activity opens a new session. */
  sessionGapMinutes: number;
  /** Most events one trackActivities call accepts. */
  trackBatchLimit: number;
}

export class ActivityTracker {
  constructor(
    private readonly access: ViewerAccess,
    private readonly settings: TrackSettings,
  ) {}

  /**
   * Stores the valid events and reports the others. More events than TRACK_BATCH_LIMIT is
   * BAD_USER_INPUT for the whole call, with nothing stored.
   */
  async track(inputs: readonly ActivityInput[]): Promise<TrackResult> {
    const limit = this.settings.trackBatchLimit;
    if (inputs.length > limit) {
      throw new BadUserInputError(`events: at most ${limit} events per call, got ${inputs.length}.`, { argument: "events" });
    }
    const checked = checkEvents(inputs, this.access.viewer, new Date());
    const rejected: TrackRejection[] = [...checked.rejected];
    let accepted: TrackedActivity[] = [];
    if (checked.events.length > 0) {
      accepted = await this.access.transaction(async (tx) => {
        const repository = new ActivityIngestRepository(tx);
        const userIds = [...new Set(checked.events.map((e) => e.userId))];
        await lockUsers(tx, userIds);
        const found = new Set((await repository.trackableUsers(userIds)).map((u) => u.id));
        const events: TrackEvent[] = [];
        for (const event of checked.events) {
          if (found.has(event.userId)) events.push(event);
          else rejected.push({ index: event.index, code: ErrorCode.NOT_FOUND, field: "userId", reason: `User ${event.userId} not found.` });
        }
        return events.length > 0 ? await this.storeOnce(repository, events) : [];
      });
    }
    accepted.sort((a, b) => a.index - b.index);
    rejected.sort((a, b) => a.index - b.index);
    return { acceptedCount: accepted.length, accepted, rejected };
  }

  /**
   * Idempotent ingestion: an event whose (user, eventId) is already stored, or appeared earlier
   * in this batch, is not stored again and answers the original's activity and session. Runs
   * under the users' advisory locks, so concurrent calls carrying the same event see each other
   * (the unique index activities_user_event is the backstop). No event id, no extra statement.
   */
  private async storeOnce(repository: ActivityIngestRepository, events: TrackEvent[]): Promise<TrackedActivity[]> {
    const key = (userId: string, eventId: string) => `${userId}\0${eventId}`; // NUL never occurs in either
    const withIds = events.filter((e) => e.eventId !== null);
    const stored = new Map((await repository.storedEvents(withIds.map((e) => ({ userId: e.userId, eventId: e.eventId! }))))
      .map((s) => [key(s.userId, s.eventId), s]));
    const fresh: TrackEvent[] = [];
    const firstInBatch = new Map<string, TrackEvent>();
    const repeats: { event: TrackEvent; of: string }[] = [];
    for (const event of events) {
      if (event.eventId === null) { fresh.push(event); continue; }
      const k = key(event.userId, event.eventId);
      if (stored.has(k) || firstInBatch.has(k)) repeats.push({ event, of: k });
      else { firstInBatch.set(k, event); fresh.push(event); }
    }
    const accepted = fresh.length > 0 ? await this.store(repository, fresh) : [];
    const byIndex = new Map(accepted.map((a) => [a.index, a]));
    for (const { event, of } of repeats) {
      const original = stored.get(of) ?? byIndex.get(firstInBatch.get(of)!.index)!;
      accepted.push({ index: event.index, activityId: original.activityId, sessionId: original.sessionId, duplicate: true });
    }
    return accepted;
  }

  private async store(repository: ActivityIngestRepository, events: TrackEvent[]): Promise<TrackedActivity[]> {
    const islands = await repository.islands(events, this.settings.sessionGapMinutes * 60_000);
    const targets = new Map<string, IslandTarget[]>();
    const fresh: IslandTarget[] = [];
    const reassign: IslandTarget[] = [];
    const merges: SessionMerge[] = [];
    const existing: string[] = [];
    for (const island of islands) {
      const [kept, ...merged] = island.sessionIds;
      const target: IslandTarget = { userId: island.userId, firstAt: island.firstAt, lastAt: island.lastAt, sessionId: kept ?? randomUUID() };
      targets.set(island.userId, [...(targets.get(island.userId) ?? []), target]);
      if (kept) existing.push(...island.sessionIds);
      else fresh.push(target);
      merges.push(...merged.map((from) => ({ from, into: target.sessionId })));
      if (merged.length > 0 || island.orphans > 0) reassign.push(target);
    }
    const rows = events.map((event) => ({ id: randomUUID(), sessionId: islandOf(targets, event).sessionId, event }));

    await repository.insertSessions(fresh);
    await repository.insertActivities(rows);
    await repository.reassignActivities(reassign);
    await repository.moveAttachments(merges);
    await repository.deleteEmptySessions(merges.map((m) => m.from));
    await repository.refreshSpans(existing);
    await repository.widenSeen(seenRanges(events));
    await repository.upsertProgress(events);
    return rows.map((r) => ({ index: r.event.index, activityId: r.id, sessionId: r.sessionId, duplicate: false }));
  }
}

/** The island an incoming event fell into (islands never overlap, each contains its events). */
function islandOf(targets: Map<string, IslandTarget[]>, event: TrackEvent): IslandTarget {
  const time = event.occurredAt.getTime();
  const island = targets.get(event.userId)?.find((t) => t.firstAt.getTime() <= time && time <= t.lastAt.getTime());
  if (!island) throw new Error(`no island holds event ${event.index} of user ${event.userId}`);
  return island;
}

function seenRanges(events: readonly TrackEvent[]): { userId: string; firstAt: Date; lastAt: Date }[] {
  const ranges = new Map<string, { userId: string; firstAt: Date; lastAt: Date }>();
  for (const { userId, occurredAt } of events) {
    const range = ranges.get(userId);
    if (!range) ranges.set(userId, { userId, firstAt: occurredAt, lastAt: occurredAt });
    else {
      if (occurredAt < range.firstAt) range.firstAt = occurredAt;
      if (occurredAt > range.lastAt) range.lastAt = occurredAt;
    }
  }
  return [...ranges.values()];
}
