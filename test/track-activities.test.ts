/**
 * trackActivities over real HTTP and PostgreSQL: the role matrix, per-event rejections, and
 * sessionization compared with an independent gaps-and-islands calculation, whatever the
 * order, batching or concurrency of arrival.
 */
import { randomUUID } from "node:crypto";
import { issueApiToken } from "../src/api-tokens";
import { Role } from "../src/access";
import { insertRows } from "../src/db/insert";
import { recordStatements } from "../src/db/statement-counter";
import { ErrorCode } from "../src/shared/errors";
import { TrackActivitiesDocument, type ActivityInput, type TrackActivitiesMutation } from "./generated/graphql";
import { GraphQLClient } from "./support/client";
import { addUsers, batches, event, expectPartition, gapsAndIslands, GAP_MS, MINUTE, randomSource, shuffle, storedPartition } from "./support/tracking";
import { useWorld, type Caller } from "./support/world";

const t = useWorld({ sessionsPerUser: 1, activitiesPerSession: 1 });
const db = () => t.gateway.dataSource;

/** Well inside the accepted time range, on a whole minute so failures read easily. */
const DAY = 24 * 60 * MINUTE;
const BASE = Math.floor((Date.now() - 10 * 24 * 60 * MINUTE) / MINUTE) * MINUTE;

async function track(client: GraphQLClient, events: ActivityInput[]) {
  return await client.request(TrackActivitiesDocument, { events });
}

async function trackOk(client: GraphQLClient, events: ActivityInput[]): Promise<TrackActivitiesMutation["trackActivities"]> {
  const { body } = await track(client, events);
  expect(body.errors).toBeUndefined();
  return body.data!.trackActivities;
}

async function storedByLabel(label: string): Promise<{ userId: string; organizationId: string; companyId: string | null; sessionId: string | null }[]> {
  return await db().query(
    `SELECT user_id AS "userId", organization_id AS "organizationId", company_id AS "companyId", session_id AS "sessionId" FROM activities WHERE label = $1`,
    [label],
  );
}

