import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Counts of sessions and activities maintained on every write, so a list's totalCount is a sum
 * over a few hundred counter rows instead of a scan of the rows it counts (issue 16).
 *
 * Two grains per table. The per-user grain answers every role (a developer's count is the sum
 * of their own rows) and any user filter; the per-day grain, without users, answers an admin's
 * unfiltered or date-only count with one row per day and key instead of one per user and day.
 * Days are UTC dates of `launched_at` / `occurred_at`; the other key columns are the filters a
 * list can sum over (sessions: status, removed, pending units above zero; activities: company).
 *
 * Maintained by statement-level triggers with transition tables: one grouped upsert per
 * statement whatever its row count, so the generator's bulk inserts stay set-based. Updates
 * subtract the old keys and add the new ones; keys whose net change is zero (most updates:
 * spans, cancel's other columns) write nothing. Upserts go in key order, so two transactions
 * touching the same counters lock them in the same order. The triggers are ENABLE ALWAYS: the
 * generator runs with session_replication_role = replica (to skip foreign-key triggers), and
 * counts must hold after it too. No foreign keys on the counters: a cascade from a deleted
 * organization must not remove a counter row that its own trigger then re-creates negative;
 * the counters of deleted rows go to zero instead. TRUNCATE of the counted table empties them.
 */
export interface Counted {
  table: string;
  /** The counters: table name and key expressions over a row of `table` (name → SQL). */
  grains: { name: string; keys: Record<string, string>; types: Record<string, string>; indexes?: string[] }[];
}

export const sessionKeys = {
  organization_id: "organization_id",
  day: "(launched_at AT TIME ZONE 'UTC')::date",
  status: "status",
  removed: "removed",
  pending: "units_pending > 0",
};
export const sessionTypes = { organization_id: "uuid NOT NULL", day: "date NOT NULL", status: "session_status NOT NULL", removed: "boolean NOT NULL", pending: "boolean NOT NULL" };

const activityKeys = {
  organization_id: "organization_id",
  day: "(occurred_at AT TIME ZONE 'UTC')::date",
};
const activityTypes = { organization_id: "uuid NOT NULL", day: "date NOT NULL" };

const withoutOrganization = ({ organization_id: _, ...rest }: Record<string, string>) => rest;

export const COUNTED: Counted[] = [
  {
    table: "sessions",
    grains: [
      // Key order is index order: organization and user lead, so one user's counters are adjacent.
      {
        name: "session_user_day_counts",
        keys: { organization_id: "organization_id", user_id: "user_id", ...withoutOrganization(sessionKeys) },
        types: { organization_id: "uuid NOT NULL", user_id: "uuid", ...withoutOrganization(sessionTypes) },
      },
      { name: "session_day_counts", keys: sessionKeys, types: sessionTypes },
    ],
  },
  {
    table: "activities",
    grains: [
      {
        name: "activity_user_day_counts",
        keys: { organization_id: "organization_id", user_id: "user_id", ...withoutOrganization(activityKeys), company_id: "company_id" },
        types: { organization_id: "uuid NOT NULL", user_id: "uuid NOT NULL", ...withoutOrganization(activityTypes), company_id: "uuid" },
        // An admin's company filter sums one company's counters.
        indexes: ["organization_id, company_id, day"],
      },
      { name: "activity_day_counts", keys: activityKeys, types: activityTypes },
    ],
  },
];

/** The grouped upsert of `delta` (rows of the grain's keys plus `d`, +1 or -1) into one grain. */
function upsert(grain: Counted["grains"][number], delta: string): string {
  const columns = Object.keys(grain.keys);
  const list = columns.join(", ");
  return `INSERT INTO ${grain.name} AS c (${list}, n)
    SELECT ${list}, sum(d) FROM ${delta} GROUP BY ${list} HAVING sum(d) <> 0 ORDER BY ${list}
    ON CONFLICT ON CONSTRAINT ${grain.name}_key DO UPDATE SET n = c.n + EXCLUDED.n`;
}

/** The rows of a transition table as keys of every grain (a superset of columns) with a sign. */
function signed(counted: Counted, transition: string, sign: 1 | -1): string {
  const keys: Record<string, string> = Object.assign({}, ...counted.grains.map((g) => g.keys));
  return `SELECT ${Object.entries(keys).map(([name, sql]) => `${sql} AS ${name}`).join(", ")}, ${sign} AS d FROM ${transition}`;
}

export function triggerFunction(counted: Counted): string {
  const apply = (delta: string) =>
    `WITH delta AS (${delta})${counted.grains
      .slice(1)
      .map((g, i) => `, g${i} AS (${upsert(g, "delta")})`)
      .join("")}
      ${upsert(counted.grains[0], "delta")};`;
  return `CREATE OR REPLACE FUNCTION ${counted.table}_maintain_counts() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    ${apply(signed(counted, "new_rows", 1))}
  ELSIF TG_OP = 'UPDATE' THEN
    ${apply(`${signed(counted, "new_rows", 1)} UNION ALL ${signed(counted, "old_rows", -1)}`)}
  ELSIF TG_OP = 'DELETE' THEN
    ${apply(signed(counted, "old_rows", -1))}
  ELSIF TG_OP = 'TRUNCATE' THEN
    ${counted.grains.map((g) => `TRUNCATE ${g.name};`).join(" ")}
  END IF;
  RETURN NULL;
END
$fn$`;
}

/** A counter table for `grain`, filled from the rows `counted.table` holds now. */
export async function createGrain(q: QueryRunner, counted: Counted, grain: Counted["grains"][number]): Promise<void> {
  const columns = Object.entries(grain.types).map(([name, type]) => `${name} ${type}`);
  // NULLS NOT DISTINCT: anonymous sessions (no user) and users without a company share one counter per key.
  await q.query(
    `CREATE TABLE ${grain.name} (${columns.join(", ")}, n bigint NOT NULL,
       CONSTRAINT ${grain.name}_key UNIQUE NULLS NOT DISTINCT (${Object.keys(grain.keys).join(", ")}))`,
  );
  await q.query(
    `INSERT INTO ${grain.name} (${Object.keys(grain.keys).join(", ")}, n)
     SELECT ${Object.values(grain.keys).join(", ")}, count(*) FROM ${counted.table} GROUP BY ${Object.keys(grain.keys).map((_, i) => i + 1).join(", ")}`,
  );
  for (const [i, columns] of (grain.indexes ?? []).entries()) await q.query(`CREATE INDEX ${grain.name}_${i + 1} ON ${grain.name} (${columns})`);
  await q.query(`ANALYZE ${grain.name}`);
}

export class MaintainedCounts1795500100000 implements MigrationInterface {
  name = "MaintainedCounts1795500100000";

  async up(q: QueryRunner): Promise<void> {
    for (const counted of COUNTED) {
      for (const grain of counted.grains) await createGrain(q, counted, grain);
      await q.query(triggerFunction(counted));
      const t = counted.table;
      await q.query(`CREATE TRIGGER ${t}_counts_insert AFTER INSERT ON ${t} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${t}_maintain_counts()`);
      await q.query(`CREATE TRIGGER ${t}_counts_update AFTER UPDATE ON ${t} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${t}_maintain_counts()`);
      await q.query(`CREATE TRIGGER ${t}_counts_delete AFTER DELETE ON ${t} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${t}_maintain_counts()`);
      await q.query(`CREATE TRIGGER ${t}_counts_truncate AFTER TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION ${t}_maintain_counts()`);
      for (const op of ["insert", "update", "delete", "truncate"]) await q.query(`ALTER TABLE ${t} ENABLE ALWAYS TRIGGER ${t}_counts_${op}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const counted of COUNTED) {
      for (const op of ["insert", "update", "delete", "truncate"]) await q.query(`DROP TRIGGER ${counted.table}_counts_${op} ON ${counted.table}`);
      await q.query(`DROP FUNCTION ${counted.table}_maintain_counts()`);
      for (const grain of counted.grains) await q.query(`DROP TABLE ${grain.name}`);
    }
  }
}
