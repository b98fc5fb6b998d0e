/**
 * User and company profiles: every figure the API returns is compared with the same figure
 * computed in plain TypeScript from the raw fixture events (test/support/profiles.ts), over
 * custom ranges, time zones and presets; plus the role matrix, input errors and the statement
 * count of profiles nested in a company's users.
 */
import { insertRows } from "../src/db/insert";
import { ErrorCode } from "../src/shared/errors";
import { CompanyProfileDocument, CompanyUsersProfilesDocument, PeriodPreset, UserProfileDocument, type ProfilePeriod } from "./generated/graphql";
import type { GraphQLClient } from "./support/client";
import { describeScoped } from "./support/scoped";
import { CALLERS, useWorld } from "./support/world";
import {
  ALL_TIME, addUser, days, expectedProfile, plusDays, storeEvents,
  type Content, type ExpectedProfile, type FixtureEvent, type FixtureUser, type Interval,
} from "./support/profiles";

const t = useWorld({ sessionsPerUser: 0, withRemoved: false });
/** The admin client of a fixture user's organization (events are tracked as that admin). */
const adminOf = (user: { organizationId: string }) => (user.organizationId === t.world.organizationId ? t.world.clients.asAdmin : t.world.clients.asOtherOrgAdmin);

const course: Content = { id: "cnt_course_1", name: "Research Fundamentals", slug: "research-fundamentals" };
const video: Content = { id: "cnt_video_1", name: "Release Highlights", slug: "release-highlights" };
const today = new Date().toISOString().slice(0, 10);
const dayAt = (offset: number, time = "12:00:00.000Z") => `${plusDays(today, offset)}T${time}`;
const ev = (at: string, category: string, action: string, extra: Partial<FixtureEvent> = {}): FixtureEvent => ({ at, category, action, ...extra });
const pageView = (at: string, label: string) => ev(at, "Page", "View", { label });

/** Hand-made sessions around the edges that matter. */
const memberEvents: FixtureEvent[] = [
  // A: starts 2026-03-10 23:50 and runs into the 11th; the exact 30-minute gap keeps it whole (50 min).
  ev("2026-03-10T23:50:00.000Z", "User", "Log In"),
  pageView("2026-03-11T00:10:00.000Z", "Home"),
  pageView("2026-03-11T00:40:00.000Z", "Pricing 100%"),
  // B: 30 minutes and 1 ms later, a new session (20 min).
  ev("2026-03-11T01:10:00.001Z", "Content - Course", "View", { content: course }),
  ev("2026-03-11T01:25:00.000Z", "Content - Course", "Complete", { content: course }),
  pageView("2026-03-11T01:30:00.001Z", "Pricing 1000"),
  // C: one event, a session of 0 seconds.
  ev("2026-03-12T09:00:00.000Z", "Question - Poll", "Answer", { label: "O'Brien's 50% answer" }),
  // D: 2026-03-13 00:30 to 00:56 in Tokyo (UTC+9), still the 12th in UTC.
  pageView("2026-03-12T15:30:00.000Z", "under_score"),
  pageView("2026-03-12T15:45:00.000Z", "underXscore"),
  pageView("2026-03-12T15:46:00.000Z", "O'Brien's page"),
  ev("2026-03-12T15:50:00.000Z", "Promo 100%", "Click"),
  ev("2026-03-12T15:55:00.000Z", "Feature_Flag", "Toggle"),
  ev("2026-03-12T15:56:00.000Z", "FeatureXFlag", "Toggle"),
  ev("2026-03-12T15:56:30.000Z", "Content - Video", "View", { content: video }),
];