describe("who may track for whom", () => {
  type Target = "own (implicit)" | "own (explicit)" | "same-org user" | "other-org user" | "unknown id" | "malformed id";
  const targetId = (caller: Caller, target: Target): string | undefined => {
    const u = t.world.users;
    const self = { asAdmin: u.admin, asDeveloper: u.developer, asMember: u.member, asOtherOrgAdmin: u.otherAdmin, anonymous: u.member }[caller];
    const inOrg = caller === "asOtherOrgAdmin" ? u.otherMember : u.member2;
    const outOfOrg = caller === "asOtherOrgAdmin" ? u.member2 : u.otherMember;
    return {
      "own (implicit)": undefined,
      "own (explicit)": self.id,
      "same-org user": inOrg.id,
      "other-org user": outOfOrg.id,
      "unknown id": randomUUID(),
      "malformed id": "not-a-uuid",
    }[target];
  };
  const stored = { accepted: "accepted" } as const;
  const matrix: Record<Exclude<Caller, "anonymous">, Record<Target, string>> = {
    asAdmin: { "own (implicit)": stored.accepted, "own (explicit)": stored.accepted, "same-org user": stored.accepted, "other-org user": ErrorCode.NOT_FOUND, "unknown id": ErrorCode.NOT_FOUND, "malformed id": ErrorCode.NOT_FOUND },
    asOtherOrgAdmin: { "own (implicit)": stored.accepted, "own (explicit)": stored.accepted, "same-org user": stored.accepted, "other-org user": ErrorCode.NOT_FOUND, "unknown id": ErrorCode.NOT_FOUND, "malformed id": ErrorCode.NOT_FOUND },
    // Non-admins: FORBIDDEN for any other id, existing or not, so existence never leaks.
    asDeveloper: { "own (implicit)": stored.accepted, "own (explicit)": stored.accepted, "same-org user": ErrorCode.FORBIDDEN, "other-org user": ErrorCode.FORBIDDEN, "unknown id": ErrorCode.FORBIDDEN, "malformed id": ErrorCode.FORBIDDEN },
    asMember: { "own (implicit)": stored.accepted, "own (explicit)": stored.accepted, "same-org user": ErrorCode.FORBIDDEN, "other-org user": ErrorCode.FORBIDDEN, "unknown id": ErrorCode.FORBIDDEN, "malformed id": ErrorCode.FORBIDDEN },
  };

  for (const [caller, row] of Object.entries(matrix) as [Exclude<Caller, "anonymous">, Record<Target, string>][]) {
    it(`${caller}: ${Object.entries(row).map(([k, v]) => `${k} → ${v}`).join(", ")}`, async () => {
      const targets = Object.keys(row) as Target[];
      const label = `matrix-${caller}-${randomUUID()}`;
      const ids = targets.map((target) => targetId(caller, target));
      const result = await trackOk(t.world.clients[caller], targets.map((target, i) => ({
        ...event("", BASE + i * MINUTE, `${label}-${i}`),
        userId: ids[i],
      })));
      const outcome = targets.map((_, i) => result.rejected.find((r) => r.index === i)?.code ?? (result.accepted.some((a) => a.index === i) ? "accepted" : "missing"));
      expect(Object.fromEntries(targets.map((target, i) => [target, outcome[i]]))).toEqual(row);
      expect(result.acceptedCount).toBe(result.accepted.length);

      // What was stored: exactly the accepted events, for the right user, with that user's organization and company.
      const self = { asAdmin: "admin", asDeveloper: "developer", asMember: "member", asOtherOrgAdmin: "otherAdmin" } as const;
      for (const [i, target] of targets.entries()) {
        const rows = await storedByLabel(`${label}-${i}`);
        if (row[target] !== "accepted") {
          expect(rows).toEqual([]);
          continue;
        }
        const owner = Object.values(t.world.users).find((u) => u.id === (ids[i] ?? t.world.users[self[caller]].id))!;
        expect(rows).toEqual([{ userId: owner.id, organizationId: owner.organizationId, companyId: owner.companyId, sessionId: result.accepted.find((a) => a.index === i)!.sessionId }]);
      }
    });
  }

  it("anonymous: UNAUTHENTICATED and nothing stored", async () => {
    const label = `anonymous-${randomUUID()}`;
    const { body } = await track(t.world.clients.anonymous, [{ ...event("", BASE, label), userId: undefined }, event(t.world.users.member.id, BASE, label)]);
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe(ErrorCode.UNAUTHENTICATED);
    expect(await storedByLabel(label)).toEqual([]);
  });

  it("an admin's API token acting as MEMBER is a member: another user's id is FORBIDDEN", async () => {
    const m = db().manager;
    const { secret } = await issueApiToken(m, { organizationId: t.world.organizationId, ownerId: t.world.users.admin.id, label: "member-acting token", role: Role.MEMBER });
    const client = new GraphQLClient(t.gateway.url, secret);
    const label = `acting-${randomUUID()}`;
    const result = await trackOk(client, [event(t.world.users.member2.id, BASE, `${label}-0`), { ...event("", BASE, `${label}-1`), userId: undefined }]);
    expect(result.rejected.map((r) => [r.index, r.code])).toEqual([[0, ErrorCode.FORBIDDEN]]);
    expect(await storedByLabel(`${label}-0`)).toEqual([]);
    expect((await storedByLabel(`${label}-1`)).map((r) => r.userId)).toEqual([t.world.users.admin.id]);
  });
});

