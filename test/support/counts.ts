import type { DataSource } from "typeorm";

/**
 * Every counter row of `orgs` that differs from count(*) of the rows it
 * counts, written independently of the migration: [] when the counters are right.
 */
export async function countersDrift(db: DataSource, orgs: string[]): Promise<unknown[]> {
  const compare = (counters: string, keys: string[], table: string, expressions: string[]) =>
    db.query(
      `WITH actual AS (
         SELECT ${expressions.map((e, i) => `${e} AS ${keys[i]}`).join(", ")}, count(*)::int AS n
           FROM ${table} WHERE organization_id = ANY($1::uuid[]) GROUP BY ${keys.map((_, i) => i + 1).join(", ")}),
       kept AS (SELECT ${keys.join(", ")}, n::int AS n FROM ${counters} WHERE organization_id = ANY($1::uuid[]) AND n <> 0)
       SELECT '${counters}' AS counters, 'rows only' AS side, to_jsonb(x) AS counter FROM (TABLE actual EXCEPT ALL TABLE kept) x
       UNION ALL
       SELECT '${counters}', 'counters only', to_jsonb(x) FROM (TABLE kept EXCEPT ALL TABLE actual) x`,
      [orgs],
    );
  const day = (column: string) => `(${column} AT TIME ZONE 'UTC')::date`;
  const sessionKeys = ["organization_id", "day", "status", "removed", "pending"];
  const sessionExpressions = ["organization_id", day("launched_at"), "status", "removed", "units_pending > 0"];
  return [
    ...(await compare("session_user_day_counts", [...sessionKeys, "user_id"], "sessions", [...sessionExpressions, "user_id"])),
    ...(await compare("session_day_counts", sessionKeys, "sessions", sessionExpressions)),
    ...(await compare("session_device_day_counts", [...sessionKeys, "device_type"], "sessions", [...sessionExpressions, "device_type"])),
    ...(await compare("session_os_day_counts", [...sessionKeys, "os_version"], "sessions", [...sessionExpressions, "os_version"])),
    ...(await compare("activity_user_day_counts", ["organization_id", "day", "user_id", "company_id"], "activities", ["organization_id", day("occurred_at"), "user_id", "company_id"])),
    ...(await compare("activity_day_counts", ["organization_id", "day"], "activities", ["organization_id", day("occurred_at")])),
  ];
}

