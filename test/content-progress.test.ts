/**
 * Content progress: kept by trackActivities (order-independent), read through User.contentProgress
 * in every caller's scope with batched loading, and cleared by resetUserContent (admins only),
 * after which events dated at or before the reset never bring it back.
 */
import { randomUUID } from "node:crypto";
import { insertRows } from "../src/db/insert";
import { ErrorCode } from "../src/shared/errors";
import { ResetUserContentDocument, TrackActivitiesDocument, UserContentProgressDocument, type ActivityInput } from "./generated/graphql";
import type { GraphQLClient } from "./support/client";
import { describeScoped } from "./support/scoped";
import { addUsers, event, MINUTE, randomSource, shuffle } from "./support/tracking";
import { useWorld, MAIN_ORG, OTHER_ORG, type Caller, type UserKey } from "./support/world";

const t = useWorld({ sessionsPerUser: 1, activitiesPerSession: 1 });
const db = () => t.gateway.dataSource;
const BASE = Math.floor((Date.now() - 3 * 24 * 60 * MINUTE) / MINUTE) * MINUTE;

/** Two progress rows per world user, written directly: the read matrix needs no ingestion. */
const fixtures = {} as Record<UserKey, string[]>;
beforeAll(async () => {
  for (const key of [...MAIN_ORG, ...OTHER_ORG]) {
    const user = t.world.users[key];
    fixtures[key] = await insertRows(db().manager, "content_progress", [0, 1].map((i) => ({
      organization_id: user.organizationId, user_id: user.id, content_id: `fixture-${i}`, first_seen_at: new Date(BASE + i * MINUTE),
    })));
  }
});

async function trackOk(client: GraphQLClient, events: ActivityInput[]) {
  const { body } = await client.request(TrackActivitiesDocument, { events });
  expect(body.errors).toBeUndefined();
  expect(body.data!.trackActivities.rejected).toEqual([]);
  return body.data!.trackActivities;
}

async function progressRows(userId: string) {
  const rows: { contentId: string; contentName: string | null; contentSlug: string | null; firstSeenAt: Date; completedAt: Date | null }[] = await db().query(
    `SELECT content_id AS "contentId", content_name AS "contentName", content_slug AS "contentSlug", first_seen_at AS "firstSeenAt", completed_at AS "completedAt"
     FROM content_progress WHERE user_id = $1 ORDER BY content_id`,
    [userId],
  );
  return rows.map((r) => ({ ...r, firstSeenAt: r.firstSeenAt.toISOString(), completedAt: r.completedAt?.toISOString() ?? null }));
}

describeScoped("user(id) → contentProgress", () => t.world, {
  read: async (client) => {
    const seen: string[] = [];
    for (const key of [...MAIN_ORG, ...OTHER_ORG]) {
      const { body } = await client.request(UserContentProgressDocument, { id: t.world.users[key].id });
      if (body.errors) return { ids: seen, errors: body.errors };
      seen.push(...(body.data?.user?.contentProgress.map((p) => p.id) ?? []));
    }
    return { ids: seen };
  },
  expected: () => ({
    asAdmin: MAIN_ORG.flatMap((k) => fixtures[k]),
    asDeveloper: fixtures.developer,
    asMember: fixtures.member,
    asOtherOrgAdmin: OTHER_ORG.flatMap((k) => fixtures[k]),
  }),
});

describe("User.contentProgress loading", () => {
  it("costs the same statements for 1 user as for every user of the page (one batch)", async () => {
    const query = `query ($first: Int) { users(first: $first) { nodes { id contentProgress { id contentId } } } }`;
    const count = async (first: number) => {
      const { body } = await t.world.clients.asAdmin.raw<{ users: { nodes: { contentProgress: unknown[] }[] } }>({ query, variables: { first } });
      expect(body.errors).toBeUndefined();
      expect(body.data!.users.nodes.length).toBe(first);
      expect(body.data!.users.nodes.every((n) => n.contentProgress.length >= 2)).toBe(true);
      return body.extensions!.sqlStatements!;
    };
    const one = await count(1);
    expect(await count(MAIN_ORG.length)).toBe(one);
    // API token, users page, one content-progress batch.
    expect(one).toBe(3);
  });
});

