/**
 * Every row of a set of organizations, read with a plain pg client, and the difference between
 * two such readings: which rows were added, removed or changed, table by table. The scoped-write
 * tests take one before and one after a mutation, so "nothing outside the caller's scope
 * changed" is checked over whole rows, not over the columns a test happened to think of.
 */
import type { Client } from "pg";

/** Every table that holds an organization's data, with the column that names the organization. */
export const ORGANIZATION_TABLES = {
  organizations: "id",
  companies: "organization_id",
  users: "organization_id",
  sessions: "organization_id",
  attachments: "organization_id",
  activities: "organization_id",
  content_progress: "organization_id",
  api_tokens: "organization_id",
  exports: "organization_id",
  webhook_endpoints: "organization_id",
  webhook_messages: "organization_id",
  webhook_deliveries: "organization_id",
} as const;

export type OrganizationTable = keyof typeof ORGANIZATION_TABLES;

/**
 * Columns that change when a caller merely makes a request, left out of every reading:
 * authenticating with an API token stamps its last use.
 */
const REQUEST_NOISE: Partial<Record<OrganizationTable, string[]>> = { api_tokens: ["last_used_at"] };

export type Row = Record<string, unknown>;
export type RowSnapshot = Record<OrganizationTable, Map<string, Row>>;

/** Every row (as JSON, minus request noise) of the given organizations, by table and id. */
export async function snapshotRows(db: Client, organizationIds: readonly string[]): Promise<RowSnapshot> {
  const snapshot = {} as RowSnapshot;
  for (const [table, column] of Object.entries(ORGANIZATION_TABLES) as [OrganizationTable, string][]) {
    const { rows } = await db.query<{ id: string; row: Row }>(
      `SELECT t.id::text AS id, to_jsonb(t) - $2::text[] AS row FROM ${table} t WHERE t.${column} = ANY($1::uuid[])`,
      [[...organizationIds], REQUEST_NOISE[table] ?? []],
    );
    snapshot[table] = new Map(rows.map((r) => [r.id, r.row]));
  }
  return snapshot;
}

export interface TableChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

/** Only tables with a change appear; each list is sorted. `{}` means nothing changed. */
export type RowChanges = Partial<Record<OrganizationTable, TableChanges>>;

export function diffRows(before: RowSnapshot, after: RowSnapshot): RowChanges {
  const changes: RowChanges = {};
  for (const table of Object.keys(ORGANIZATION_TABLES) as OrganizationTable[]) {
    const a = before[table];
    const b = after[table];
    const added = [...b.keys()].filter((id) => !a.has(id)).sort();
    const removed = [...a.keys()].filter((id) => !b.has(id)).sort();
    const changed = [...a.keys()].filter((id) => b.has(id) && JSON.stringify(a.get(id)) !== JSON.stringify(b.get(id))).sort();
    if (added.length || removed.length || changed.length) changes[table] = { added, removed, changed };
  }
  return changes;
}

/** Writes an expected change set the way `diffRows` reports one (missing lists empty, all sorted). */
export function rowChanges(spec: Partial<Record<OrganizationTable, Partial<TableChanges>>>): RowChanges {
  const changes: RowChanges = {};
  for (const [table, lists] of Object.entries(spec) as [OrganizationTable, Partial<TableChanges>][]) {
    const normal = { added: [...(lists.added ?? [])].sort(), removed: [...(lists.removed ?? [])].sort(), changed: [...(lists.changed ?? [])].sort() };
    if (normal.added.length || normal.removed.length || normal.changed.length) changes[table] = normal;
  }
  return changes;
}

/** The columns whose values differ between two readings of one row. */
export function changedColumns(before: RowSnapshot, after: RowSnapshot, table: OrganizationTable, id: string): string[] {
  const a = before[table].get(id) ?? {};
  const b = after[table].get(id) ?? {};
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort();
}

/** Every changed, added or removed row of `changes`, as it reads before and after. */
export function touchedRows(before: RowSnapshot, after: RowSnapshot, changes: RowChanges): { table: OrganizationTable; id: string; before?: Row; after?: Row }[] {
  return (Object.entries(changes) as [OrganizationTable, TableChanges][]).flatMap(([table, c]) =>
    [...c.added, ...c.removed, ...c.changed].map((id) => ({ table, id, before: before[table].get(id), after: after[table].get(id) })),
  );
}