/** A regular pattern: `n` sessions a day apart from `start`, each a few page and content views. */
function routine(start: string, n: number, labels: string[]): FixtureEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const t0 = Date.parse(start) + i * 86_400_000 + i * 7 * 60_000;
    const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
    return [
      ev(at(0), "User", "Log In"),
      pageView(at(3), labels[i % labels.length]),
      ev(at(9 + i), "Content - Video", "View", { content: video }),
      ev(at(12 + i), "Content - Video", i % 2 ? "Play" : "Watch", { content: video }),
      ...(i % 3 === 0 ? [ev(at(40 + i), "Content - Course", "View", { content: course })] : []),
    ];
  }).flat();
}

/** Relative to today (UTC): just inside and just outside each preset. */
const recentEvents: FixtureEvent[] = [
  // Midnight: any later time today would be in the future (refused) in the morning UTC.
  pageView(dayAt(0, "00:00:00.000Z"), "Today"),
  pageView(dayAt(-6, "00:00:00.000Z"), "Six days ago"),
  pageView(dayAt(-7, "23:59:59.999Z"), "Seven days ago"),
  pageView(dayAt(-29, "00:00:00.000Z"), "29 days ago"),
  pageView(dayAt(-30, "23:59:59.999Z"), "30 days ago"),
  pageView(dayAt(-89), "89 days ago"),
  ev(dayAt(-89, "12:20:00.000Z"), "Content - Course", "View", { content: course }),
  pageView(dayAt(-90), "90 days ago"),
  pageView(dayAt(-400), "Long ago"),
];

interface Fixture {
  users: Record<string, FixtureUser>;
  events: Record<string, FixtureEvent[]>;
  /** Company id → the fixture keys of its users who count in traffic. */
  traffic: Record<string, string[]>;
}

const f: Fixture = { users: {}, events: {}, traffic: {} };

beforeAll(async () => {
  const w = t.world;
  const m = t.gateway.dataSource.manager;
  const { alpha, beta, other } = w.companies;
  f.users = {
    admin: w.users.admin, developer: w.users.developer, member: w.users.member, member2: w.users.member2,
    otherAdmin: w.users.otherAdmin, otherMember: w.users.otherMember,
    quiet: await addUser(m, w.organizationId, alpha, "quiet"),
    excluded: await addUser(m, w.organizationId, alpha, "excluded", { excluded: true }),
    recent: await addUser(m, w.organizationId, beta, "recent"),
  };
  f.events = {
    admin: routine("2026-03-09T08:00:00.000Z", 6, ["Home", "Dashboard"]),
    developer: routine("2026-03-10T20:00:00.000Z", 5, ["Docs", "API keys", "Home"]),
    member: memberEvents,
    member2: routine("2026-03-11T10:00:00.000Z", 3, ["Home"]),
    otherAdmin: routine("2026-03-11T10:00:00.000Z", 4, ["Home", "Other"]),
    otherMember: [],
    quiet: [],
    // Excluded from traffic: more views of "Home" than anyone, in alpha's busiest days.
    excluded: [...routine("2026-03-10T22:00:00.000Z", 4, ["Home", "Secret"]), ev("2026-03-11T00:00:00.000Z", "Secret", "Probe")],
    recent: recentEvents,
  };
  f.traffic = { [alpha]: ["admin", "member", "quiet"], [beta]: ["developer", "member2", "recent"], [other]: ["otherAdmin", "otherMember"] };
  await storeEvents(adminOf, Object.entries(f.events).map(([key, events]) => ({ user: f.users[key], events })));
});

const userExpected = (key: string, interval: Interval) => expectedProfile([f.events[key]], interval);
const companyExpected = (companyId: string, interval: Interval) => expectedProfile(f.traffic[companyId].map((k) => f.events[k]), interval);

