/**
 * Profile fixtures as plain data, and the figures a profile must show, computed in plain
 * TypeScript from those raw events (never from the database), so tests compare the API with
 * an independent calculation.
 *
 * `storeEvents` is the one place events reach the database: through the real `trackActivities`
 * mutation, so sessionization and profiles are checked together against `sessionize` below.
 */
import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { insertRows } from "../../src/db/insert";
import { TrackActivitiesDocument, type ActivityInput } from "../generated/graphql";
import type { GraphQLClient } from "./client";

/** Inactivity that opens a new session: a gap of more than this, not equal to it. */
export const SESSION_GAP_MS = 30 * 60_000;
const DAY_MS = 86_400_000;

export interface Content {
  id: string;
  name: string;
  slug: string;
}

export interface FixtureEvent {
  at: string;
  category: string;
  action: string;
  label?: string | null;
  content?: Content | null;
}

export interface FixtureUser {
  id: string;
  organizationId: string;
  companyId: string;
}

/** Gaps and islands: events in time order, a new island after a gap of more than SESSION_GAP_MS. */
export function sessionize(events: readonly FixtureEvent[]): FixtureEvent[][] {
  const sorted = [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const sessions: FixtureEvent[][] = [];
  let previous = -Infinity;
  for (const event of sorted) {
    const t = Date.parse(event.at);
    if (t - previous > SESSION_GAP_MS) sessions.push([]);
    sessions[sessions.length - 1].push(event);
    previous = t;
  }
  return sessions;
}

/** Stores each user's events as tracked activities in sessions (see the file comment). */
/**
 * Stores the fixture events through the real ingestion (`trackActivities`, as an admin of the
 * users' organization), newest first and in batches, so the sessions the profiles read are the
 * ones sessionization made; the expected figures come from `sessionize` over the raw events.
 */
export async function storeEvents(
  adminOf: (user: FixtureUser) => GraphQLClient,
  batches: { user: FixtureUser; events: readonly FixtureEvent[] }[],
): Promise<void> {
  const perClient = new Map<GraphQLClient, ActivityInput[]>();
  for (const { user, events } of batches) {
    const inputs = perClient.get(adminOf(user)) ?? [];
    perClient.set(adminOf(user), inputs);
    for (const e of events) {
      inputs.push({
        userId: user.id, occurredAt: new Date(e.at).toISOString(), category: e.category, action: e.action, label: e.label ?? null,
        contentId: e.content?.id ?? null, contentName: e.content?.name ?? null, contentSlug: e.content?.slug ?? null,
      });
    }
  }
  for (const [admin, inputs] of perClient) {
    inputs.reverse();
    for (let i = 0; i < inputs.length; i += 1000) {
      const { trackActivities } = await admin.data(TrackActivitiesDocument, { events: inputs.slice(i, i + 1000) });
      if (trackActivities.rejected.length) throw new Error(`fixture events rejected: ${JSON.stringify(trackActivities.rejected.slice(0, 3))}`);
    }
  }
}

/** Adds a user to an existing company (for cases the shared world lacks). */
export async function addUser(manager: EntityManager, organizationId: string, companyId: string, name: string, options: { excluded?: boolean } = {}): Promise<FixtureUser> {
  const tag = randomUUID().slice(0, 8);
  const [id] = await insertRows(manager, "users", [{
    organization_id: organizationId, company_id: companyId, first_name: name, last_name: `Profile ${tag}`,
    email: `${name}.${tag}@example.test`, username: `${name}_${tag}`, role: "MEMBER", excluded_from_traffic: options.excluded ?? false,
  }]);
  return { id, organizationId, companyId };
}

// ---------------------------------------------------------------------------------------------
// The expected figures.
// ---------------------------------------------------------------------------------------------

/** An instant interval [start, end); null ends are unbounded. */
export interface Interval {
  start: number | null;
  end: number | null;
}

export const ALL_TIME: Interval = { start: null, end: null };

/** Inclusive days `from`..`to` at a fixed UTC offset such as "+09:00" (a zone without DST). */
export function days(from: string, to: string, offset = "Z"): Interval {
  return { start: Date.parse(`${from}T00:00:00${offset}`), end: Date.parse(`${to}T00:00:00${offset}`) + DAY_MS };
}

/** `YYYY-MM-DD` plus `n` days. */
export function plusDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

const within = (t: number, i: Interval) => (i.start === null || t >= i.start) && (i.end === null || t < i.end);

/** Byte order, nulls handled by the caller; ASCII fixtures make it PostgreSQL's "C" collation. */
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const contains = (text: string | null | undefined, search: string) => text != null && text.toLowerCase().includes(search.toLowerCase());

export interface ExpectedTopEvent {
  category: string;
  action: string;
  count: number;
}

export interface ExpectedTopPage {
  title: string | null;
  contentId: string | null;
  contentName: string | null;
  contentSlug: string | null;
  label: string | null;
  views: number;
}

export interface ExpectedProfile {
  totalEvents: number;
  sessionCount: number;
  averageSessionSeconds: number | null;
  topEvents: (first?: number, search?: string) => ExpectedTopEvent[];
  topPages: (first?: number, search?: string) => ExpectedTopPage[];
}

/**
 * The figures of a profile over `interval`, summed over the given users' raw events: events in
 * the interval; sessions (islands of each user's own events) whose first event is in it, with
 * their whole span; top lists over the events in the interval.
 */
export function expectedProfile(eventsPerUser: readonly (readonly FixtureEvent[])[], interval: Interval): ExpectedProfile {
  const events = eventsPerUser.flat().filter((e) => within(Date.parse(e.at), interval));
  const sessions = eventsPerUser.flatMap((userEvents) => sessionize(userEvents)).filter((s) => within(Date.parse(s[0].at), interval));
  const totalMs = sessions.reduce((sum, s) => sum + Date.parse(s[s.length - 1].at) - Date.parse(s[0].at), 0);

  const topEvents = (first = 10, search?: string) => {
    const counts = new Map<string, ExpectedTopEvent>();
    for (const e of events) {
      if (search && !contains(e.category, search) && !contains(e.action, search)) continue;
      const key = JSON.stringify([e.category, e.action]);
      const entry = counts.get(key) ?? { category: e.category, action: e.action, count: 0 };
      entry.count++;
      counts.set(key, entry);
    }
    return [...counts.values()]
      .sort((a, b) => b.count - a.count || byteOrder(a.category, b.category) || byteOrder(a.action, b.action))
      .slice(0, first);
  };

  const topPages = (first = 10, search?: string) => {
    const counts = new Map<string, ExpectedTopPage>();
    for (const e of events) {
      if (e.action !== "View" || (e.category !== "Page" && !e.content)) continue;
      const page = e.content
        ? { title: e.content.name, contentId: e.content.id, contentName: e.content.name, contentSlug: e.content.slug, label: null }
        : { title: e.label ?? null, contentId: null, contentName: null, contentSlug: null, label: e.label ?? null };
      if (search && !(e.content ? contains(e.content.name, search) || contains(e.content.slug, search) : contains(e.label, search))) continue;
      const key = JSON.stringify([page.contentId, page.contentName, page.contentSlug, page.label]);
      const entry = counts.get(key) ?? { ...page, views: 0 };
      entry.views++;
      counts.set(key, entry);
    }
    const nullsLast = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : byteOrder(a, b));
    const nullsFirst = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : byteOrder(a, b));
    return [...counts.values()]
      .sort((a, b) => b.views - a.views || nullsLast(a.title, b.title) || nullsFirst(a.contentId, b.contentId) || nullsFirst(a.contentSlug, b.contentSlug))
      .slice(0, first);
  };

  return {
    totalEvents: events.length,
    sessionCount: sessions.length,
    averageSessionSeconds: sessions.length === 0 ? null : totalMs / 1000 / sessions.length,
    topEvents,
    topPages,
  };
}
