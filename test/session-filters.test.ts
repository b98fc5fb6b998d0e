/** Every SessionFilter field, checked against the same rule computed in plain TypeScript. */
import { insertRows } from "../src/db/insert";
import { SessionIdsDocument, type SessionFilter } from "./generated/graphql";
import { useWorld } from "./support/world";

const t = useWorld({ sessionsPerUser: 0, activitiesPerSession: 0, withRemoved: false });

interface Row {
  id: string;
  /** null: an anonymous run. */
  user: "admin" | "member" | null;
  api_token_label?: string;
  anonymous_label?: string;
  app_id: string;
  app_name: string;
  device_type: string;
  os_version: string;
  status: string;
  units_pending: number;
  removed: boolean;
  launched_at: Date;
}
const rows: Row[] = [];

const spec: Omit<Row, "id">[] = [
  { user: "admin", app_id: "com.shop", app_name: "100% Shop", device_type: "iPhone 15", os_version: "17.4", status: "PENDING", units_pending: 1, removed: false, launched_at: new Date("2026-03-01T00:00:00.000Z") },
  { user: "admin", app_id: "com.bank", app_name: "My_Bank", device_type: "Pixel 8", os_version: "14", status: "COMPLETED", units_pending: 0, removed: false, launched_at: new Date("2026-03-01T23:59:59.999Z") },
  { user: "member", app_id: "com.shop", app_name: "O'Shop", device_type: "Pixel 8", os_version: "14", status: "RESERVED", units_pending: 2, removed: false, launched_at: new Date("2026-03-02T00:00:00.000Z") },
  { user: "member", app_id: "com.game", app_name: "Game", device_type: "Desktop", os_version: "11", status: "CANCELED", units_pending: 0, removed: true, launched_at: new Date("2026-02-28T23:30:00.000Z") },
  { user: "admin", app_id: "com.game", app_name: "Game", device_type: "iPhone 15", os_version: "17.4", status: "STARTED", units_pending: 0, removed: false, launched_at: new Date("2026-03-03T12:00:00.000Z") },
  // Who ran it, as the row shows it: an API token's label, an anonymous run's label.
  { user: "member", api_token_label: "CI pipeline", app_id: "com.ci", app_name: "Nightly", device_type: "Desktop", os_version: "11", status: "COMPLETED", units_pending: 0, removed: false, launched_at: new Date("2026-03-04T01:00:00.000Z") },
  { user: null, anonymous_label: "Anonymous run (public link)", app_id: "com.ci", app_name: "Nightly", device_type: "Desktop", os_version: "11", status: "COMPLETED", units_pending: 0, removed: false, launched_at: new Date("2026-03-04T02:00:00.000Z") },
];

const username = (key: "admin" | "member") => t.world.users[key].email.split("@")[0].replace(".", "_");

/** What the history row shows as who ran it, and the runner's username: what search matches besides the app. */
function runnerTexts(r: Row): string[] {
  if (r.api_token_label) return [r.api_token_label, t.world.users[r.user!].email, username(r.user!)];
  if (!r.user) return [r.anonymous_label!];
  return [t.world.users[r.user].email, username(r.user)];
}

beforeAll(async () => {
  const ids = await insertRows(t.gateway.dataSource.manager, "sessions", spec.map((r) => ({
    organization_id: t.world.organizationId, user_id: r.user && t.world.users[r.user].id, company_id: r.user && t.world.users[r.user].companyId,
    api_token_label: r.api_token_label ?? null, anonymous_label: r.anonymous_label ?? null,
    app_id: r.app_id, app_name: r.app_name, device_type: r.device_type, os_version: r.os_version, status: r.status,
    units_pending: r.units_pending, removed: r.removed, launched_at: r.launched_at,
  })));
  spec.forEach((r, i) => rows.push({ ...r, id: ids[i] }));
});

/** The filter's meaning, independently of the SQL: used as the expected result. */
function expected(filter: SessionFilter, visible: (r: Row) => boolean = () => true): string[] {
  const dayStart = (d: string, zone: string) => zonedMidnight(d, zone);
  return rows
    .filter(visible)
    .filter((r) => filter.includeRemoved || !r.removed)
    .filter((r) => !filter.search || [r.app_id, r.app_name, ...runnerTexts(r)].some((v) => v.toLowerCase().includes(filter.search!.toLowerCase())))
    .filter((r) => !filter.statuses || filter.statuses.includes(r.status as never))
    .filter((r) => !filter.deviceTypes || filter.deviceTypes.includes(r.device_type))
    .filter((r) => !filter.osVersions || filter.osVersions.includes(r.os_version))
    .filter((r) => !filter.pendingUnitsOnly || r.units_pending > 0)
    .filter((r) => !filter.userIds || (r.user !== null && (filter.userIds as string[]).includes(t.world.users[r.user].id)))
    .filter((r) => !filter.dateRange?.from || r.launched_at >= dayStart(filter.dateRange.from, filter.timeZone ?? "UTC"))
    .filter((r) => !filter.dateRange?.to || r.launched_at < dayStart(nextDay(filter.dateRange.to), filter.timeZone ?? "UTC"))
    .sort((a, b) => b.launched_at.getTime() - a.launched_at.getTime() || (a.id < b.id ? 1 : -1))
    .map((r) => r.id);
}