describe("ingestion keeps content progress", () => {
  const events = (userId: string): ActivityInput[] => [
    event(userId, BASE + 10 * MINUTE, "v1", { category: "Content - Course", action: "View", contentId: "course-1", contentName: "Course one", contentSlug: "course-one" }),
    event(userId, BASE + 20 * MINUTE, "c1", { category: "Content - Course", action: "Complete", contentId: "course-1" }),
    event(userId, BASE + 5 * MINUTE, "v0", { category: "Content - Course", action: "View", contentId: "course-1", contentName: "Course 1 (old name)" }),
    event(userId, BASE + 15 * MINUTE, "c0", { category: "Content - Course", action: "Complete", contentId: "course-1" }),
    event(userId, BASE + 30 * MINUTE, "c2", { category: "Content - Course", action: "Complete", contentId: "course-1" }),
    event(userId, BASE + 12 * MINUTE, "l1", { category: "Content - Lesson", action: "View", contentId: "lesson-1", contentSlug: "lesson-1" }),
    event(userId, BASE + 13 * MINUTE, "l2", { category: "Content - Lesson", action: "Completed", contentId: "lesson-1" }),
    event(userId, BASE + 14 * MINUTE, "l3", { category: "Content - Lesson", action: "complete", contentId: "lesson-1" }),
    event(userId, BASE + 1 * MINUTE, "p", { category: "Page", action: "View" }),
  ];
  const expected = [
    { contentId: "course-1", contentName: "Course 1 (old name)", contentSlug: "course-one", firstSeenAt: new Date(BASE + 5 * MINUTE).toISOString(), completedAt: new Date(BASE + 15 * MINUTE).toISOString() },
    // Only the exact catalogue action "Complete" completes.
    { contentId: "lesson-1", contentName: null, contentSlug: "lesson-1", firstSeenAt: new Date(BASE + 12 * MINUTE).toISOString(), completedAt: null },
  ];

  it("one row per (user, content): earliest event, earliest Complete, whatever the arrival order", async () => {
    const [inOneBatch, oneByOne, shuffled] = await addUsers(db(), t.world, 3);
    await trackOk(t.world.clients.asAdmin, events(inOneBatch));
    for (const e of events(oneByOne)) await trackOk(t.world.clients.asAdmin, [e]);
    for (const e of shuffle(events(shuffled), randomSource(3))) await trackOk(t.world.clients.asAdmin, [e]);
    expect(await progressRows(inOneBatch)).toEqual(expected);
    expect(await progressRows(oneByOne)).toEqual(expected);
    expect(await progressRows(shuffled)).toEqual(expected);
  });

  it("is readable by the user through User.contentProgress", async () => {
    const { body } = await t.world.clients.asMember.request(UserContentProgressDocument, { id: t.world.users.member.id });
    const before = body.data!.user!.contentProgress.length;
    await trackOk(t.world.clients.asMember, events(t.world.users.member.id).map(({ userId: _u, ...e }) => e));
    const after = await t.world.clients.asMember.data(UserContentProgressDocument, { id: t.world.users.member.id });
    expect(after.user!.contentProgress.length).toBe(before + 2);
    expect(after.user!.contentProgress.find((p) => p.contentId === "course-1")).toMatchObject({ completedAt: expected[0].completedAt, firstSeenAt: expected[0].firstSeenAt });
  });
});

