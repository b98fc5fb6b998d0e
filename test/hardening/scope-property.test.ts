/**
 * Property: whatever the caller, filter and page, a list never returns a row outside the
 * caller's scope. Random callers x random filters (ids from both organizations and unknown
 * ones, statuses, dates, search, removed rows) x random page sizes and cursors, from a seeded
 * generator so a failure names the seed that reproduces it (SCOPE_SEED=n).
 */
import { randomInt } from "node:crypto";
import { idsOf, useWorld, MAIN_ORG, OTHER_ORG, type Caller, type UserKey, type World } from "../support/world";
import { postJson } from "./hostile";

const t = useWorld({ sessionsPerUser: 4, activitiesPerSession: 2 });
const SEED = Number(process.env.SCOPE_SEED ?? randomInt(1, 2 ** 31));
const RUNS = 60;

/** mulberry32: small, fast, seedable. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    bool: () => next() < 0.5,
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)],
    some: <T>(xs: readonly T[]) => xs.filter(() => next() < 0.3),
  };
}

const CALLERS: Exclude<Caller, "anonymous">[] = ["asAdmin", "asDeveloper", "asMember", "asOtherOrgAdmin"];
const OWN: Record<Exclude<Caller, "anonymous">, UserKey[]> = {
  asAdmin: MAIN_ORG,
  asDeveloper: ["developer"],
  asMember: ["member"],
  asOtherOrgAdmin: OTHER_ORG,
};
const ALL: UserKey[] = [...MAIN_ORG, ...OTHER_ORG];
const STATUSES = ["PENDING", "COMPLETED", "CANCELED", "STARTED"];
const UNKNOWN = "00000000-0000-4000-8000-000000000000";

function sessionFilter(r: ReturnType<typeof prng>, w: World): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (r.bool()) f.userIds = [...r.some(ALL.map((k) => w.users[k].id)), ...(r.bool() ? [UNKNOWN] : [])];
  if (r.bool()) f.statuses = r.some(STATUSES);
  if (r.bool()) f.includeRemoved = r.bool();
  if (r.bool()) f.search = r.pick(["app", "App of member", "other", "%", "_", "admin", ""]);
  if (r.bool()) f.dateRange = { from: r.pick(["2026-05-01", "2026-05-31", "2026-06-01"]), ...(r.bool() ? { to: "2026-06-02" } : {}) };
  return f;
}

function activityFilter(r: ReturnType<typeof prng>, w: World): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (r.bool()) f.userIds = r.some(ALL.map((k) => w.users[k].id));
  if (r.bool()) f.sessionIds = r.some(idsOf(w.sessions, ...ALL));
  if (r.bool()) f.companyIds = r.some([w.companies.alpha, w.companies.beta, w.companies.other]);
  if (r.bool()) f.categories = r.some(["Page", "User"]);
  return f;
}

/** Every id of every page (up to 4), following endCursor with random page sizes. */
async function walk(list: "sessions" | "activities", token: string, filter: Record<string, unknown>, r: ReturnType<typeof prng>): Promise<string[]> {
  const seen: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 4; page++) {
    const query = `query ($f: ${list === "sessions" ? "SessionFilter" : "ActivityFilter"}, $n: Int, $a: String) { ${list}(filter: $f, first: $n, after: $a) { nodes { id } pageInfo { hasNextPage endCursor } } }`;
    const answer = await postJson(t.gateway.url, { query, variables: { f: filter, n: r.int(1, 7), a: after } }, token);
    expect(answer.json?.errors).toBeUndefined();
    const conn = (answer.json!.data as Record<string, { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }>)[list];
    seen.push(...conn.nodes.map((n) => n.id));
    if (!conn.pageInfo.hasNextPage) break;
    after = conn.pageInfo.endCursor;
  }
  return seen;
}

it(`no row outside the caller's scope, over ${RUNS} random callers, filters and pages (seed ${SEED})`, async () => {
  const w = t.world;
  const r = prng(SEED);
  let rows = 0;
  for (let run = 0; run < RUNS; run++) {
    const caller = r.pick(CALLERS);
    const sessionScope = new Set([...idsOf(w.sessions, ...OWN[caller]), ...idsOf(w.removedSessions, ...OWN[caller])]);
    const activityScope = new Set(idsOf(w.activities, ...OWN[caller]));
    const filter = sessionFilter(r, w);
    const sessions = await walk("sessions", w.tokens[caller], filter, r);
    const activities = await walk("activities", w.tokens[caller], activityFilter(r, w), r);
    rows += sessions.length + activities.length;
    const context = { seed: SEED, run, caller };
    expect({ ...context, outside: sessions.filter((id) => !sessionScope.has(id)) }).toEqual({ ...context, outside: [] });
    expect({ ...context, outside: activities.filter((id) => !activityScope.has(id)) }).toEqual({ ...context, outside: [] });
    // Pages never repeat a row.
    expect(new Set(sessions).size).toBe(sessions.length);
    expect(new Set(activities).size).toBe(activities.length);
  }
  // The property is not vacuous: the random lists did return rows.
  expect(rows).toBeGreaterThan(RUNS);
});
