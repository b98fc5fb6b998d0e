/**
 * Prepared statements are bounded: every distinct SQL text (one per query shape) becomes a
 * named statement on each pooled connection, so past MAX_PREPARED_STATEMENTS new texts run
 * unnamed. A client inventing shapes can't grow the gateway's map or the server's caches forever.
 */
import type { DataSource } from "typeorm";
import { createDataSource } from "../../src/db/data-source";
import { MAX_PREPARED_STATEMENTS, preparedStatementCount, queryPrepared } from "../../src/db/prepared";

let dataSource: DataSource;
beforeAll(async () => {
  dataSource = await createDataSource({ url: process.env.DATABASE_URL!, poolSize: 1 }).initialize();
});
afterAll(async () => {
  await dataSource.destroy();
});

it(`prepares at most ${MAX_PREPARED_STATEMENTS} texts and still answers the ones past the cap`, async () => {
  const texts = MAX_PREPARED_STATEMENTS + 50;
  for (let i = 0; i < texts; i++) {
    const [row] = await queryPrepared<{ n: number }>(dataSource.manager, `SELECT $1::int + ${i} AS n`, [1]);
    expect(row.n).toBe(1 + i);
  }
  expect(preparedStatementCount()).toBe(MAX_PREPARED_STATEMENTS);
  // The one pooled connection holds exactly the named ones; a text seen before still reuses its statement.
  const [{ prepared }] = await dataSource.query(`SELECT count(*)::int AS prepared FROM pg_prepared_statements WHERE name LIKE 'sg\\_%'`);
  expect(prepared).toBe(MAX_PREPARED_STATEMENTS);
  expect((await queryPrepared<{ n: number }>(dataSource.manager, `SELECT $1::int + 7 AS n`, [1]))[0].n).toBe(8);
});
