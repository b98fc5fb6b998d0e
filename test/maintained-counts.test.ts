/**
 * Maintained counts (issue 16, item 2): the counters the triggers keep equal count(*) of the rows
 * after every write path (ingestion, merge, cancel, delete, exclude, and random sequences of
 * them), and a list's totalCount is exact and scoped for every filter the counters answer; a
 * filter they cannot answer is counted on the rows, exactly up to the bound and flagged as a
 * lower bound beyond it.
 */
import fc from "fast-check";
import { countsFunctionSource, MAINTAINED_COUNTS } from "../src/db/counters";
import { insertRows } from "../src/db/insert";
import { COUNT_BOUND } from "../src/access";
import { SHORT_SEARCH_COUNT_BOUND } from "../src/sessions/session-search";
import {
  ActivityCountDocument,
  CancelSessionDocument,
  DeleteUserDataDocument,
  SessionCountDocument,
  SessionStatus,
  SetUserExcludedFromTrafficDocument,
  TrackActivitiesDocument,
} from "./generated/graphql";
import { countersDrift } from "./support/counts";
import { describeScoped } from "./support/scoped";
import { addUsers, event, MINUTE } from "./support/tracking";
import { idsOf, MAIN_ORG, OTHER_ORG, useWorld } from "./support/world";

const t = useWorld({ sessionsPerUser: 3, activitiesPerSession: 2 });
const db = () => t.gateway.dataSource;

/** Counter rows of the test's organizations that differ from count(*): [] when right. */
const drift = () => countersDrift(db(), [t.world.organizationId, t.world.otherOrganizationId]);

const T0 = Date.parse("2026-05-10T08:00:00.000Z");

async function track(events: ReturnType<typeof event>[]): Promise<void> {
  const { body } = await t.world.clients.asAdmin.request(TrackActivitiesDocument, { events });
  expect(body.errors).toBeUndefined();
}

/** A session of `userId` in `status` with pending units, written as the product's own rows would be. */
async function pendingSession(userId: string, at: number, status = "PENDING"): Promise<string> {
  const [id] = await insertRows(db().manager, "sessions", [{
    organization_id: t.world.organizationId, user_id: userId, company_id: t.world.companies.alpha, status,
    launched_at: new Date(at), units_pending: 2, app_id: "app.counts", device_type: "Pixel 8", os_version: "14",
  }]);
  return id;
}

