/**
 * The large-data generator (`npm run seed`) at a small size, against the shared test database:
 * exact counts, everything inside its own organization, the sessionization rule, every status,
 * determinism and idempotence. Only the organization of seed 7001 is ever touched.
 */
import "reflect-metadata";
import type { DataSource } from "typeorm";
import { openDatabase } from "../../src/db/data-source";
import { entities } from "../../src/entities";
import { generateDataset, generatedOrganizationName, type GenerateOptions, type GenerateResult } from "../../src/seed/generate";
import { DEFAULT_OPTIONS, parseArgs, UsageError } from "../../src/generate-data";
import { countersDrift } from "../support/counts";
import { generatedChecksum } from "../support/generated";

const SEED = 7001;
const OPTIONS: GenerateOptions = { companies: 3, users: 20, sessions: 50, activities: 600, seed: SEED };
const NAME = generatedOrganizationName(SEED);
const STATUSES = ["PENDING", "RESERVED", "ACCEPTED", "STARTED", "PROBLEM", "ON_HOLD", "UPLOADING", "UPLOADED", "COMPLETED", "EXPIRED", "REFUNDED", "CANCELED"];

let db: DataSource;
let result: GenerateResult;

async function one<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T> {
  const rows = (await db.query(sql, params)) as T[];
  return rows[0];
}
const count = async (sql: string, params: unknown[] = [result.organizationId]) => Number((await one<{ n: string }>(sql, params)).n);

async function deleteOrganization(): Promise<void> {
  await db.query(`DELETE FROM organizations WHERE name = $1`, [NAME]);
}

const checksum = (organizationId: string) => generatedChecksum(db, organizationId);

beforeAll(async () => {
  db = await openDatabase({ url: process.env.DATABASE_URL!, entities, poolSize: 2 });
  await deleteOrganization();
  result = await generateDataset(db, OPTIONS);
});

afterAll(async () => {
  await deleteOrganization();
  await db?.destroy();
});

