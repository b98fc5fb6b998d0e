/**
 * Fixtures and an independent sessionization oracle for the trackActivities tests: fresh users
 * (so each scenario starts from an empty timeline), plain-TypeScript gaps-and-islands, and a
 * reader of the partition the database actually holds.
 */
import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { insertRows } from "../../src/db/insert";
import { Role } from "../../src/access";
import type { ActivityInput } from "./../generated/graphql";
import type { World } from "./world";

export const MINUTE = 60_000;
export const GAP_MS = 30 * MINUTE;

/** New users of the world's main organization (company alpha unless told), with no activity. */
export async function addUsers(dataSource: DataSource, world: World, count: number, companyId = world.companies.alpha): Promise<string[]> {
  const tag = randomUUID().slice(0, 8);
  return await insertRows(dataSource.manager, "users", Array.from({ length: count }, (_, i) => ({
    organization_id: world.organizationId,
    company_id: companyId,
    first_name: `Tracked${i}`,
    last_name: `Test ${tag}`,
    email: `tracked${i}.${tag}@example.test`,
    username: `tracked${i}_${tag}`,
    role: Role.MEMBER,
  })));
}

/** A deterministic pseudo-random generator (mulberry32), so a failing case can be replayed. */
export function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** Splits `items` into `n` batches of near-equal size. */
export function batches<T>(items: readonly T[], n: number): T[][] {
  const size = Math.ceil(items.length / n);
  return Array.from({ length: n }, (_, i) => items.slice(i * size, (i + 1) * size)).filter((b) => b.length > 0);
}

/** One event; the label names it, so partitions can be compared by label. */
export function event(userId: string, at: number, label: string, extra: Partial<ActivityInput> = {}): ActivityInput {
  return { userId, occurredAt: new Date(at).toISOString(), category: "Page", action: "View", label, ...extra };
}

/** A partition of labelled times, canonical: each group sorted, groups ordered by first time then label. */
export interface Group {
  labels: string[];
  firstAt: number;
  lastAt: number;
}

function canonical(groups: Group[]): Group[] {
  return groups
    .map((g) => ({ ...g, labels: [...g.labels].sort() }))
    .sort((a, b) => a.firstAt - b.firstAt || a.labels[0].localeCompare(b.labels[0]));
}

/**
 * The oracle: sort by time, open a new group whenever the step from the previous time is more
 * than `gapMs` (a step of exactly `gapMs` stays in the group).
 */
export function gapsAndIslands(points: readonly { at: number; label: string }[], gapMs = GAP_MS): Group[] {
  const sorted = [...points].sort((a, b) => a.at - b.at);
  const groups: Group[] = [];
  for (const p of sorted) {
    const last = groups.at(-1);
    if (last && p.at - last.lastAt <= gapMs) {
      last.labels.push(p.label);
      last.lastAt = p.at;
    } else groups.push({ labels: [p.label], firstAt: p.at, lastAt: p.at });
  }
  return canonical(groups);
}

export interface StoredSession {
  id: string;
  origin: string;
  status: string;
  firstActivityAt: Date | null;
  lastActivityAt: Date | null;
  launchedAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  companyId: string | null;
  organizationId: string;
}

/** The user's activities grouped by session as stored, plus the sessions' own rows. */
export async function storedPartition(dataSource: DataSource, userId: string): Promise<{ groups: Group[]; sessions: Map<string, StoredSession>; bySession: Map<string, Group> }> {
  const rows: { label: string; at: Date; sessionId: string | null }[] = await dataSource.query(
    `SELECT label, occurred_at AS at, session_id AS "sessionId" FROM activities WHERE user_id = $1`,
    [userId],
  );
  const bySession = new Map<string, Group>();
  for (const row of rows) {
    const key = row.sessionId ?? `none:${row.label}`;
    const at = row.at.getTime();
    const group = bySession.get(key);
    if (group) {
      group.labels.push(row.label);
      group.firstAt = Math.min(group.firstAt, at);
      group.lastAt = Math.max(group.lastAt, at);
    } else bySession.set(key, { labels: [row.label], firstAt: at, lastAt: at });
  }
  const sessionRows: StoredSession[] = await dataSource.query(
    `SELECT id, origin, status, first_activity_at AS "firstActivityAt", last_activity_at AS "lastActivityAt", launched_at AS "launchedAt",
            started_at AS "startedAt", completed_at AS "completedAt", company_id AS "companyId", organization_id AS "organizationId"
     FROM sessions WHERE user_id = $1`,
    [userId],
  );
  return { groups: canonical([...bySession.values()]), sessions: new Map(sessionRows.map((s) => [s.id, s])), bySession };
}

/**
 * Asserts the stored partition equals the oracle's, that every session's span is its
 * activities' span, that a TRACKED session's launch/start/completion are that span, and that
 * no session of the user is left without activities.
 */
export async function expectPartition(dataSource: DataSource, userId: string, expected: Group[]): Promise<void> {
  const stored = await storedPartition(dataSource, userId);
  expect(stored.groups).toEqual(expected);
  expect([...stored.bySession.keys()].every((k) => stored.sessions.has(k))).toBe(true);
  expect(stored.sessions.size).toBe(expected.length);
  for (const [id, group] of stored.bySession) {
    const session = stored.sessions.get(id)!;
    expect([session.firstActivityAt?.getTime(), session.lastActivityAt?.getTime()]).toEqual([group.firstAt, group.lastAt]);
    if (session.origin === "TRACKED") {
      expect(session.status).toBe("COMPLETED");
      expect([session.launchedAt.getTime(), session.startedAt?.getTime(), session.completedAt?.getTime()]).toEqual([group.firstAt, group.firstAt, group.lastAt]);
    }
  }
}
