/**
 * Per-event checks for trackActivities, before any SQL: each event is accepted or rejected on
 * its own, with a stable code. Nothing that PostgreSQL would refuse (NUL characters, malformed
 * ids) gets past here, so a bad event never becomes a database error for the whole batch.
 */
import { Role, type Viewer } from "../access";
import { ErrorCode } from "../shared/errors";
import { isUuid } from "../shared/sql";
import type { ActivityInput } from "./activity.inputs";
import type { TrackRejection } from "./track.types";

export const TRACK_LIMITS = {
  /** Longest category or action, after trimming. */
  nameLength: 200,
  /** Longest label (poll answers, chat messages and reviews are free text). */
  labelLength: 4000,
  /** Longest event id (ActivityInput.eventId). */
  eventIdLength: 200,
  /** Longest content id, name or slug. */
  contentLength: 500,
  /** How far in the future an event may be dated (clock skew between clients and us). */
  futureSkewMs: 5 * 60_000,
  /** Events dated earlier than this are refused as clock errors. */
  earliest: new Date("2000-01-01T00:00:00.000Z"),
} as const;

/** An event that passed the checks, normalised (trimmed names, lower-case user id, blanks as null). */
export interface TrackEvent {
  index: number;
  userId: string;
  occurredAt: Date;
  category: string;
  action: string;
  label: string | null;
  contentId: string | null;
  contentName: string | null;
  contentSlug: string | null;
  /** Client-chosen id, unique per user; null without one. */
  eventId: string | null;
}

export interface CheckedEvents {
  events: TrackEvent[];
  rejected: TrackRejection[];
}

class Rejected {
  constructor(
    readonly code: string,
    readonly field: string | null,
    readonly reason: string,
  ) {}
}

const bad = (field: string, reason: string) => new Rejected(ErrorCode.BAD_USER_INPUT, field, reason);

function required(value: string, field: string, max: number): string {
  if (value.includes("\0")) throw bad(field, `${field} contains a NUL character.`);
  const trimmed = value.trim();
  if (trimmed === "") throw bad(field, `${field} must not be blank.`);
  if (trimmed.length > max) throw bad(field, `${field} is longer than ${max} characters.`);
  return trimmed;
}

function optional(value: string | null | undefined, field: string, max: number, trim = false): string | null {
  if (value == null) return null;
  if (value.includes("\0")) throw bad(field, `${field} contains a NUL character.`);
  if (value.length > max) throw bad(field, `${field} is longer than ${max} characters.`);
  const kept = trim ? value.trim() : value;
  return kept.trim() === "" ? null : kept;
}

/**
 * Whose event it is. A non-admin naming anyone but themselves is FORBIDDEN whatever the id
 * (existing, absent, malformed), so the answer never reveals who exists. An admin's id must
 * be a UUID here; whether it is a user of the organization is checked against the database.
 */
function owner(userId: string | null | undefined, viewer: Viewer): string {
  if (userId == null) return viewer.userId;
  const id = userId.toLowerCase();
  if (viewer.role !== Role.ADMIN) {
    if (id !== viewer.userId.toLowerCase()) throw new Rejected(ErrorCode.FORBIDDEN, "userId", "Only admins may track events for another user.");
    return viewer.userId;
  }
  if (!isUuid(id)) throw new Rejected(ErrorCode.NOT_FOUND, "userId", `User ${userId.replace(/\0/g, "")} not found.`);
  return id;
}

/** An event id is taken as sent (no trimming: it is the client's key), but never blank. */
function eventId(value: string | null | undefined): string | null {
  if (value == null) return null;
  if (value.includes("\0")) throw bad("eventId", "eventId contains a NUL character.");
  if (value.trim() === "") throw bad("eventId", "eventId must not be blank.");
  if (value.length > TRACK_LIMITS.eventIdLength) throw bad("eventId", `eventId is longer than ${TRACK_LIMITS.eventIdLength} characters.`);
  return value;
}

function checkEvent(input: ActivityInput, index: number, viewer: Viewer, now: number): TrackEvent {
  const userId = owner(input.userId, viewer);
  const occurredAt = input.occurredAt;
  const time = occurredAt instanceof Date ? occurredAt.getTime() : Number.NaN;
  if (Number.isNaN(time)) throw bad("occurredAt", "occurredAt is not a valid time.");
  if (time > now + TRACK_LIMITS.futureSkewMs) throw bad("occurredAt", `occurredAt is more than ${TRACK_LIMITS.futureSkewMs / 60_000} minutes in the future.`);
  if (time < TRACK_LIMITS.earliest.getTime()) throw bad("occurredAt", `occurredAt is before ${TRACK_LIMITS.earliest.toISOString()}.`);
  return {
    index,
    userId,
    occurredAt,
    category: required(input.category, "category", TRACK_LIMITS.nameLength),
    action: required(input.action, "action", TRACK_LIMITS.nameLength),
    label: optional(input.label, "label", TRACK_LIMITS.labelLength),
    contentId: optional(input.contentId, "contentId", TRACK_LIMITS.contentLength, true),
    contentName: optional(input.contentName, "contentName", TRACK_LIMITS.contentLength),
    contentSlug: optional(input.contentSlug, "contentSlug", TRACK_LIMITS.contentLength),
    eventId: eventId(input.eventId),
  };
}

/** Splits the batch into normalised events and rejections (both in input order); rejections are returned, not thrown. */
export function checkEvents(inputs: readonly ActivityInput[], viewer: Viewer, now: Date): CheckedEvents {
  const events: TrackEvent[] = [];
  const rejected: TrackRejection[] = [];
  inputs.forEach((input, index) => {
    try {
      events.push(checkEvent(input, index, viewer, now.getTime()));
    } catch (error) {
      if (!(error instanceof Rejected)) throw error;
      rejected.push({ index, code: error.code, field: error.field, reason: error.reason });
    }
  });
  return { events, rejected };
}
