/**
 * Reads planned once ("reuse") are named prepared statements, and PostgreSQL moves them to one
 * generic plan; reads planned per run are unnamed. Prepared statements are bounded: every
 * distinct SQL text (one per query shape) becomes a named statement on each pooled connection,
 * so past MAX_PREPARED_STATEMENTS new texts run unnamed. A client inventing shapes can't grow
 * the gateway's map or the server's caches forever.
 */
import type { DataSource } from "typeorm";
import { createDataSource } from "../../src/db/data-source";
import { entities } from "../../src/entities";
import { MAX_PREPARED_STATEMENTS, preparedStatementCount, queryPrepared } from "../../src/db/prepared";

let dataSource: DataSource;
beforeAll(async () => {
  dataSource = await createDataSource({ url: process.env.DATABASE_URL!, entities, poolSize: 1 }).initialize();
});
afterAll(async () => {
  await dataSource.destroy();
});

/** The one pooled connection's prepared statement for `text`, with how often each kind of plan ran. */
async function prepared(text: string): Promise<{ generic_plans: number; custom_plans: number } | undefined> {
  const rows: { generic_plans: string; custom_plans: string }[] = await dataSource.query(`SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1`, [text]);
  return rows[0] && { generic_plans: Number(rows[0].generic_plans), custom_plans: Number(rows[0].custom_plans) };
}

it("a read planned once is prepared and moves to a generic plan; a read planned per run is not prepared", async () => {
  const reuse = `SELECT oid::int AS n FROM pg_class WHERE oid = $1::oid /* reuse */`;
  const perRun = `SELECT oid::int AS n FROM pg_class WHERE oid = $1::oid /* per run */`;
  for (let i = 0; i < 10; i++) {
    expect((await queryPrepared<{ n: number }>(dataSource.manager, reuse, [1259], "reuse"))[0].n).toBe(1259);
    expect((await queryPrepared<{ n: number }>(dataSource.manager, perRun, [1259], "per-run"))[0].n).toBe(1259);
  }
  // PostgreSQL plans the first five runs for their values, then keeps the generic plan.
  expect(await prepared(reuse)).toEqual({ custom_plans: 5, generic_plans: 5 });
  expect(await prepared(perRun)).toBeUndefined();
});

it(`prepares at most ${MAX_PREPARED_STATEMENTS} texts and still answers the ones past the cap`, async () => {
  const texts = MAX_PREPARED_STATEMENTS + 50;
  for (let i = 0; i < texts; i++) {
    const [row] = await queryPrepared<{ n: number }>(dataSource.manager, `SELECT $1::int + ${i} AS n`, [1], "reuse");
    expect(row.n).toBe(1 + i);
  }
  expect(preparedStatementCount()).toBe(MAX_PREPARED_STATEMENTS);
  // The one pooled connection holds exactly the named ones; a text seen before still reuses its statement.
  const [{ prepared }] = await dataSource.query(`SELECT count(*)::int AS prepared FROM pg_prepared_statements WHERE name LIKE 'sg\\_%'`);
  expect(prepared).toBe(MAX_PREPARED_STATEMENTS);
  expect((await queryPrepared<{ n: number }>(dataSource.manager, `SELECT $1::int + 7 AS n`, [1], "reuse"))[0].n).toBe(8);
});