describe("maintained counts equal count(*) after each write path", () => {
  it("holds for the world as built (bulk inserts)", async () => {
    expect(await drift()).toEqual([]);
  });

  it("ingestion: new sessions and activities", async () => {
    const [user] = await addUsers(db(), t.world, 1);
    await track([event(user, T0, "a"), event(user, T0 + 5 * MINUTE, "b"), event(user, T0 + 3 * 60 * MINUTE, "c")]);
    expect(await drift()).toEqual([]);
    const [{ n }] = await db().query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [user]);
    expect(n).toBe(2);
  });

  it("merge: a late event bridging two sessions deletes one of them", async () => {
    const [user] = await addUsers(db(), t.world, 1);
    await track([event(user, T0, "a"), event(user, T0 + 50 * MINUTE, "b")]);
    await track([event(user, T0 + 25 * MINUTE, "bridge")]);
    const [{ n }] = await db().query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [user]);
    expect(n).toBe(1);
    expect(await drift()).toEqual([]);
  });

  it("cancel: status and pending units change keys", async () => {
    const id = await pendingSession(t.world.users.member.id, T0);
    const { body } = await t.world.clients.asMember.request(CancelSessionDocument, { id });
    expect(body.data?.cancelSession.status).toBe("CANCELED");
    expect(await drift()).toEqual([]);
  });

  it("exclude: excluding and including a user again", async () => {
    for (const excluded of [true, false]) {
      const { body } = await t.world.clients.asAdmin.request(SetUserExcludedFromTrafficDocument, { userId: t.world.users.member2.id, excluded });
      expect(body.errors).toBeUndefined();
      expect(await drift()).toEqual([]);
    }
  });

  it("delete: a user's data removed permanently", async () => {
    const [user] = await addUsers(db(), t.world, 1);
    await track([event(user, T0, "a"), event(user, T0 + 2 * 60 * MINUTE, "b")]);
    await pendingSession(user, T0 + 4 * 60 * MINUTE);
    const { body } = await t.world.clients.asAdmin.request(DeleteUserDataDocument, { userId: user });
    expect(body.data?.deleteUserData.sessions).toBe(3);
    expect(await drift()).toEqual([]);
  });

  it("holds after random sequences of ingestion, merge, cancel, delete and exclude (property)", async () => {
    const users = await addUsers(db(), t.world, 3);
    const alive = new Set(users);
    const command = fc.oneof(
      // Ingestion (and merges, when a time falls between two sessions of the user).
      fc.record({ kind: fc.constant("track" as const), user: fc.nat(2), minutes: fc.array(fc.nat(600), { minLength: 1, maxLength: 4 }) }),
      fc.record({ kind: fc.constant("pending" as const), user: fc.nat(2), minutes: fc.nat(600) }),
      fc.record({ kind: fc.constant("cancel" as const), user: fc.nat(2) }),
      fc.record({ kind: fc.constant("exclude" as const), user: fc.nat(2), excluded: fc.boolean() }),
      fc.record({ kind: fc.constant("delete" as const), user: fc.nat(2) }),
    );
    let label = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 8 }), async (commands) => {
        for (const c of commands) {
          const user = users[c.user];
          if (!alive.has(user)) continue;
          if (c.kind === "track") await track(c.minutes.map((m) => event(user, T0 + m * MINUTE, `e${label++}`)));
          if (c.kind === "pending") await pendingSession(user, T0 + c.minutes * MINUTE);
          if (c.kind === "cancel") {
            const [row] = await db().query(`SELECT id FROM sessions WHERE user_id = $1 AND status = 'PENDING' LIMIT 1`, [user]);
            if (row) expect((await t.world.clients.asAdmin.request(CancelSessionDocument, { id: row.id })).body.errors).toBeUndefined();
          }
          if (c.kind === "exclude") await t.world.clients.asAdmin.request(SetUserExcludedFromTrafficDocument, { userId: user, excluded: c.excluded });
          if (c.kind === "delete") {
            expect((await t.world.clients.asAdmin.request(DeleteUserDataDocument, { userId: user })).body.errors).toBeUndefined();
            alive.delete(user);
          }
        }
        expect(await drift()).toEqual([]);
        // And what a user reads: the admin's totalCount for these users equals count(*).
        const { sessions } = await t.world.clients.asAdmin.data(SessionCountDocument, { filter: { userIds: users, includeRemoved: true }, first: 0 });
        const [{ n }] = await db().query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = ANY($1::uuid[])`, [users]);
        expect([sessions.totalCount, sessions.totalCountIsExact]).toEqual([n, true]);
      }),
      { numRuns: 12, seed: 1616 },
    );
  });

  it("the trigger functions in the database keep the grains that a bulk load's count fills (src/db/counters.ts)", async () => {
    // The generator counts a load into empty tables with addCountsSql instead of the triggers;
    // both come from MAINTAINED_COUNTS, which must be what the migrations installed.
    const installed = (await db().query(`SELECT proname, prosrc FROM pg_proc WHERE proname LIKE '%\\_maintain\\_counts' ORDER BY proname`)) as { proname: string; prosrc: string }[];
    const described = MAINTAINED_COUNTS.map((c) => ({ proname: `${c.table}_maintain_counts`, prosrc: countsFunctionSource(c) })).sort((a, b) => a.proname.localeCompare(b.proname));
    expect(installed).toEqual(described);
  });
});

describe("totalCount is exact for every filter the counters answer", () => {
  const sessionFilters: [string, (w: typeof t.world) => Record<string, unknown>][] = [
    ["no filter", () => ({})],
    ["includeRemoved", () => ({ includeRemoved: true })],
    ["statuses", () => ({ statuses: [SessionStatus.COMPLETED, SessionStatus.PENDING] })],
    ["pendingUnitsOnly", () => ({ pendingUnitsOnly: true })],
    ["a UTC date range", () => ({ dateRange: { from: "2026-05-31", to: "2026-06-01" } })],
    ["userIds", (w) => ({ userIds: [w.users.member.id, w.users.developer.id] })],
    ["everything at once", (w) => ({ userIds: [w.users.member.id], statuses: [SessionStatus.COMPLETED], dateRange: { from: "2026-01-01" }, includeRemoved: true })],
    // Counted on the rows (no counter key), exactly below the bound.
    ["device types", () => ({ deviceTypes: ["iPhone 15"] })],
    ["OS versions and statuses", () => ({ osVersions: ["17.4"], statuses: [SessionStatus.COMPLETED] })],
    ["search", () => ({ search: "app" })],
    ["device types of named users", (w) => ({ deviceTypes: ["iPhone 15"], userIds: [w.users.member.id] })],
    ["a date range in another time zone", () => ({ dateRange: { from: "2026-05-31", to: "2026-06-01" }, timeZone: "Asia/Tokyo" })],
  ];

  it.each(sessionFilters)("sessions: %s, for each role", async (_, filterOf) => {
    const filter = filterOf(t.world);
    for (const caller of ["asAdmin", "asDeveloper", "asMember", "asOtherOrgAdmin"] as const) {
      const { sessions } = await t.world.clients[caller].data(SessionCountDocument, { filter, first: 500 });
      expect({ caller, totalCount: sessions.totalCount, exact: sessions.totalCountIsExact }).toEqual({ caller, totalCount: sessions.nodes.length, exact: true });
    }
  });

  const activityFilters: [string, (w: typeof t.world) => Record<string, unknown>][] = [
    ["no filter", () => ({})],
    ["userIds", (w) => ({ userIds: [w.users.member.id] })],
    ["companyIds", (w) => ({ companyIds: [w.companies.beta] })],
    ["a UTC date range", () => ({ dateRange: { from: "2026-06-01", to: "2026-06-01" } })],
    ["categories (counted on the rows)", () => ({ categories: ["Page"] })],
  ];

  it.each(activityFilters)("activities: %s, for each role", async (_, filterOf) => {
    const filter = filterOf(t.world);
    for (const caller of ["asAdmin", "asDeveloper", "asMember", "asOtherOrgAdmin"] as const) {
      const { activities } = await t.world.clients[caller].data(ActivityCountDocument, { filter, first: 500 });
      expect({ caller, totalCount: activities.totalCount, exact: activities.totalCountIsExact }).toEqual({ caller, totalCount: activities.nodes.length, exact: true });
    }
  });

  it(`a filter without counter keys matching more than ${COUNT_BOUND} rows says its count is a lower bound`, async () => {
    const [user] = await addUsers(db(), t.world, 1);
    const rows = Array.from({ length: COUNT_BOUND + 5 }, (_, i) => ({
      organization_id: t.world.organizationId, user_id: user, company_id: t.world.companies.alpha, status: "COMPLETED",
      launched_at: new Date(T0 - i * 1000), app_id: "app.bound", app_name: "Bound", device_type: "Bound phone",
    }));
    await insertRows(db().manager, "sessions", rows);
    const admin = t.world.clients.asAdmin;
    const bySearch = (await admin.data(SessionCountDocument, { filter: { search: "app.bound" }, first: 1 })).sessions;
    expect([bySearch.totalCount, bySearch.totalCountIsExact]).toEqual([COUNT_BOUND, false]);
    // Device and user together have no counter grain: counted on the rows.
    const byDeviceAndUser = (await admin.data(SessionCountDocument, { filter: { deviceTypes: ["Bound phone"], userIds: [user] }, first: 1 })).sessions;
    expect([byDeviceAndUser.totalCount, byDeviceAndUser.totalCountIsExact]).toEqual([COUNT_BOUND, false]);
    // The same rows by filters the counters answer: exact, whatever the number.
    for (const filter of [{ userIds: [user] }, { deviceTypes: ["Bound phone"] }]) {
      const counted = (await admin.data(SessionCountDocument, { filter, first: 1 })).sessions;
      expect([counted.totalCount, counted.totalCountIsExact]).toEqual([COUNT_BOUND + 5, true]);
    }
    expect(await drift()).toEqual([]);
  });

  it(`a search no index can narrow (two letters) is counted exactly up to ${SHORT_SEARCH_COUNT_BOUND}, and says so beyond`, async () => {
    const [user] = await addUsers(db(), t.world, 1);
    // Launched an hour apart, newest first, on days of their own (the world's rows are in 2026).
    const launched = (i: number) => new Date(Date.UTC(2031, 0, 10) - (i + 1) * 3_600_000);
    const rows = Array.from({ length: SHORT_SEARCH_COUNT_BOUND + 5 }, (_, i) => ({
      organization_id: t.world.organizationId, user_id: user, company_id: t.world.companies.alpha, status: "COMPLETED",
      launched_at: launched(i), app_id: `app.qz${i}`, app_name: "Qz", device_type: "Qz phone",
    }));
    await insertRows(db().manager, "sessions", rows);
    const { asAdmin, asDeveloper, asMember, asOtherOrgAdmin } = t.world.clients;
    const beyond = (await asAdmin.data(SessionCountDocument, { filter: { search: "qz" }, first: 1 })).sessions;
    expect([beyond.totalCount, beyond.totalCountIsExact]).toEqual([SHORT_SEARCH_COUNT_BOUND, false]);
    // Pages near the bound and past it (the page and its count in one pass): the newest rows in
    // order, as many as asked, the same count.
    const newest = rows.map((_, i) => `app.qz${i}`);
    for (const first of [SHORT_SEARCH_COUNT_BOUND / 2 + 10, SHORT_SEARCH_COUNT_BOUND + 3]) {
      const page = (await asAdmin.data(SessionCountDocument, { filter: { search: "qz" }, first })).sessions;
      expect([page.nodes.length, page.totalCount, page.totalCountIsExact]).toEqual([first, SHORT_SEARCH_COUNT_BOUND, false]);
      const apps: { app_id: string }[] = await db().query(`SELECT app_id FROM sessions WHERE id = ANY($1::uuid[])`, [page.nodes.map((n) => n.id)]);
      expect(apps.map((a) => a.app_id).sort()).toEqual(newest.slice(0, first).sort());
    }
    // Up to the bound, exact: one day holds 24 of them.
    const day = { from: "2031-01-09", to: "2031-01-09" };
    const within = (await asAdmin.data(SessionCountDocument, { filter: { search: "qz", dateRange: day }, first: 500 })).sessions;
    expect([within.totalCount, within.totalCountIsExact, within.nodes.length]).toEqual([24, true, 24]);
    // A search with a trigram keeps the general bound: all 105 rows, exact.
    const longer = (await asAdmin.data(SessionCountDocument, { filter: { search: "app.qz" }, first: 1 })).sessions;
    expect([longer.totalCount, longer.totalCountIsExact]).toEqual([SHORT_SEARCH_COUNT_BOUND + 5, true]);
    // Nobody else's count includes them: not the developer's or member's own, not another organization's.
    for (const client of [asDeveloper, asMember, asOtherOrgAdmin]) {
      const theirs = (await client.data(SessionCountDocument, { filter: { search: "qz" }, first: 500 })).sessions;
      expect([theirs.totalCount, theirs.totalCountIsExact]).toEqual([theirs.nodes.length, true]);
      expect(theirs.totalCount).toBeLessThan(SHORT_SEARCH_COUNT_BOUND);
    }
    expect(await drift()).toEqual([]);
  });
});

// The counters are read under their own policy rules: each role's count is its scope's. The
// range holds the world's rows (launched from 31 May 2026) and none of the rows added above.
const WORLD_DAYS = { from: "2026-05-20", to: "2026-06-30" };
const w = () => t.world;
const countedIds = async (client: typeof t.world.clients.asAdmin, filter: Record<string, unknown> = {}) => {
  const { body } = await client.request(SessionCountDocument, { filter, first: 500 });
  const sessions = body.data?.sessions;
  // The count must agree with the rows the caller sees, and be exact.
  if (sessions) expect([sessions.totalCount, sessions.totalCountIsExact]).toEqual([sessions.nodes.length, true]);
  return { ids: sessions?.nodes.map((n) => n.id) ?? [], errors: body.errors };
};

describeScoped("sessions totalCount from the counters, per role", w, {
  read: (client) => countedIds(client, { dateRange: WORLD_DAYS }),
  expected: (x) => ({
    asAdmin: idsOf(x.sessions, ...MAIN_ORG),
    asDeveloper: idsOf(x.sessions, "developer"),
    asMember: idsOf(x.sessions, "member"),
    asOtherOrgAdmin: idsOf(x.sessions, ...OTHER_ORG),
  }),
});

describeScoped("sessions totalCount for another user's id, per role", w, {
  read: (client) => countedIds(client, { userIds: [t.world.users.member2.id], dateRange: WORLD_DAYS }),
  expected: (x) => ({ asAdmin: x.sessions.member2, asDeveloper: [], asMember: [], asOtherOrgAdmin: [] }),
});

describeScoped("activities totalCount from the counters, per role", w, {
  read: async (client) => {
    const { body } = await client.request(ActivityCountDocument, { filter: { dateRange: WORLD_DAYS }, first: 500 });
    const activities = body.data?.activities;
    if (activities) expect([activities.totalCount, activities.totalCountIsExact]).toEqual([activities.nodes.length, true]);
    return { ids: activities?.nodes.map((n) => n.id) ?? [], errors: body.errors };
  },
  expected: (x) => ({
    asAdmin: idsOf(x.activities, ...MAIN_ORG),
    asDeveloper: idsOf(x.activities, "developer"),
    asMember: idsOf(x.activities, "member"),
    asOtherOrgAdmin: idsOf(x.activities, ...OTHER_ORG),
  }),
});