describe("generateDataset", () => {
  it("creates one organization with exactly the requested rows", async () => {
    const orgs = (await db.query(`SELECT id FROM organizations WHERE name = $1`, [NAME])) as { id: string }[];
    expect(orgs).toEqual([{ id: result.organizationId }]);
    expect(result.counts).toEqual({ companies: 3, users: 20, sessions: 50, activities: 600 });
    expect(await count(`SELECT count(*) AS n FROM companies WHERE organization_id = $1`)).toBe(3);
    expect(await count(`SELECT count(*) AS n FROM users WHERE organization_id = $1`)).toBe(20);
    expect(await count(`SELECT count(*) AS n FROM sessions WHERE organization_id = $1`)).toBe(50);
    expect(await count(`SELECT count(*) AS n FROM activities WHERE organization_id = $1`)).toBe(600);
    expect(await count(`SELECT count(*) AS n FROM attachments WHERE organization_id = $1`)).toBeGreaterThan(0);
  });

  it("makes the first user the only admin", async () => {
    const roles = (await db.query(`SELECT role, count(*)::int AS n FROM users WHERE organization_id = $1 GROUP BY role`, [result.organizationId])) as { role: string; n: number }[];
    expect(roles.find((r) => r.role === "ADMIN")?.n).toBe(1);
    const admin = await one<{ role: string }>(`SELECT role FROM users WHERE id = $1 AND organization_id = $2`, [result.adminUserId, result.organizationId]);
    expect(admin.role).toBe("ADMIN");
  });

  it("keeps every reference inside the organization", async () => {
    // The generator may skip the foreign-key triggers (as a superuser), so check them here.
    expect(await count(`
      SELECT count(*) AS n FROM users u
      WHERE u.organization_id = $1 AND NOT EXISTS (SELECT 1 FROM companies c WHERE c.id = u.company_id AND c.organization_id = $1)`)).toBe(0);
    expect(await count(`
      SELECT count(*) AS n FROM sessions s
      WHERE s.organization_id = $1 AND (
        (s.user_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.user_id AND u.organization_id = $1 AND u.company_id IS NOT DISTINCT FROM s.company_id))
        OR (s.user_id IS NULL AND (s.anonymous_label IS NULL OR s.company_id IS NOT NULL))
        OR NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.creator_id AND u.organization_id = $1)
        OR NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.launcher_id AND u.organization_id = $1)
        OR (s.approver_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.approver_id AND u.organization_id = $1)))`)).toBe(0);
    expect(await count(`
      SELECT count(*) AS n FROM attachments t
      WHERE t.organization_id = $1
        AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = t.session_id AND s.organization_id = $1 AND s.user_id IS NOT DISTINCT FROM t.user_id)`)).toBe(0);
    // Every activity: its user in the organization, company = the user's company, session = one of the user's.
    expect(await count(`
      SELECT count(*) AS n FROM activities a
      WHERE a.organization_id = $1 AND NOT EXISTS (
        SELECT 1 FROM users u JOIN sessions s ON s.user_id = u.id
        WHERE u.id = a.user_id AND s.id = a.session_id AND u.organization_id = $1 AND s.organization_id = $1
          AND a.company_id IS NOT DISTINCT FROM u.company_id)`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM activities WHERE organization_id = $1 AND company_id IS NULL`)).toBe(0);
  });

  it("places activities inside their session's window, before the anchor", async () => {
    expect(await count(`
      SELECT count(*) AS n FROM activities a JOIN sessions s ON s.id = a.session_id
      WHERE a.organization_id = $1
        AND (s.started_at IS NULL OR a.occurred_at < s.started_at OR a.occurred_at > coalesce(s.completed_at, 'infinity')
             OR a.occurred_at >= '2026-11-01T00:00:00Z' OR a.occurred_at < '2025-11-01T00:00:00Z')`)).toBe(0);
  });

  it("stores each session's activity span: its first and last activity, none without activities", async () => {
    expect(await count(`SELECT count(*) AS n FROM sessions WHERE organization_id = $1 AND first_activity_at IS NOT NULL`)).toBeGreaterThan(0);
    expect(await count(`
      SELECT count(*) AS n FROM sessions s
      LEFT JOIN (SELECT session_id, min(occurred_at) AS first, max(occurred_at) AS last FROM activities WHERE organization_id = $1 GROUP BY session_id) a
        ON a.session_id = s.id
      WHERE s.organization_id = $1 AND (s.first_activity_at IS DISTINCT FROM a.first OR s.last_activity_at IS DISTINCT FROM a.last)`)).toBe(0);
  });

  it("follows the 30-minute sessionization rule", async () => {
    // Within a session no two consecutive activities are more than 30 minutes apart...
    expect(await count(`
      SELECT count(*) AS n FROM (
        SELECT occurred_at - lag(occurred_at) OVER (PARTITION BY session_id ORDER BY occurred_at, id) AS gap
        FROM activities WHERE organization_id = $1) g
      WHERE g.gap > interval '30 minutes'`)).toBe(0);
    // ...and a user's next session starts more than 30 minutes after the previous one's last activity.
    expect(await count(`
      SELECT count(*) AS n FROM (
        SELECT session_id, lag(session_id) OVER w AS previous, occurred_at - lag(occurred_at) OVER w AS gap
        FROM activities WHERE organization_id = $1 WINDOW w AS (PARTITION BY user_id ORDER BY occurred_at, id)) g
      WHERE g.previous IS NOT NULL AND g.previous <> g.session_id AND g.gap <= interval '30 minutes'`)).toBe(0);
    // Sessionizing the activities finds exactly the sessions that have activities.
    const sessionized = await count(`
      SELECT count(*) AS n FROM (
        SELECT occurred_at - lag(occurred_at) OVER (PARTITION BY user_id ORDER BY occurred_at, id) AS gap
        FROM activities WHERE organization_id = $1) g
      WHERE g.gap IS NULL OR g.gap > interval '30 minutes'`);
    expect(sessionized).toBe(await count(`SELECT count(DISTINCT session_id) AS n FROM activities WHERE organization_id = $1`));
  });

  it("covers every status, with times and units consistent with it", async () => {
    const statuses = ((await db.query(`SELECT DISTINCT status::text FROM sessions WHERE organization_id = $1`, [result.organizationId])) as { status: string }[]).map((r) => r.status);
    expect(statuses.sort()).toEqual([...STATUSES].sort());
    expect(await count(`
      SELECT count(*) AS n FROM sessions WHERE organization_id = $1 AND (
        (status IN ('PENDING', 'RESERVED', 'ACCEPTED', 'EXPIRED', 'CANCELED')) <> (started_at IS NULL)
        OR (status IN ('COMPLETED', 'REFUNDED')) <> (completed_at IS NOT NULL)
        OR (units_pending > 0) <> (status IN ('PENDING', 'RESERVED', 'ACCEPTED'))
        OR (units_used > 0 AND status <> 'COMPLETED')
        OR started_at < launched_at OR completed_at < started_at
        OR removed <> (removed_reason IS NOT NULL)
        OR app_id IS NULL OR device_type IS NULL OR os_version IS NULL OR network_type IS NULL)`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM sessions WHERE organization_id = $1 AND status = 'CANCELED' AND NOT removed`)).toBe(0);
  });

  it("takes categories from the activity catalogue, with content columns only on content pages", async () => {
    expect(await count(`
      SELECT count(*) AS n FROM activities WHERE organization_id = $1 AND (
        (category LIKE 'Content - %') <> (content_id IS NOT NULL AND content_name IS NOT NULL AND content_slug IS NOT NULL)
        OR (category NOT LIKE 'Content - %' AND (content_name IS NOT NULL OR content_slug IS NOT NULL)))`)).toBe(0);
    const kinds = ((await db.query(`SELECT DISTINCT category || ' / ' || action AS kind FROM activities WHERE organization_id = $1`, [result.organizationId])) as { kind: string }[]).map((r) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(["Page / View", "User / Log In", "Content - OTSession / View"]));
  });

  it("sets users' first and last seen times from their activities", async () => {
    expect(await count(`
      SELECT count(*) AS n FROM users u
      LEFT JOIN (SELECT user_id, min(occurred_at) AS first, max(occurred_at) AS last FROM activities WHERE organization_id = $1 GROUP BY user_id) a
        ON a.user_id = u.id
      WHERE u.organization_id = $1
        AND (u.first_seen_at IS DISTINCT FROM a.first OR u.last_seen_at IS DISTINCT FROM a.last OR u.signed_up_at > u.first_seen_at)`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM users WHERE organization_id = $1 AND signed_up_at IS NOT NULL`)).toBeGreaterThan(0);
  });

  it("is a no-op when called again with the same options", async () => {
    const before = await one<{ xmin: string }>(`SELECT xmin::text FROM organizations WHERE id = $1`, [result.organizationId]);
    const sum = await checksum(result.organizationId);
    const again = await generateDataset(db, OPTIONS);
    expect(again).toEqual(result);
    expect(await one(`SELECT xmin::text FROM organizations WHERE id = $1`, [result.organizationId])).toEqual(before);
    expect(await checksum(result.organizationId)).toBe(sum);
  });

  it("is deterministic: regenerating the same seed gives the same ids and values", async () => {
    const sum = await checksum(result.organizationId);
    const ids = await one<{ ids: string }>(`SELECT md5(string_agg(id::text, ',' ORDER BY id)) AS ids FROM activities WHERE organization_id = $1`, [result.organizationId]);
    await deleteOrganization();
    const progress: string[] = [];
    const regenerated = await generateDataset(db, OPTIONS, (phase, done, total) => {
      if (done === total) progress.push(phase);
    });
    expect(regenerated).toEqual(result);
    expect(progress).toEqual(expect.arrayContaining(["companies", "users", "sessions", "activities"]));
    expect(await one(`SELECT md5(string_agg(id::text, ',' ORDER BY id)) AS ids FROM activities WHERE organization_id = $1`, [result.organizationId])).toEqual(ids);
    expect(await checksum(result.organizationId)).toBe(sum);
  });

  it("replaces the organization when the counts change", async () => {
    const bigger = await generateDataset(db, { ...OPTIONS, activities: 650 });
    expect(bigger.organizationId).toBe(result.organizationId);
    expect(await count(`SELECT count(*) AS n FROM activities WHERE organization_id = $1`)).toBe(650);
    expect(await count(`SELECT count(*) AS n FROM organizations WHERE name = $1`, [NAME])).toBe(1);
    // Back to the original: the same rows as before.
    await generateDataset(db, OPTIONS);
    expect(await count(`SELECT count(*) AS n FROM activities WHERE organization_id = $1`)).toBe(600);
  });

  it("leaves the maintained counts equal to count(*), also after replacing the organization", async () => {
    expect(await count(`SELECT coalesce(sum(n), 0) AS n FROM session_day_counts WHERE organization_id = $1`)).toBe(OPTIONS.sessions);
    expect(await count(`SELECT coalesce(sum(n), 0) AS n FROM activity_user_day_counts WHERE organization_id = $1`)).toBe(OPTIONS.activities);
    expect(await countersDrift(db, [result.organizationId])).toEqual([]);
  });

  it("rejects invalid options", async () => {
    await expect(generateDataset(db, { ...OPTIONS, users: -1 })).rejects.toThrow(RangeError);
    await expect(generateDataset(db, { ...OPTIONS, users: 0 })).rejects.toThrow(/at least one user/);
  });
});

describe("npm run seed arguments", () => {
  it("defaults to 100 / 20,000 / 400,000 / 4,000,000, seed 1", () => {
    expect(parseArgs([])).toEqual({ companies: 100, users: 20_000, sessions: 400_000, activities: 4_000_000, seed: 1 });
    expect(parseArgs([])).toEqual(DEFAULT_OPTIONS);
  });

  it("reads --name N and --name=N", () => {
    expect(parseArgs(["--companies", "3", "--users=20", "--sessions", "50", "--activities=600", "--seed", "7"])).toEqual({
      companies: 3, users: 20, sessions: 50, activities: 600, seed: 7,
    });
  });

  it("returns null for --help", () => {
    expect(parseArgs(["--help"])).toBeNull();
    expect(parseArgs(["--users", "5", "-h"])).toBeNull();
  });

  it.each([
    [["--users", "-3"], /--users must be a non-negative integer/],
    [["--users", "1.5"], /--users must be a non-negative integer/],
    [["--sessions", "many"], /--sessions must be a non-negative integer/],
    [["--seed"], /--seed needs a value/],
    [["--bogus", "1"], /unknown argument/],
    [["--seed", "99999999999"], /seed must be at most/],
  ])("rejects %j", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});