/** Compares a profile from the API with the independent calculation, top lists at two sizes and a search. */
async function expectProfile(kind: "user" | "company", id: string, period: ProfilePeriod, expected: ExpectedProfile, client: GraphQLClient = t.world.clients.asAdmin) {
  for (const [first, search] of [[100, undefined], [undefined, undefined], [2, undefined], [100, "view"]] as const) {
    const profile = kind === "user"
      ? (await client.data(UserProfileDocument, { id, period, first, search })).user?.profile
      : (await client.data(CompanyProfileDocument, { id, period, first, search })).company?.profile;
    expect(profile).toBeTruthy();
    const context = `${kind} ${id} ${JSON.stringify(period)} first=${first} search=${search}`;
    expect({ context, totalEvents: profile!.totalEvents, sessionCount: profile!.sessionCount })
      .toEqual({ context, totalEvents: expected.totalEvents, sessionCount: expected.sessionCount });
    if (expected.averageSessionSeconds === null) expect(profile!.averageSessionSeconds).toBeNull();
    else expect(profile!.averageSessionSeconds).toBeCloseTo(expected.averageSessionSeconds, 6);
    expect({ context, topEvents: profile!.topEvents }).toEqual({ context, topEvents: expected.topEvents(first ?? 10, search) });
    expect({ context, topPages: profile!.topPages }).toEqual({ context, topPages: expected.topPages(first ?? 10, search) });
  }
}

const MAIN_USERS = ["admin", "developer", "member", "member2", "quiet", "excluded", "recent"];

describe("profiles over custom ranges", () => {
  const cases: [string, ProfilePeriod, Interval][] = [
    ["the day a session starts (it counts whole, though it runs into the next day)", { range: { from: "2026-03-10", to: "2026-03-10" } }, days("2026-03-10", "2026-03-10")],
    ["the next day (the crossing session's events count, the session does not)", { range: { from: "2026-03-11", to: "2026-03-11" } }, days("2026-03-11", "2026-03-11")],
    ["several days", { range: { from: "2026-03-09", to: "2026-03-12" } }, days("2026-03-09", "2026-03-12")],
    ["a day in Asia/Tokyo", { range: { from: "2026-03-13", to: "2026-03-13" }, timeZone: "Asia/Tokyo" }, days("2026-03-13", "2026-03-13", "+09:00")],
    ["an open-ended range", { range: { from: "2026-03-12" } }, { start: Date.parse("2026-03-12T00:00:00Z"), end: null }],
    ["all time", { preset: PeriodPreset.ALL_TIME }, ALL_TIME],
  ];

  it.each(cases)("match the independent calculation for every user: %s", async (_name, period, interval) => {
    for (const key of MAIN_USERS) await expectProfile("user", f.users[key].id, period, userExpected(key, interval));
  });

  it.each(cases)("match the independent calculation for every company: %s", async (_name, period, interval) => {
    for (const companyId of [t.world.companies.alpha, t.world.companies.beta]) {
      await expectProfile("company", companyId, period, companyExpected(companyId, interval));
    }
  });

  it("agree with hand-computed figures at the session edges", async () => {
    const member = f.users.member.id;
    const day = async (from: string, to = from, timeZone?: string) =>
      (await t.world.clients.asAdmin.data(UserProfileDocument, { id: member, period: { range: { from, to }, timeZone } })).user!.profile!;
    // Session A (23:50 → 00:40, the 30-minute gap exactly) counts on the 10th with its 50 minutes.
    expect(await day("2026-03-10")).toMatchObject({ totalEvents: 1, sessionCount: 1, averageSessionSeconds: 3000 });
    // On the 11th: A's two later events and session B (01:10:00.001 → 01:30:00.001, 20 minutes).
    expect(await day("2026-03-11")).toMatchObject({ totalEvents: 5, sessionCount: 1, averageSessionSeconds: 1200 });
    // Tokyo's 13th is 15:00Z on the 12th to 15:00Z on the 13th: session D only (00:30 → 00:56:30).
    expect(await day("2026-03-13", "2026-03-13", "Asia/Tokyo")).toMatchObject({ from: "2026-03-13", to: "2026-03-13", timeZone: "Asia/Tokyo", totalEvents: 7, sessionCount: 1, averageSessionSeconds: 1590 });
    // The 12th in UTC: session C (0 s) and D (1590 s).
    expect(await day("2026-03-12")).toMatchObject({ totalEvents: 8, sessionCount: 2, averageSessionSeconds: 795 });
  });

  it("gives zero figures and a null average to a user without sessions", async () => {
    const { user } = await t.world.clients.asAdmin.data(UserProfileDocument, { id: f.users.quiet.id, period: { preset: PeriodPreset.ALL_TIME } });
    expect(user!.profile).toMatchObject({ totalEvents: 0, sessionCount: 0, averageSessionSeconds: null, topEvents: [], topPages: [] });
  });
});