describe("per-event rejections", () => {
  const long = (n: number) => "x".repeat(n);
  const now = () => Date.now();

  it("rejects each invalid event with its index, code and field, and stores the valid ones", async () => {
    const [userId] = await addUsers(db(), t.world, 1);
    const label = (i: number) => `reject-${i}`;
    const at = (i: number) => BASE + i * MINUTE;
    const cases: [ActivityInput, string | null, string | null][] = [
      [event(userId, at(0), label(0)), null, null],
      [{ ...event(userId, at(1), label(1)), category: "   " }, ErrorCode.BAD_USER_INPUT, "category"],
      [{ ...event(userId, at(2), label(2)), action: "" }, ErrorCode.BAD_USER_INPUT, "action"],
      [{ ...event(userId, at(3), label(3)), category: long(201) }, ErrorCode.BAD_USER_INPUT, "category"],
      [{ ...event(userId, at(4), label(4)), category: ` ${long(200)} ` }, null, null],
      [{ ...event(userId, at(5), label(5)), label: long(4001) }, ErrorCode.BAD_USER_INPUT, "label"],
      [{ ...event(userId, at(6), label(6)), contentId: long(501) }, ErrorCode.BAD_USER_INPUT, "contentId"],
      [{ ...event(userId, at(7), label(7)), category: "Pa\u0000ge" }, ErrorCode.BAD_USER_INPUT, "category"],
      [{ ...event(userId, at(8), label(8)), action: "\u0000" }, ErrorCode.BAD_USER_INPUT, "action"],
      [{ ...event(userId, at(9), `${label(9)}\u0000`) }, ErrorCode.BAD_USER_INPUT, "label"],
      [{ ...event(userId, at(10), label(10)), contentId: "c\u0000" }, ErrorCode.BAD_USER_INPUT, "contentId"],
      [{ ...event(userId, at(11), label(11)), contentName: "\u0000name" }, ErrorCode.BAD_USER_INPUT, "contentName"],
      [{ ...event(userId, at(12), label(12)), contentSlug: "slug\u0000" }, ErrorCode.BAD_USER_INPUT, "contentSlug"],
      [{ ...event(userId, now() + 10 * MINUTE, label(13)) }, ErrorCode.BAD_USER_INPUT, "occurredAt"],
      [{ ...event(userId, Date.parse("1999-12-31T23:59:59.999Z"), label(14)) }, ErrorCode.BAD_USER_INPUT, "occurredAt"],
      [{ ...event(userId, now() + MINUTE, label(15)) }, null, null],
      [{ ...event(t.world.users.otherMember.id, at(16), label(16)) }, ErrorCode.NOT_FOUND, "userId"],
      [{ ...event(`${userId.slice(0, 35)}\u0000`, at(17), label(17)) }, ErrorCode.NOT_FOUND, "userId"],
      [{ ...event(userId, at(18), label(18)), contentName: long(501) }, ErrorCode.BAD_USER_INPUT, "contentName"],
      [{ ...event(userId, at(19), label(19)), contentSlug: long(501) }, ErrorCode.BAD_USER_INPUT, "contentSlug"],
      [{ ...event(userId, at(20), label(20)), action: long(201) }, ErrorCode.BAD_USER_INPUT, "action"],
      [event(userId, at(21), label(21)), null, null],
    ];
    const logsBefore = t.gateway.logs.length;
    const result = await trackOk(t.world.clients.asAdmin, cases.map(([e]) => e));

    const expectedRejections = cases.flatMap(([, code, field], index) => (code ? [{ index, code, field }] : []));
    expect(result.rejected.map(({ index, code, field }) => ({ index, code, field }))).toEqual(expectedRejections);
    for (const r of result.rejected) expect(r.reason).toMatch(/\S/);
    const acceptedIndexes = cases.flatMap(([, code], index) => (code ? [] : [index]));
    expect(result.accepted.map((a) => a.index)).toEqual(acceptedIndexes);
    expect(result.acceptedCount).toBe(acceptedIndexes.length);

    const rows: { label: string; category: string }[] = await db().query(`SELECT label, category FROM activities WHERE user_id = $1 ORDER BY occurred_at`, [userId]);
    expect(rows.map((r) => r.label).sort()).toEqual(acceptedIndexes.map(label).sort());
    // Names are stored trimmed.
    expect(rows.find((r) => r.label === label(4))!.category).toBe(long(200));
    // No event ever reached PostgreSQL as an error.
    expect(t.gateway.logs.slice(logsBefore).filter((l) => /query failed|unhandled error/.test(l))).toEqual([]);
  });

  it("stores page views with the longest allowed multi-byte label and content fields (no index entry too large)", async () => {
    const [userId] = await addUsers(db(), t.world, 1);
    const wide = (n: number) => "é😀".repeat(Math.ceil(n / 2)).slice(0, n);
    const pageView = { ...event(userId, BASE, wide(4000)), category: "Page", action: "View" };
    const contentView = { ...event(userId, BASE + MINUTE, wide(4000)), category: "Content - Course", action: "View", contentId: wide(500), contentName: wide(500), contentSlug: wide(500) };
    const result = await trackOk(t.world.clients.asAdmin, [pageView, contentView]);
    expect(result.rejected).toEqual([]);
    const [{ n }] = await db().query(`SELECT count(*)::int AS n FROM activities WHERE user_id = $1 AND action = 'View'`, [userId]);
    expect(n).toBe(2);
  });

  it("an admin's malformed or unknown user ids are NOT_FOUND; nothing about them is stored", async () => {
    const result = await trackOk(t.world.clients.asAdmin, [event("", BASE, "x"), event(randomUUID(), BASE, "y")].map((e, i) => ({ ...e, userId: i === 0 ? "0000" : e.userId })));
    expect(result.rejected.map((r) => r.code)).toEqual([ErrorCode.NOT_FOUND, ErrorCode.NOT_FOUND]);
    expect(result.acceptedCount).toBe(0);
  });

  it("more events than TRACK_BATCH_LIMIT fail the whole call with BAD_USER_INPUT and store nothing", async () => {
    const [userId] = await addUsers(db(), t.world, 1);
    const events = Array.from({ length: 1001 }, (_, i) => event(userId, BASE + i * 1000, `over-${i}`));
    const { body } = await track(t.world.clients.asAdmin, events);
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(body.errors?.[0]?.message).toMatch(/1000/);
    const [{ n }] = await db().query(`SELECT count(*)::int AS n FROM activities WHERE user_id = $1`, [userId]);
    expect(n).toBe(0);
  });
});

