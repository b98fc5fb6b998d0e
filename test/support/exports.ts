/** Reading exports back: download a signed URL and parse it with an independent CSV parser. */
import { parse } from "csv-parse/sync";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { randomUUID } from "node:crypto";
import { insertRows } from "../../src/db/insert";
import type { GraphQLClient } from "./client";
import type { World } from "./world";

export interface Downloaded {
  status: number;
  headers: Headers;
  bytes: Buffer;
  /** Header row first. */
  records: string[][];
}

export async function download(url: string): Promise<Downloaded> {
  const res = await fetch(url);
  const bytes = Buffer.from(await res.arrayBuffer());
  const records = res.status === 200 ? (parse(bytes.toString("utf8"), { relax_column_count: false, bom: true }) as string[][]) : [];
  return { status: res.status, headers: res.headers, bytes, records };
}

/** A column of a parsed file, by header. */
export function column(records: string[][], header: string): string[] {
  const index = records[0].indexOf(header);
  if (index < 0) throw new Error(`no column "${header}" in ${JSON.stringify(records[0])}`);
  return records.slice(1).map((r) => r[index]);
}

type Page = { pageInfo: { hasNextPage: boolean; endCursor?: string | null }; nodes?: { id: string }[]; edges?: { node: { id: string } }[] };

/** Every id a list query returns to `client`, page after page, in order. */
export async function allIds<T, V extends { first?: number | null; after?: string | null }>(
  client: GraphQLClient,
  document: TypedDocumentNode<T, V>,
  variables: V,
  pick: (data: T) => Page,
  pageSize = 3,
): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null | undefined = null;
  for (;;) {
    const data: T = await client.data(document, { ...variables, first: pageSize, after });
    const page = pick(data);
    ids.push(...(page.nodes ?? page.edges!.map((e) => e.node)).map((n) => n.id));
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor;
  }
}

/** Follows an export until its job has finished (the mutation waits only EXPORT_WAIT_MS). */
export async function finished<T extends { status: string }>(fetchExport: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await fetchExport();
    if (["COMPLETED", "FAILED", "EXPIRED", "CANCELED"].includes(current.status)) return current;
    if (Date.now() > deadline) throw new Error(`export still ${current.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs a bulk fixture statement exempt from the gateway's statement_timeout (it is not a request; the machine may be busy). */
export async function bulkFixture(dataSource: import("typeorm").DataSource, sql: string, params: unknown[]): Promise<void> {
  await dataSource.transaction(async (m) => {
    await m.query("SET LOCAL statement_timeout = 0");
    await m.query(sql, params);
  });
}

/**
 * A new MEMBER of the world's main organization with `rows` page-view activities, one a second
 * from 2026-01-01: an export of them runs long enough for a fault to land mid-way. Returns its id.
 */
export async function busyMember(dataSource: import("typeorm").DataSource, world: World, rows: number): Promise<string> {
  const tag = randomUUID().slice(0, 8);
  const [userId] = await insertRows(dataSource.manager, "users", [{
    organization_id: world.organizationId, company_id: world.companies.alpha, first_name: "Busy", last_name: tag,
    email: `busy.${tag}@example.test`, username: `busy_${tag}`, role: "MEMBER",
  }]);
  await bulkFixture(
    dataSource,
    `INSERT INTO activities (organization_id, user_id, company_id, occurred_at, category, action, label)
     SELECT $1, $2, $3, timestamptz '2026-01-01T00:00:00Z' + g * interval '1 second', 'Page', 'View', 'page ' || g
     FROM generate_series(1, $4::int) g`,
    [world.organizationId, userId, world.companies.alpha, rows],
  );
  return userId;
}
