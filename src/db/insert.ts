import type { EntityManager } from "typeorm";

/** Inserts rows (objects keyed by column name) in one parameterised statement; returns ids. */
export async function insertRows(manager: EntityManager, table: string, rows: Record<string, unknown>[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]);
  const values: unknown[] = [];
  const tuples = rows.map((row) => `(${columns.map((c) => {
    values.push(row[c]);
    return `$${values.length}`;
  }).join(", ")})`);
  const inserted: { id: string }[] = await manager.query(
    `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${tuples.join(", ")} RETURNING id`,
    values,
  );
  return inserted.map((r) => r.id);
}