describe("sessionization", () => {
  /** About 150 labelled offsets whose steps straddle the gap: exactly it, 1 ms more, ties, long pauses. */
  function timeline(seed: number): { at: number; label: string }[] {
    const random = randomSource(seed);
    const steps = [0, 1, 5 * MINUTE, GAP_MS - 1, GAP_MS, GAP_MS + 1, 45 * MINUTE, 3 * 60 * MINUTE];
    const points: { at: number; label: string }[] = [];
    let at = BASE;
    for (let i = 0; i < 150; i++) {
      points.push({ at, label: `e${i}` });
      at += random() < 0.6 ? steps[Math.floor(random() * steps.length)] : Math.floor(random() * 40 * MINUTE);
    }
    return points;
  }
  const points = timeline(42);
  const expected = gapsAndIslands(points);
  const eventsFor = (userId: string) => points.map((p) => event(userId, p.at, p.label));

  it("the timeline exercises the boundary: exact gaps join, one millisecond more splits", () => {
    const steps = points.slice(1).map((p, i) => p.at - points[i].at);
    expect(steps).toContain(GAP_MS);
    expect(steps).toContain(GAP_MS + 1);
    expect(expected.length).toBeGreaterThan(5);
    expect(expected.some((g) => g.labels.length > 5)).toBe(true);
  });

  it("(a) one batch in time order gives the independent partition, and the answer names each event's session", async () => {
    const [userId] = await addUsers(db(), t.world, 1);
    const result = await trackOk(t.world.clients.asAdmin, eventsFor(userId));
    expect(result.acceptedCount).toBe(points.length);
    await expectPartition(db(), userId, expected);
    const stored: { id: string; sessionId: string }[] = await db().query(`SELECT id, session_id AS "sessionId" FROM activities WHERE user_id = $1`, [userId]);
    const byId = new Map(stored.map((r) => [r.id, r.sessionId]));
    for (const a of result.accepted) expect(byId.get(a.activityId)).toBe(a.sessionId);
  });

  it("(b) the same events shuffled over several sequential batches give the same partition", async () => {
    const [userId] = await addUsers(db(), t.world, 1);
    for (const batch of batches(shuffle(eventsFor(userId), randomSource(7)), 6)) await trackOk(t.world.clients.asAdmin, batch);
    await expectPartition(db(), userId, expected);
  });

  it("(b') one event per call, newest first, gives the same partition", async () => {
    const [userId] = await addUsers(db(), t.world, 1);
    for (const e of [...eventsFor(userId)].reverse()) await trackOk(t.world.clients.asAdmin, [e]);
    await expectPartition(db(), userId, expected);
  });

  it("(c) concurrent batches (Promise.all over HTTP), each mixing two users, give the same partitions", async () => {
    const [first, second] = await addUsers(db(), t.world, 2);
    const mixed = shuffle([...eventsFor(first), ...eventsFor(second)], randomSource(11));
    const results = await Promise.all(batches(mixed, 8).map((batch) => trackOk(t.world.clients.asAdmin, batch)));
    expect(results.reduce((n, r) => n + r.acceptedCount, 0)).toBe(2 * points.length);
    await expectPartition(db(), first, expected);
    await expectPartition(db(), second, expected);
  });

  it("a late event that bridges two sessions merges them into the earlier one, attachments included", async () => {
    const [userId] = await addUsers(db(), t.world, 1);
    const [early] = (await trackOk(t.world.clients.asAdmin, [event(userId, BASE, "a"), event(userId, BASE + 10 * MINUTE, "b")])).accepted;
    const [late] = (await trackOk(t.world.clients.asAdmin, [event(userId, BASE + 70 * MINUTE, "d"), event(userId, BASE + 80 * MINUTE, "e")])).accepted;
    expect(late.sessionId).not.toBe(early.sessionId);
    const [attachmentId] = await insertRows(db().manager, "attachments", [{
      organization_id: t.world.organizationId, session_id: late.sessionId, user_id: userId, kind: "LOG", file_name: "x.log", content_type: "text/plain",
    }]);

    // Exactly one gap after "b" and one gap before "d": it joins both.
    const bridge = await trackOk(t.world.clients.asAdmin, [event(userId, BASE + 40 * MINUTE, "c")]);
    expect(bridge.accepted[0].sessionId).toBe(early.sessionId);
    await expectPartition(db(), userId, [{ labels: ["a", "b", "c", "d", "e"], firstAt: BASE, lastAt: BASE + 80 * MINUTE }]);
    expect(await db().query(`SELECT id FROM sessions WHERE id = $1`, [late.sessionId])).toEqual([]);
    expect(await db().query(`SELECT session_id AS "sessionId" FROM attachments WHERE id = $1`, [attachmentId])).toEqual([{ sessionId: early.sessionId }]);

    // One millisecond more than the gap after the last activity: a new session.
    const after = await trackOk(t.world.clients.asAdmin, [event(userId, BASE + 110 * MINUTE + 1, "f")]);
    expect(after.accepted[0].sessionId).not.toBe(early.sessionId);
    await expectPartition(db(), userId, [
      { labels: ["a", "b", "c", "d", "e"], firstAt: BASE, lastAt: BASE + 80 * MINUTE },
      { labels: ["f"], firstAt: BASE + 110 * MINUTE + 1, lastAt: BASE + 110 * MINUTE + 1 },
    ]);
  });

  it("tracked events join a test-run session, which keeps its own status and launch fields and survives a merge", async () => {
    const [userId] = await addUsers(db(), t.world, 1);
    const runStart = BASE + 5 * 60 * MINUTE;
    const [runId] = await insertRows(db().manager, "sessions", [{
      organization_id: t.world.organizationId, user_id: userId, company_id: t.world.companies.alpha, status: "UPLOADED", origin: "RUN",
      launched_at: new Date(runStart - 10 * MINUTE), started_at: new Date(runStart - 5 * MINUTE), completed_at: null,
      first_activity_at: new Date(runStart), last_activity_at: new Date(runStart + MINUTE),
    }]);
    await insertRows(db().manager, "activities", [0, 1].map((i) => ({
      organization_id: t.world.organizationId, user_id: userId, company_id: t.world.companies.alpha, session_id: runId,
      occurred_at: new Date(runStart + i * MINUTE), category: "Page", action: "View", label: `run${i}`,
    })));
    // A tracked session before it, then an event that bridges the two.
    const tracked = await trackOk(t.world.clients.asAdmin, [event(userId, runStart - 50 * MINUTE, "t0")]);
    const bridge = await trackOk(t.world.clients.asAdmin, [event(userId, runStart - 25 * MINUTE, "t1"), event(userId, runStart + 20 * MINUTE, "t2")]);
    expect(bridge.accepted.map((a) => a.sessionId)).toEqual([runId, runId]);
    expect(await db().query(`SELECT id FROM sessions WHERE id = $1`, [tracked.accepted[0].sessionId])).toEqual([]);
    await expectPartition(db(), userId, [{ labels: ["run0", "run1", "t0", "t1", "t2"], firstAt: runStart - 50 * MINUTE, lastAt: runStart + 20 * MINUTE }]);
    const { sessions } = await storedPartition(db(), userId);
    expect(sessions.get(runId)).toMatchObject({
      origin: "RUN", status: "UPLOADED", launchedAt: new Date(runStart - 10 * MINUTE), startedAt: new Date(runStart - 5 * MINUTE), completedAt: null,
    });
  });

  it("tracked sessions take organization and company from the user's row", async () => {
    const [userId] = await addUsers(db(), t.world, 1, t.world.companies.beta);
    const result = await trackOk(t.world.clients.asAdmin, [event(userId, BASE, "x")]);
    const { sessions } = await storedPartition(db(), userId);
    expect(sessions.get(result.accepted[0].sessionId)).toMatchObject({ organizationId: t.world.organizationId, companyId: t.world.companies.beta });
  });
});

