/**
 * The demo data `npm start` seeds into an empty database: two organizations, companies, users
 * of every role, sessions in every status with attachments, and activities whose labels carry
 * the cases exports must survive (commas, quotes, newlines, non-ASCII, leading = + - @).
 * Ids are derived from names, so the same data comes out on every machine.
 */
import { createHash } from "node:crypto";
// The seed mints tokens the way the API does; it is tooling above the layers, like main.ts.
import { issueApiToken } from "../api-tokens";
import { Role, systemInsert, systemQuery, systemTransaction, type Database } from "../access";
import { contentProgressUpsert } from "../activities";
import { LIVE_CONVERSATION, sessionSpanRefresh } from "../sessions";

/** Why the demo seed bypasses viewer scope: it writes whole organizations, for no viewer. */
const SEED = "demo seed: writes whole organizations for no viewer";

export interface DemoTokens {
  ADMIN: string;
  DEVELOPER: string;
  MEMBER: string;
  OTHER_ORG_ADMIN: string;
}

/** A stable UUID from a name. */
export function demoId(name: string): string {
  const h = createHash("md5").update(`sessiongraph-demo:${name}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const DEMO_ORGANIZATION = "Acme Demo";
export const OTHER_ORGANIZATION = "Other Org";

/** Days before the first start at which the demo's sessions begin (they span about six days). */
const DEMO_DAYS_BACK = 7;

/**
 * The demo's clock: 09:00 UTC `DEMO_DAYS_BACK` days before `now`, so its sessions and
 * activities lie in the last week of the first start and every README example (the profile's
 * default period is the last 30 days) shows figures. Only times move with the date; ids and
 * names stay the same on every machine.
 */
export function demoClock(now: Date): (hours: number, minutes?: number) => Date {
  const base = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - DEMO_DAYS_BACK, 9);
  return (hours, minutes = 0) => new Date(base + hours * 3_600_000 + minutes * 60_000);
}

const STATUSES = ["PENDING", "RESERVED", "ACCEPTED", "STARTED", "PROBLEM", "ON_HOLD", "UPLOADING", "UPLOADED", "COMPLETED", "EXPIRED", "REFUNDED", "CANCELED"];

/** Labels that break naive CSV writers and spreadsheets. */
export const TRICKY_LABELS = [
  'Answer: "yes", definitely',
  "first line\nsecond line",
  "=HYPERLINK(\"http://example.invalid\",\"click\")",
  "+1 555 0100",
  "-2 points",
  "@channel please review",
  "Zoë’s café — 日本語 ✓",
  "\tindented",
];

interface DemoUser {
  key: string;
  first: string;
  last: string;
  role: "ADMIN" | "DEVELOPER" | "MEMBER";
  company: string;
  country: string;
  signedUp: boolean;
}

const ORGS: { key: string; name: string; companies: string[]; users: DemoUser[] }[] = [
  {
    key: "acme",
    name: DEMO_ORGANIZATION,
    companies: ["Globex Corporation", "Initech", "Umbrella, Inc.", "Société Générale Démo"],
    users: [
      { key: "alice", first: "Alice", last: "Admin", role: "ADMIN", company: "Globex Corporation", country: "US", signedUp: true },
      { key: "dana", first: "Dana", last: "Developer", role: "DEVELOPER", company: "Initech", country: "DE", signedUp: true },
      { key: "max", first: "Max", last: "Member", role: "MEMBER", company: "Globex Corporation", country: "GB", signedUp: true },
      { key: "mia", first: "Mia", last: "Morgan", role: "MEMBER", company: "Umbrella, Inc.", country: "FR", signedUp: false },
      { key: "zoe", first: "Zoë", last: "Ørsted", role: "MEMBER", company: "Société Générale Démo", country: "DK", signedUp: true },
    ],
  },
  {
    key: "other",
    name: OTHER_ORGANIZATION,
    companies: ["Other Co"],
    users: [
      { key: "oscar", first: "Oscar", last: "Other", role: "ADMIN", company: "Other Co", country: "CA", signedUp: true },
      { key: "olga", first: "Olga", last: "Outsider", role: "MEMBER", company: "Other Co", country: "PL", signedUp: true },
    ],
  },
];

const ACTIVITY_KINDS: [string, string, string | null, boolean][] = [
  ["User", "Log In", null, false],
  ["Page", "View", null, false],
  ["Content - OTSession", "View", null, true],
  ["Content - OTSession", "Join", null, true],
  ["Question - Poll", "Answer", "", true],
  ["Content - Course", "Complete", null, true],
  ["Download", "Download", "Q3 report.pdf", true],
  ["User", "Log Out", null, false],
];

/**
 * RESERVED sessions are Live Conversations (only those get reserved); of the two UPLOADED ones,
 * the demo member's is a Live Conversation (cancelable in UPLOADED) and the developer's is not.
 */
function demoTestType(user: string, status: string, sessionNo: number): string {
  if (status === "RESERVED" || (status === "UPLOADED" && user === "max")) return LIVE_CONVERSATION;
  if (status === "UPLOADED") return "Unmoderated";
  return sessionNo % 2 ? "Unmoderated" : LIVE_CONVERSATION;
}

/** True when the demo organization exists. */
export async function isDemoSeeded(database: Database): Promise<boolean> {
  const rows = await systemQuery(database, SEED, `SELECT 1 FROM organizations WHERE id = $1`, [demoId("org:acme")]);
  return rows.length > 0;
}

/** Mints a fresh bearer token for each demo role (the secrets of earlier ones are not recoverable). */
export async function mintDemoTokens(database: Database): Promise<DemoTokens> {
  const acme = demoId("org:acme");
  const other = demoId("org:other");
  const mint = async (organizationId: string, user: string, role: Role, label: string) =>
    (await issueApiToken(database, { organizationId, ownerId: demoId(`user:${user}`), label, role })).secret;
  return {
    ADMIN: await mint(acme, "alice", Role.ADMIN, "demo admin"),
    DEVELOPER: await mint(acme, "dana", Role.DEVELOPER, "demo developer"),
    MEMBER: await mint(acme, "max", Role.MEMBER, "demo member"),
    OTHER_ORG_ADMIN: await mint(other, "oscar", Role.ADMIN, "demo other-org admin"),
  };
}

/** Seeds the demo organizations in one transaction and returns a token per demo role. */
export async function seedDemo(database: Database, now = new Date()): Promise<DemoTokens> {
  const at = demoClock(now);
  return await systemTransaction(database, SEED, async (tx) => {
    let sessionNo = 0;
    // Cycles through TRICKY_LABELS so every one of them is in the demo data.
    let trickyNo = 0;
    for (const org of ORGS) {
      const orgId = demoId(`org:${org.key}`);
      await systemInsert(tx, SEED, "organizations", [{ id: orgId, name: org.name }]);
      await systemInsert(tx, SEED, "companies", org.companies.map((name, i) => ({ id: demoId(`company:${name}`), organization_id: orgId, name, signed_up_at: at(-24 * 200 + i * 24) })));
      await systemInsert(tx, SEED, "users", org.users.map((u, i) => ({
        id: demoId(`user:${u.key}`),
        organization_id: orgId,
        company_id: demoId(`company:${u.company}`),
        first_name: u.first,
        last_name: u.last,
        email: `${u.key}@${org.key}.example`,
        username: u.key,
        country: u.country,
        role: u.role,
        signed_up_at: u.signedUp ? at(-24 * 100 + i * 24) : null,
        tags: `{${u.role.toLowerCase()},demo}`,
        properties: JSON.stringify({ phone: `+1 555 01${String(i).padStart(2, "0")}`, plan: i % 2 ? "pro" : "free" }),
      })));
      const admin = org.users.find((u) => u.role === "ADMIN")!;
      const sessions: Record<string, unknown>[] = [];
      const attachments: Record<string, unknown>[] = [];
      const activities: Record<string, unknown>[] = [];
      org.users.forEach((user, userIndex) => {
        const statuses = org.key === "acme" ? STATUSES.filter((_, s) => s % org.users.length === userIndex || user.key === "dana") : ["COMPLETED", "PENDING"];
        statuses.forEach((status, s) => {
          sessionNo++;
          const id = demoId(`session:${org.key}:${user.key}:${status}`);
          const launched = at(sessionNo * 5);
          const started = ["PENDING", "RESERVED", "ACCEPTED", "EXPIRED", "CANCELED"].includes(status) ? null : at(sessionNo * 5, 3 + s);
          const completed = ["COMPLETED", "REFUNDED"].includes(status) ? at(sessionNo * 5, 25 + s) : null;
          const pending = ["PENDING", "RESERVED", "ACCEPTED"].includes(status);
          const device = ["iPhone 15", "Pixel 8", "Desktop"][sessionNo % 3];
          sessions.push({
            id,
            organization_id: orgId,
            user_id: user.key === "mia" && status === "STARTED" ? null : demoId(`user:${user.key}`),
            company_id: demoId(`company:${user.company}`),
            anonymous_label: user.key === "mia" && status === "STARTED" ? "Anonymous run (public link)" : null,
            api_token_label: user.key === "dana" && status === "COMPLETED" ? "CI pipeline" : null,
            status,
            test_id: `T-${1000 + sessionNo}`,
            test_name: `Checkout flow #${sessionNo}`,
            test_type: demoTestType(user.key, status, sessionNo),
            template: sessionNo % 3 ? "Usability" : null,
            short_test: sessionNo % 4 === 0,
            contributor_username: `contributor_${sessionNo}`,
            app_id: `com.acme.app${sessionNo % 3}`,
            app_name: ["Acme Shop", "Acme Bank", "Acme 100% Fun_App"][sessionNo % 3],
            app_group: "Mobile",
            app_build: `2.${sessionNo}.0`,
            device_type: device,
            device_model: device,
            os_name: device === "iPhone 15" ? "iOS" : device === "Pixel 8" ? "Android" : "Windows",
            os_version: device === "iPhone 15" ? "17.4" : device === "Pixel 8" ? "14" : "11",
            browser_version: device === "Desktop" ? "Chrome 130" : null,
            network_type: sessionNo % 2 ? "wifi" : "4g",
            launched_at: launched,
            started_at: started,
            completed_at: completed,
            booked_duration_min: 30,
            units_used: status === "COMPLETED" ? 1 : 0,
            units_pending: pending ? 1 : 0,
            removed: status === "REFUNDED",
            removed_reason: status === "REFUNDED" ? "Refunded after a low rating" : null,
            creator_id: demoId(`user:${admin.key}`),
            launcher_id: demoId(`user:${admin.key}`),
            approver_id: status === "COMPLETED" ? demoId(`user:${admin.key}`) : null,
          });
          if (started) {
            attachments.push(
              { organization_id: orgId, session_id: id, user_id: sessions.at(-1)!.user_id, kind: "LOG", file_name: "device.log", content_type: "text/plain", byte_size: 2048, storage_key: `attachments/${id}/device.log` },
              { organization_id: orgId, session_id: id, user_id: sessions.at(-1)!.user_id, kind: "VIDEO", file_name: "recording.mp4", content_type: "video/mp4", byte_size: null, storage_key: null },
            );
            ACTIVITY_KINDS.forEach(([category, action, label, onContent], k) => {
              if (!sessions.at(-1)!.user_id) return;
              activities.push({
                organization_id: orgId,
                user_id: demoId(`user:${user.key}`),
                company_id: demoId(`company:${user.company}`),
                session_id: id,
                occurred_at: at(sessionNo * 5, 3 + s + k * 2),
                category,
                action,
                label: label === "" ? TRICKY_LABELS[trickyNo++ % TRICKY_LABELS.length] : label,
                content_id: onContent ? `c-${k}` : null,
                content_name: onContent ? (k % 2 ? "Quarterly kickoff, live" : "Onboarding 101") : null,
                content_slug: onContent ? (k % 2 ? "quarterly-kickoff-live" : "onboarding-101") : null,
              });
            });
          }
        });
      });
      await systemInsert(tx, SEED, "sessions", sessions);
      await systemInsert(tx, SEED, "attachments", attachments);
      await systemInsert(tx, SEED, "activities", activities);
    }
    const organizations = [demoId("org:acme"), demoId("org:other")];
    await systemQuery(tx, SEED, `UPDATE users u SET first_seen_at = a.first, last_seen_at = a.last
      FROM (SELECT user_id, min(occurred_at) AS first, max(occurred_at) AS last FROM activities GROUP BY user_id) a
      WHERE a.user_id = u.id AND u.organization_id = ANY($1::uuid[])`, [organizations]);
    // The activity spans ingestion keeps, for the rows written here in bulk.
    await systemQuery(
      tx,
      SEED,
      sessionSpanRefresh("(SELECT array_agg(x.id) FROM sessions x WHERE x.organization_id = ANY($1::uuid[]))", "s.organization_id = ANY($1::uuid[])"),
      [organizations],
    );
    // Content progress from the seeded content events, as ingestion makes it from tracked ones.
    await systemQuery(
      tx,
      SEED,
      contentProgressUpsert(
        `(SELECT x.user_id, x.occurred_at, x.action, x.content_id, x.content_name, x.content_slug
          FROM activities x WHERE x.organization_id = ANY($1::uuid[]) AND x.content_id IS NOT NULL) e`,
        "u.organization_id = ANY($1::uuid[])",
      ),
      [organizations],
    );
    return await mintDemoTokens(tx);
  });
}