describe("top lists", () => {
  const all = { preset: PeriodPreset.ALL_TIME };
  const read = async (search: string) =>
    (await t.world.clients.asAdmin.data(UserProfileDocument, { id: f.users.member.id, period: all, first: 100, search })).user!.profile!;

  it("match % and _ literally, case-insensitively", async () => {
    expect((await read("%")).topEvents.map((e) => e.category)).toEqual(["Promo 100%"]);
    expect((await read("E_f")).topEvents.map((e) => e.category)).toEqual(["Feature_Flag"]);
    expect((await read("100%")).topPages.map((p) => p.title)).toEqual(["Pricing 100%"]);
    expect((await read("_")).topPages.map((p) => p.title)).toEqual(["under_score"]);
    expect((await read("o'brien")).topPages.map((p) => p.title)).toEqual(["O'Brien's page"]);
    expect((await read("RESEARCH-FUND")).topPages).toEqual([
      { title: course.name, contentId: course.id, contentName: course.name, contentSlug: course.slug, label: null, views: 1 },
    ]);
    for (const search of ["%", "E_f", "100%", "_", "o'brien", "RESEARCH-FUND", "\\", "'; --"]) {
      const profile = await read(search);
      const expected = userExpected("member", ALL_TIME);
      expect(profile.topEvents).toEqual(expected.topEvents(100, search));
      expect(profile.topPages).toEqual(expected.topPages(100, search));
    }
  });

  it("refuses first above 100 or below 0", async () => {
    for (const first of [101, -1]) {
      const { body } = await t.world.clients.asAdmin.request(UserProfileDocument, { id: f.users.member.id, first });
      expect(body.errors?.[0].extensions?.code).toBe(ErrorCode.BAD_USER_INPUT);
    }
  });
});