const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The UTC instant of midnight starting day `d` in `zone`. */
function zonedMidnight(d: string, zone: string): Date {
  const utcMidnight = Date.parse(`${d}T00:00:00Z`);
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).formatToParts(new Date(utcMidnight));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asIfUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
  return new Date(utcMidnight - (asIfUtc - utcMidnight));
}

const filters: [string, SessionFilter][] = [
  ["no filter (removed hidden)", {}],
  ["includeRemoved", { includeRemoved: true }],
  ["search on app id", { search: "COM.SHOP" }],
  ["search with a literal %", { search: "100%" }],
  ["search with a literal _", { search: "y_b" }],
  ["search with a quote", { search: "o'shop" }],
  ["search on the runner's username", { search: "member_" }],
  ["search on the runner's email", { search: "ADMIN." }],
  ["search on an API token's label", { search: "ci pipe" }],
  ["search on an anonymous label", { search: "public link" }],
  // Two letters have no trigram: the runner's user is matched row by row (session.repository.ts).
  ["search of two letters on the runner's username", { search: "r_" }],
  ["search of two letters on the runner's email and username, any case", { search: "ER" }],
  ["statuses", { statuses: ["PENDING", "RESERVED"] as never }],
  ["pendingUnitsOnly", { pendingUnitsOnly: true }],
  ["deviceTypes and osVersions", { deviceTypes: ["Pixel 8", "iPhone 15"], osVersions: ["14"] }],
  ["userIds", { userIds: [] }],
  ["inclusive date range, UTC", { dateRange: { from: "2026-03-01", to: "2026-03-01" } }],
  ["open-ended date range", { dateRange: { from: "2026-03-02" } }],
  ["date range in a time zone", { dateRange: { from: "2026-03-01", to: "2026-03-01" }, timeZone: "America/New_York" }],
  ["date range in a time zone ahead of UTC", { dateRange: { to: "2026-03-01" }, timeZone: "Asia/Tokyo", includeRemoved: true }],
];

describe("sessions(filter)", () => {
  it.each(filters)("%s", async (_name, filter) => {
    const f = filter.userIds ? { ...filter, userIds: [t.world.users.member.id] } : filter;
    const { body } = await t.world.clients.asAdmin.request(SessionIdsDocument, { filter: f, first: 500 });
    expect(body.errors).toBeUndefined();
    const ids = body.data!.sessions.edges.map((e) => e.node.id);
    expect(ids).toEqual(expected(f));
    expect(body.data!.sessions.totalCount).toBe(ids.length);
  });

  it("applies filters within a member's scope only", async () => {
    const { body } = await t.world.clients.asMember.request(SessionIdsDocument, { filter: { search: "shop", userIds: [t.world.users.admin.id, t.world.users.member.id] }, first: 500 });
    expect(body.data!.sessions.edges.map((e) => e.node.id)).toEqual(expected({ search: "shop" }, (r) => r.user === "member"));
  });

  it("finds a member's own API-token run by its label, and nobody else's runs by a label or email", async () => {
    const { body } = await t.world.clients.asMember.request(SessionIdsDocument, { filter: { search: "CI pipeline" }, first: 500 });
    expect(body.data!.sessions.edges.map((e) => e.node.id)).toEqual([rows.find((r) => r.api_token_label)!.id]);
    for (const [caller, search] of [["asMember", "public link"], ["asMember", t.world.users.admin.email], ["asDeveloper", "CI pipeline"], ["asOtherOrgAdmin", "CI pipeline"], ["asOtherOrgAdmin", t.world.users.member.email]] as const) {
      const other = await t.world.clients[caller].request(SessionIdsDocument, { filter: { search }, first: 500 });
      expect(other.body.errors).toBeUndefined();
      expect(other.body.data!.sessions.totalCount).toBe(0);
    }
  });

  it("sanity: the fixture makes each filter meaningful", () => {
    for (const [, filter] of filters.slice(2)) expect(expected(filter).length).toBeLessThan(rows.length);
  });
});
