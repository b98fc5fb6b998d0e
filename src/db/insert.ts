import type { EntityManager } from "typeorm";

/** One parameterised INSERT of `rows` (objects keyed by column name, all with the same keys), returning ids. */
export function insertStatement(table: string, rows: Record<string, unknown>[]): { sql: string; values: unknown[] } {
  const columns = Object.keys(rows[0]);
  const values: unknown[] = [];
  const tuples = rows.map((row) => `(${columns.map((c) => {
    values.push(row[c]);
    return `$${values.length}`;
  }).join(", ")})`);
  return { sql: `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${tuples.join(", ")} RETURNING id`, values };
}

/** Inserts rows in one statement (test fixtures); returns ids. The seed goes through access's systemInsert. */
export async function insertRows(manager: EntityManager, table: string, rows: Record<string, unknown>[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const { sql, values } = insertStatement(table, rows);
  const inserted: { id: string }[] = await manager.query(sql, values);
  return inserted.map((r) => r.id);
}