describe("presets", () => {
  const presetDays: [PeriodPreset, number][] = [[PeriodPreset.LAST_7_DAYS, 7], [PeriodPreset.LAST_30_DAYS, 30], [PeriodPreset.LAST_90_DAYS, 90]];

  it.each(presetDays)("%s covers the whole days ending today (UTC)", async (preset, n) => {
    const from = plusDays(today, 1 - n);
    const interval = days(from, today);
    const expected = userExpected("recent", interval);
    // The fixture sits on both sides of every bound.
    expect(expected.totalEvents).toBeGreaterThan(0);
    expect(expected.totalEvents).toBeLessThan(recentEvents.length);
    await expectProfile("user", f.users.recent.id, { preset }, expected);
    await expectProfile("company", t.world.companies.beta, { preset }, companyExpected(t.world.companies.beta, interval));
    const { user } = await t.world.clients.asAdmin.data(UserProfileDocument, { id: f.users.recent.id, period: { preset } });
    expect(user!.profile).toMatchObject({ preset, from, to: today, timeZone: "UTC" });
  });

  it("reads today in the period's time zone", async () => {
    const kiritimati = new Date(Date.now() + 14 * 3_600_000).toISOString().slice(0, 10); // UTC+14, no DST
    const from = plusDays(kiritimati, -6);
    const period = { preset: PeriodPreset.LAST_7_DAYS, timeZone: "Pacific/Kiritimati" };
    await expectProfile("user", f.users.recent.id, period, userExpected("recent", days(from, kiritimati, "+14:00")));
    const { user } = await t.world.clients.asAdmin.data(UserProfileDocument, { id: f.users.recent.id, period });
    expect(user!.profile).toMatchObject({ from, to: kiritimati, timeZone: "Pacific/Kiritimati" });
  });

  it("defaults to LAST_30_DAYS in UTC", async () => {
    const interval = days(plusDays(today, -29), today);
    const { user } = await t.world.clients.asAdmin.data(UserProfileDocument, { id: f.users.recent.id });
    expect(user!.profile).toMatchObject({ preset: "LAST_30_DAYS", from: plusDays(today, -29), to: today, timeZone: "UTC", totalEvents: userExpected("recent", interval).totalEvents });
  });

  it("refuses a preset with a range, a reversed or empty range and an unknown time zone", async () => {
    const bad: ProfilePeriod[] = [
      { preset: PeriodPreset.LAST_7_DAYS, range: { from: "2026-03-01", to: "2026-03-02" } },
      { range: { from: "2026-03-02", to: "2026-03-01" } },
      { range: {} },
      { preset: PeriodPreset.ALL_TIME, timeZone: "Mars/Olympus_Mons" },
    ];
    for (const period of bad) {
      for (const document of [UserProfileDocument, CompanyProfileDocument] as const) {
        const id = document === UserProfileDocument ? f.users.member.id : t.world.companies.alpha;
        const { body } = await t.world.clients.asAdmin.request(document as typeof UserProfileDocument, { id, period });
        expect({ period, code: body.errors?.[0].extensions?.code }).toEqual({ period, code: ErrorCode.BAD_USER_INPUT });
      }
    }
  });
});

describe("users excluded from traffic", () => {
  it("count in no company figure but keep their own profile", async () => {
    const { alpha } = t.world.companies;
    const all = { preset: PeriodPreset.ALL_TIME };
    const own = userExpected("excluded", ALL_TIME);
    expect(own.totalEvents).toBeGreaterThan(0);
    await expectProfile("user", f.users.excluded.id, all, own);
    const company = (await t.world.clients.asAdmin.data(CompanyProfileDocument, { id: alpha, period: all, first: 100 })).company!.profile!;
    const withoutExcluded = companyExpected(alpha, ALL_TIME);
    const withExcluded = expectedProfile([...f.traffic[alpha], "excluded"].map((k) => f.events[k]), ALL_TIME);
    expect(company.totalEvents).toBe(withoutExcluded.totalEvents);
    expect(company.totalEvents).toBe(withExcluded.totalEvents - own.totalEvents);
    expect(company.sessionCount).toBe(withExcluded.sessionCount - own.sessionCount);
    expect(company.topEvents.map((e) => e.category)).not.toContain("Secret");
    expect(company.topPages.map((p) => p.title)).not.toContain("Secret");
    // alpha has admin, member, quiet and the excluded user: three count.
    expect(company.userCount).toBe(3);
  });
});

describeScoped("User.profile", () => t.world, {
  read: async (client) => {
    const ids: string[] = [];
    for (const key of Object.keys(f.users)) {
      const { body } = await client.request(UserProfileDocument, { id: f.users[key].id, period: { preset: PeriodPreset.ALL_TIME } });
      if (body.errors) return { ids, errors: body.errors };
      const profile = body.data!.user?.profile;
      if (profile) ids.push(`${key}:${profile.totalEvents}:${profile.sessionCount}`);
    }
    return { ids };
  },
  expected: () => {
    const seen = (keys: string[]) => keys.map((k) => `${k}:${userExpected(k, ALL_TIME).totalEvents}:${userExpected(k, ALL_TIME).sessionCount}`);
    return {
      asAdmin: seen(MAIN_USERS),
      asDeveloper: seen(["developer"]),
      asMember: seen(["member"]),
      asOtherOrgAdmin: seen(["otherAdmin", "otherMember"]),
    };
  },
});

