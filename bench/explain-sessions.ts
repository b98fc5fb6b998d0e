/**
 * `npm run bench:explain`: EXPLAIN ANALYZE of the sessions page that SessionRepository builds,
 * and of its totalCount (a sum over the maintained counters, or a bounded count of the rows), for
 * each history filter, as the generated organization's admin and as a member, on the large data
 * set. Prints execution time and the plan's scan nodes, to check each filter is served by an
 * index.
 */
import { Client } from "pg";
import type { EntityManager } from "typeorm";
import { Role, ViewerAccess, type Viewer } from "../src/access";
import { SessionRepository } from "../src/sessions";
import { benchData, openBenchDatabase } from "./support";

async function main(): Promise<void> {
  const db = await openBenchDatabase();
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  try {
    const { organizationId } = await benchData(db);
    const one = async (sql: string, params: unknown[]) => (await pg.query(sql, params)).rows[0];
    const admin = await one(`SELECT id, company_id FROM users WHERE organization_id = $1 AND role = 'ADMIN' LIMIT 1`, [organizationId]);
    const member = await one(
      `SELECT u.id, u.company_id FROM users u JOIN sessions s ON s.user_id = u.id WHERE u.organization_id = $1 AND u.role = 'MEMBER'
       GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1`, [organizationId]);
    const sample = await one(`SELECT app_id, contributor_username FROM sessions WHERE organization_id = $1 OFFSET 1000 LIMIT 1`, [organizationId]);
    const username = (await one(`SELECT username FROM users WHERE organization_id = $1 OFFSET 7 LIMIT 1`, [organizationId])).username;
    const someUsers = (await pg.query(`SELECT id FROM users WHERE organization_id = $1 ORDER BY id LIMIT 3 OFFSET 100`, [organizationId])).rows.map((r) => r.id);
    const viewer = (user: { id: string; company_id: string }, role: Role): Viewer => ({
      organizationId, userId: user.id, companyId: user.company_id, role, authenticatedBy: "JWT", apiTokenId: null,
    });
    const filters: Record<string, object> = {
      none: {},
      "search (app)": { search: sample.app_id.split(".")[1] },
      "search (contributor)": { search: sample.contributor_username },
      "search (username)": { search: username },
      "date range": { dateRange: { from: "2026-03-01", to: "2026-03-07" } },
      "date range, time zone": { dateRange: { from: "2026-03-01", to: "2026-03-01" }, timeZone: "America/New_York" },
      userIds: { userIds: someUsers },
      deviceTypes: { deviceTypes: ["iPad Air"] },
      osVersions: { osVersions: ["17.4", "18.0"] },
      "statuses (rare)": { statuses: ["PENDING", "RESERVED"] },
      "statuses (common)": { statuses: ["COMPLETED"] },
      pendingUnitsOnly: { pendingUnitsOnly: true },
      includeRemoved: { includeRemoved: true },
      "all at once": { search: "bank", deviceTypes: ["iPhone 15"], statuses: ["COMPLETED", "EXPIRED"], dateRange: { from: "2026-01-01", to: "2026-06-30" } },
    };
    console.log("| caller | filter | statement | execution | plan (scan nodes) |\n|---|---|---|---|---|");
    for (const [who, v] of [["admin", viewer(admin, Role.ADMIN)], ["member", viewer(member, Role.MEMBER)]] as const) {
      for (const [name, filter] of Object.entries(filters)) {
        const captured: { sql: string; params: unknown[] }[] = [];
        // The repository's own SQL, captured instead of run (the count answers 0).
        const runner = { query: async (sql: string, params: unknown[]) => (captured.push({ sql, params }), { records: [{ n: 0 }] }) };
        const manager = new Proxy(db.dataSource.manager, {
          get: (target, prop) => (prop === "queryRunner" ? runner : Reflect.get(target, prop)),
        }) as EntityManager;
        const page = await new SessionRepository(new ViewerAccess(manager, v)).page(filter, { first: 50 });
        await page.totalCount;
        for (const [i, { sql, params }] of captured.entries()) {
          const plan = (await pg.query(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, params)).rows.map((r) => r["QUERY PLAN"] as string);
          const time = plan.find((l) => l.startsWith("Execution Time"))!.replace("Execution Time: ", "");
          const nodes = plan.filter((l) => /Scan|Sort Key/.test(l)).map((l) => l.trim().replace(/^->\s*/, "").replace(/\s*\(actual.*$/, ""));
          // The page, then its totalCount: from the counters (sum) or counted on the rows up to the bound.
          const statement = i === 0 ? "page" : /_counts c/.test(sql) ? "count (counters)" : "count (rows, bounded)";
          console.log(`| ${who} | ${name} | ${statement} | ${time} | ${nodes.join(" → ")} |`);
        }
      }
    }
  } finally {
    await pg.end();
    await db.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
