/** The generated organization itself: its ids, whether it is already complete, delete and create. */
import { Role } from "../access";
import type { GeneratorRun } from "./generator-run";
import { lit, type Sql } from "./sql";

type Query = GeneratorRun["query"];

/** The ids every run of this seed gives its organization and its first user, the ADMIN. */
export async function generatedIds(query: Query, sql: Sql): Promise<{ orgId: string; adminId: string }> {
  const [{ org_id: orgId, admin_id: adminId }] = await query<{ org_id: string; admin_id: string }>(
    `SELECT ${sql.uuid("organization", "0")}::text AS org_id, ${sql.uuid("user", "0")}::text AS admin_id`,
  );
  return { orgId, adminId };
}

/** Ids of the organizations with this name (the seed's; any but one with its id are stale). */
export async function organizationsNamed(run: GeneratorRun, name: string): Promise<string[]> {
  const existing = await run.query<{ id: string }>(`SELECT id::text FROM organizations WHERE name = $1`, [name]);
  return existing.map((o) => o.id);
}

/** Whether the organization holds exactly the requested counts and its ADMIN: then nothing is written. */
export async function holdsRequestedRows(run: GeneratorRun, orgId: string, adminId: string): Promise<boolean> {
  const { companies: C, users: U, sessions: N, activities: A } = run.options;
  const [have] = await run.query<{ companies: string; users: string; sessions: string; activities: string; admin: boolean }>(
    `SELECT (SELECT count(*) FROM companies WHERE organization_id = $1) AS companies,
            (SELECT count(*) FROM users WHERE organization_id = $1) AS users,
            (SELECT count(*) FROM sessions WHERE organization_id = $1) AS sessions,
            (SELECT count(*) FROM activities WHERE organization_id = $1) AS activities,
            ${U > 0 ? `EXISTS (SELECT 1 FROM users WHERE organization_id = $1 AND id = $2 AND role = ${lit(Role.ADMIN)})` : "true"} AS admin`,
    U > 0 ? [orgId, adminId] : [orgId],
  );
  return Number(have.companies) === C && Number(have.users) === U && Number(have.sessions) === N && Number(have.activities) === A && have.admin;
}

export async function deleteOrganizations(run: GeneratorRun, ids: string[]): Promise<void> {
  // ON DELETE CASCADE would do, but deleting children first in bulk avoids one cascading
  // statement per session and per user.
  const tables = ["activities", "attachments", "sessions", "api_tokens", "users", "companies"];
  for (const [i, table] of tables.entries()) {
    run.onProgress("delete", i, tables.length + 1);
    await run.query(`DELETE FROM ${table} WHERE organization_id = ANY($1::uuid[])`, [ids]);
  }
  await run.query(`DELETE FROM organizations WHERE id = ANY($1::uuid[])`, [ids]);
  run.onProgress("delete", tables.length + 1, tables.length + 1);
}

export async function generateOrganization(run: GeneratorRun, orgId: string, name: string): Promise<void> {
  await run.query(`INSERT INTO organizations (id, name, created_at) VALUES ($1, $2, ${run.sql.anchor} - interval '500 days')`, [orgId, name]);
}