describe("first and last seen", () => {
  it("follow the data: the earliest and latest tracked times, whatever the arrival order", async () => {
    const [userId] = await addUsers(db(), t.world, 1);
    const seen = async () => {
      const [row] = await db().query(`SELECT first_seen_at AS "first", last_seen_at AS "last" FROM users WHERE id = $1`, [userId]);
      return [row.first?.getTime() ?? null, row.last?.getTime() ?? null];
    };
    expect(await seen()).toEqual([null, null]);
    await trackOk(t.world.clients.asAdmin, [event(userId, BASE + 100 * MINUTE, "m"), event(userId, BASE + 90 * MINUTE, "n")]);
    expect(await seen()).toEqual([BASE + 90 * MINUTE, BASE + 100 * MINUTE]);
    await trackOk(t.world.clients.asAdmin, [event(userId, BASE + 5, "early")]);
    expect(await seen()).toEqual([BASE + 5, BASE + 100 * MINUTE]);
    await trackOk(t.world.clients.asAdmin, [event(userId, BASE + 500 * MINUTE, "late"), event(userId, BASE + 95 * MINUTE, "inside")]);
    expect(await seen()).toEqual([BASE + 5, BASE + 500 * MINUTE]);
    // A rejected event moves nothing.
    await trackOk(t.world.clients.asAdmin, [{ ...event(userId, BASE - 1000, "bad"), category: "" }]);
    expect(await seen()).toEqual([BASE + 5, BASE + 500 * MINUTE]);
  });
});