describe("Company.profile role matrix", () => {
  type Outcome = "profile" | "null" | typeof ErrorCode.FORBIDDEN | typeof ErrorCode.UNAUTHENTICATED;
  const expectations: Record<(typeof CALLERS)[number], Record<"alpha" | "beta" | "other", Outcome>> = {
    asAdmin: { alpha: "profile", beta: "profile", other: "null" },
    // Non-admins read their own company, but never its profile.
    asDeveloper: { alpha: "null", beta: ErrorCode.FORBIDDEN, other: "null" },
    asMember: { alpha: ErrorCode.FORBIDDEN, beta: "null", other: "null" },
    asOtherOrgAdmin: { alpha: "null", beta: "null", other: "profile" },
    anonymous: { alpha: ErrorCode.UNAUTHENTICATED, beta: ErrorCode.UNAUTHENTICATED, other: ErrorCode.UNAUTHENTICATED },
  };

  it.each(CALLERS)("%s", async (caller) => {
    for (const name of ["alpha", "beta", "other"] as const) {
      const id = t.world.companies[name];
      const { body } = await t.world.clients[caller].request(CompanyProfileDocument, { id, period: { preset: PeriodPreset.ALL_TIME } });
      const expected = expectations[caller][name];
      if (expected === "profile") {
        expect(body.errors).toBeUndefined();
        const figures = companyExpected(id, ALL_TIME);
        expect(body.data!.company!.profile).toMatchObject({ totalEvents: figures.totalEvents, sessionCount: figures.sessionCount });
      } else if (expected === "null") {
        expect(body.errors).toBeUndefined();
        expect(body.data!.company).toBeNull();
      } else {
        expect({ name, code: body.errors?.[0].extensions?.code }).toEqual({ name, code: expected });
        expect(body.data?.company?.profile ?? null).toBeNull();
      }
    }
  });
});

describe("SQL statements", () => {
  let gamma: string;
  const gammaEvents: FixtureEvent[][] = [];
  const gammaUsers: FixtureUser[] = [];

  beforeAll(async () => {
    const m = t.gateway.dataSource.manager;
    [gamma] = await insertRows(m, "companies", [{ organization_id: t.world.organizationId, name: "Gamma profiles" }]);
    for (let i = 0; i < 20; i++) {
      gammaUsers.push(await addUser(m, t.world.organizationId, gamma, `gamma${String(i).padStart(2, "0")}`));
      gammaEvents.push(routine(`2026-02-${String(1 + i).padStart(2, "0")}T09:00:00.000Z`, 1 + (i % 4), ["Home", `Page ${i}`]));
    }
    await storeEvents(adminOf, gammaUsers.map((user, i) => ({ user, events: gammaEvents[i] })));
  });

  it("are the same for 1 and 20 users of a company, each with profile figures and top events", async () => {
    const count = async (users: number) => {
      const { body } = await t.world.clients.asAdmin.request(CompanyUsersProfilesDocument, { id: gamma, users, period: { preset: PeriodPreset.ALL_TIME } });
      expect(body.errors).toBeUndefined();
      const nodes = body.data!.company!.users.nodes;
      expect(nodes).toHaveLength(users);
      for (const node of nodes) {
        const i = gammaUsers.findIndex((u) => u.id === node.id);
        const expected = expectedProfile([gammaEvents[i]], ALL_TIME);
        expect(node.profile).toMatchObject({ totalEvents: expected.totalEvents, sessionCount: expected.sessionCount, topEvents: expected.topEvents() });
        expect(node.profile!.averageSessionSeconds).toBeCloseTo(expected.averageSessionSeconds!, 6);
      }
      return body.extensions!.sqlStatements!;
    };
    const [one, twenty] = [await count(1), await count(20)];
    expect(twenty).toBe(one);
    // token, the company with its users page folded in, one batch of figures, one batch of top events.
    expect(twenty).toBe(4);
  });
});
