import type { DataSource } from "typeorm";

/** One hash over every row the generator wrote for `organizationId` (all columns, created_at included), in a stable order. */
export async function generatedChecksum(db: DataSource, organizationId: string): Promise<string> {
  const [row] = (await db.query(
    `SELECT md5(string_agg(x, ',' ORDER BY x)) AS sum FROM (
       SELECT 'o' || md5(o::text) AS x FROM organizations o WHERE id = $1
       UNION ALL SELECT 'c' || md5(c::text) FROM companies c WHERE organization_id = $1
       UNION ALL SELECT 'u' || md5(u::text) FROM users u WHERE organization_id = $1
       UNION ALL SELECT 's' || md5(s::text) FROM sessions s WHERE organization_id = $1
       UNION ALL SELECT 't' || md5(t::text) FROM attachments t WHERE organization_id = $1
       UNION ALL SELECT 'a' || md5(a::text) FROM activities a WHERE organization_id = $1) rows`,
    [organizationId],
  )) as { sum: string }[];
  return row.sum;
}