describe("cost", () => {
  /** `n` events about 10 minutes apart with a 2-hour pause every 25: many sessions, one call. */
  const spread = (userId: string, n: number, tag: string) =>
    Array.from({ length: n }, (_, i) => event(userId, BASE - 20 * DAY + i * 10 * MINUTE + Math.floor(i / 25) * 120 * MINUTE, `${tag}-${i}`, {
      contentId: `content-${i % 40}`,
      action: i % 7 === 0 ? "Complete" : "View",
    }));

  async function timed(events: ActivityInput[]) {
    const started = performance.now();
    const { body } = await track(t.world.clients.asAdmin, events);
    const ms = performance.now() - started;
    expect(body.errors).toBeUndefined();
    expect(body.data!.trackActivities.acceptedCount).toBe(events.length);
    return { ms, statements: body.extensions!.sqlStatements! };
  }

  it("a 1,000-event batch runs the same statements as a 1-event batch (set-based, no per-event SQL)", async () => {
    const users = await addUsers(db(), t.world, 5);
    await timed(spread(users[0], 1000, "warm"));
    const single = await timed(spread(users[1], 1, "one"));
    const runs = [];
    for (const userId of users.slice(2)) runs.push(await timed(spread(userId, 1000, "many")));
    for (const run of runs) expect(run.statements).toBe(single.statements);
    // API token, START, lock, users, islands, insert sessions, insert activities, first/last seen, content progress, COMMIT.
    expect(single.statements).toBe(10);
    const { sessions } = await storedPartition(db(), users[2]);
    expect(sessions.size).toBe(40);
    const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
    console.log(
      `trackActivities, 1,000 events (40 new sessions, 40 contents), warm, over HTTP: median ${ms[1].toFixed(0)} ms ` +
        `(runs ${runs.map((r) => r.ms.toFixed(0)).join(", ")}), ${runs[0].statements} SQL statements; 1 event: ${single.ms.toFixed(0)} ms, ${single.statements} statements`,
    );
  });

  it("a call that merges sessions adds a fixed four statements, whatever the number of merges (SQL snapshot)", async () => {
    const [userId] = await addUsers(db(), t.world, 1);
    // 20 sessions, each 40 minutes after the previous one's single event...
    await trackOk(t.world.clients.asAdmin, Array.from({ length: 20 }, (_, i) => event(userId, BASE + i * 40 * MINUTE, `s${i}`)));
    expect((await storedPartition(db(), userId)).sessions.size).toBe(20);
    // ...then one batch bridging all of them into one.
    const recorder = recordStatements();
    let cost;
    try {
      cost = await timed(Array.from({ length: 19 }, (_, i) => event(userId, BASE + i * 40 * MINUTE + 20 * MINUTE, `b${i}`)));
    } finally {
      recorder.stop();
    }
    expect((await storedPartition(db(), userId)).sessions.size).toBe(1);
    // API token, START, lock, users, islands, insert activities, reassign, attachments, delete, spans, first/last seen, COMMIT.
    expect(cost.statements).toBe(12);
    const sql = recorder.statements.map((s) => s.replace(/\s+/g, " ").trim()).filter((s) => !s.startsWith("UPDATE api_tokens SET last_used_at") && !s.includes("FROM api_tokens"));
    expect(sql).toMatchSnapshot();
  });
});
