/**
 * The generator into an empty database (a fresh data dir, the benchmark's setup) builds the
 * sessions' and activities' secondary indexes after loading them (src/seed/deferred-indexes.ts)
 * and counts the maintained counters once after them (src/seed/deferred-counts.ts).
 * Two fresh databases on the test cluster: the rows must be the same as those written with the
 * indexes in place, the indexes exactly those of the migrations, the maintained counts right.
 */
import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { Client } from "pg";
import type { DataSource } from "typeorm";
import { openDatabase } from "../../src/db/data-source";
import { entities } from "../../src/entities";
import { generateDataset, type GenerateOptions } from "../../src/seed/generate";
import { countersDrift } from "../support/counts";
import { generatedChecksum } from "../support/generated";

jest.setTimeout(120_000);

const OPTIONS: GenerateOptions = { companies: 3, users: 30, sessions: 120, activities: 1500, seed: 7011 };
const OTHER: GenerateOptions = { ...OPTIONS, seed: 7012 };

let admin: Client;
const names = [1, 2, 3].map((n) => `sessiongraph_seed${n}_${randomUUID().slice(0, 8)}`);
const dbs: DataSource[] = [];
let shared: DataSource;

async function freshDatabase(name: string): Promise<DataSource> {
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), entities, poolSize: 2 });
  dbs.push(db);
  return db;
}

/** Generates `options` into `db`; answers the organization and the phases reported. */
async function generate(db: DataSource, options: GenerateOptions): Promise<{ organizationId: string; phases: Set<string> }> {
  const phases = new Set<string>();
  const { organizationId } = await generateDataset(db, options, (phase) => phases.add(phase));
  return { organizationId, phases };
}

const indexDefinitions = async (db: DataSource) =>
  ((await db.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename IN ('sessions', 'activities') ORDER BY indexname`)) as { indexdef: string }[]).map(
    (r) => r.indexdef,
  );

beforeAll(async () => {
  admin = new Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  shared = await openDatabase({ url: process.env.DATABASE_URL!, entities, poolSize: 1 });
});

afterAll(async () => {
  for (const db of dbs) await db.destroy();
  await shared?.destroy();
  for (const name of names) await admin?.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin?.end();
});

describe("generateDataset into empty tables", () => {
  it("builds the indexes after the load, and writes the same rows as with the indexes in place", async () => {
    const fresh = await freshDatabase(names[0]);
    const migrated = await indexDefinitions(fresh);
    expect(migrated.length).toBeGreaterThan(10);
    const bulk = await generate(fresh, OPTIONS);
    expect(bulk.phases).toContain("indexes");
    expect(bulk.phases).toContain("counts");
    // Exactly the migrations' indexes again, the same as on the shared test database.
    expect(await indexDefinitions(fresh)).toEqual(migrated);
    expect(await indexDefinitions(shared)).toEqual(migrated);
    expect(await countersDrift(fresh, [bulk.organizationId])).toEqual([]);
    const [{ n }] = (await fresh.query(`SELECT sum(n)::int AS n FROM activity_day_counts WHERE organization_id = $1`, [bulk.organizationId])) as { n: number }[];
    expect(n).toBe(OPTIONS.activities);

    // A second database where the tables already hold another organization: indexes stay.
    const busy = await freshDatabase(names[1]);
    expect((await generate(busy, OTHER)).phases).toContain("indexes");
    const indexed = await generate(busy, OPTIONS);
    expect(indexed.phases).not.toContain("indexes");
    expect(indexed.phases).not.toContain("counts"); // counted by the triggers, statement by statement
    expect(indexed.organizationId).toBe(bulk.organizationId);
    expect(await generatedChecksum(busy, indexed.organizationId)).toBe(await generatedChecksum(fresh, bulk.organizationId));
    expect(await countersDrift(busy, [indexed.organizationId])).toEqual([]);

    // The fresh load was counted after it, with the counters' insert triggers off; they are on
    // again as the migrations left them, so a row written afterwards is counted too.
    expect(await fresh.query(`SELECT tgname, tgenabled FROM pg_trigger WHERE tgname LIKE '%\\_counts\\_insert' ORDER BY tgname`)).toEqual([
      { tgname: "activities_counts_insert", tgenabled: "A" },
      { tgname: "sessions_counts_insert", tgenabled: "A" },
    ]);
    await fresh.query(
      `INSERT INTO activities (id, organization_id, user_id, company_id, session_id, occurred_at, category, action, created_at)
       SELECT gen_random_uuid(), organization_id, user_id, company_id, session_id, occurred_at, category, action, created_at
         FROM activities WHERE organization_id = $1 ORDER BY id LIMIT 1`,
      [bulk.organizationId],
    );
    expect(await countersDrift(fresh, [bulk.organizationId])).toEqual([]);
    const [{ after }] = (await fresh.query(`SELECT sum(n)::int AS after FROM activity_day_counts WHERE organization_id = $1`, [bulk.organizationId])) as { after: number }[];
    expect(after).toBe(OPTIONS.activities + 1);
  });

  it("replacing the only organization with other counts counts its rows again from its zeroed counters", async () => {
    const [, busy] = dbs;
    const replaced = await freshDatabase(names[2]);
    await generate(replaced, { ...OPTIONS, activities: OPTIONS.activities - 100 });
    // The organization's rows are deleted (the triggers zero its counters), the tables are empty again.
    const again = await generate(replaced, OPTIONS);
    for (const phase of ["delete", "counts", "indexes"]) expect(again.phases).toContain(phase);
    expect(await countersDrift(replaced, [again.organizationId])).toEqual([]);
    expect(await generatedChecksum(replaced, again.organizationId)).toBe(await generatedChecksum(busy, again.organizationId));
  });

  it("uses the indexes it built: a session's activities are read through activities_session_time", async () => {
    const [fresh] = dbs;
    const plan = (await fresh.query(
      `EXPLAIN (COSTS OFF) SELECT * FROM activities WHERE session_id = (SELECT id FROM sessions ORDER BY id LIMIT 1) ORDER BY occurred_at, id`,
    )) as { "QUERY PLAN": string }[];
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toContain("activities_session_time");
  });
});