describe("resetUserContent", () => {
  type Outcome = "reset" | string;
  const cases: [Caller, UserKey, Outcome][] = [
    ["asAdmin", "member", "reset"],
    ["asAdmin", "admin", "reset"],
    ["asAdmin", "otherMember", ErrorCode.NOT_FOUND],
    ["asDeveloper", "developer", ErrorCode.FORBIDDEN],
    ["asDeveloper", "member", ErrorCode.FORBIDDEN],
    ["asMember", "member", ErrorCode.FORBIDDEN],
    ["asMember", "member2", ErrorCode.FORBIDDEN],
    ["asOtherOrgAdmin", "member", ErrorCode.NOT_FOUND],
    ["asOtherOrgAdmin", "otherMember", "reset"],
    ["anonymous", "member", ErrorCode.UNAUTHENTICATED],
  ];
  for (const [caller, target, outcome] of cases) {
    it(`${caller} on ${target}: ${outcome}`, async () => {
      const user = t.world.users[target];
      const contentId = `matrix-${randomUUID()}`;
      await insertRows(db().manager, "content_progress", [{ organization_id: user.organizationId, user_id: user.id, content_id: contentId, first_seen_at: new Date(BASE) }]);
      const { body } = await t.world.clients[caller].request(ResetUserContentDocument, { userId: user.id });
      const rows = await progressRows(user.id);
      const [{ resetAt }] = await db().query(`SELECT content_reset_at AS "resetAt" FROM users WHERE id = $1`, [user.id]);
      if (outcome === "reset") {
        expect(body.errors).toBeUndefined();
        expect(body.data!.resetUserContent).toEqual({ id: user.id, contentResetAt: resetAt.toISOString(), contentProgress: [] });
        expect(rows).toEqual([]);
      } else {
        expect(body.data ?? null).toBeNull();
        expect(body.errors?.[0]?.extensions?.code).toBe(outcome);
        expect(rows.map((r) => r.contentId)).toContain(contentId);
      }
    });
  }

  it("an unknown user id is NOT_FOUND; a malformed one BAD_USER_INPUT", async () => {
    const unknown = await t.world.clients.asAdmin.request(ResetUserContentDocument, { userId: randomUUID() });
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe(ErrorCode.NOT_FOUND);
    const malformed = await t.world.clients.asAdmin.request(ResetUserContentDocument, { userId: "nope" });
    expect(malformed.body.errors?.[0]?.extensions?.code).toBe(ErrorCode.BAD_USER_INPUT);
  });

  it("clears only the user's progress, keeps history, and events at or before the reset never bring it back", async () => {
    const [userId, neighbour] = await addUsers(db(), t.world, 2);
    const view = (at: number, label: string, contentId = "course-1", action = "View") => event(userId, at, label, { category: "Content - Course", action, contentId });
    await trackOk(t.world.clients.asAdmin, [view(BASE, "a"), view(BASE + MINUTE, "b", "course-1", "Complete"), view(BASE + 2 * MINUTE, "c", "course-2")]);
    await trackOk(t.world.clients.asAdmin, [event(neighbour, BASE, "n", { category: "Content - Course", action: "View", contentId: "course-1" })]);
    const history = async (id: string) => (await db().query(
      `SELECT (SELECT count(*)::int FROM activities WHERE user_id = $1) AS activities,
              (SELECT array_agg(id ORDER BY id) FROM sessions WHERE user_id = $1) AS sessions,
              (SELECT first_seen_at FROM users WHERE id = $1) AS "firstSeen", (SELECT last_seen_at FROM users WHERE id = $1) AS "lastSeen"`,
      [id],
    ))[0];
    const before = await history(userId);
    expect((await progressRows(userId)).length).toBe(2);

    const { body } = await t.world.clients.asAdmin.request(ResetUserContentDocument, { userId });
    expect(body.errors).toBeUndefined();
    const resetAt = Date.parse(body.data!.resetUserContent.contentResetAt!);
    expect(Math.abs(resetAt - Date.now())).toBeLessThan(60_000);
    expect(await progressRows(userId)).toEqual([]);
    expect(await history(userId)).toEqual(before);
    expect((await progressRows(neighbour)).length).toBe(1);

    // Late events dated before the reset, and exactly at it, are stored but make no progress.
    const late = await trackOk(t.world.clients.asAdmin, [view(BASE + 3 * MINUTE, "late"), view(resetAt - 1, "just-before", "course-2", "Complete"), view(resetAt, "at-reset", "course-3")]);
    expect(late.acceptedCount).toBe(3);
    expect(await progressRows(userId)).toEqual([]);
    expect((await history(userId)).activities).toBe(before.activities + 3);

    // After the reset, progress starts afresh; older events still cannot change it.
    await trackOk(t.world.clients.asAdmin, [view(resetAt + 1, "after")]);
    await trackOk(t.world.clients.asAdmin, [view(resetAt - 5, "older", "course-1", "Complete"), view(BASE, "oldest")]);
    expect(await progressRows(userId)).toEqual([
      { contentId: "course-1", contentName: null, contentSlug: null, firstSeenAt: new Date(resetAt + 1).toISOString(), completedAt: null },
    ]);
  });
});
