/** Companies: names from prefix x suffix combinations, shuffled per seed; a domain for their users' emails. */
import type { GeneratorRun } from "./generator-run";
import { at, SALT, secondsToInterval, textArray } from "./sql";
import { COMPANY_PREFIXES, COMPANY_SUFFIXES } from "./words";

/** Writes the companies and leaves them in `seed_companies` (idx, id, name, domain) for the users. */
export async function generateCompanies(run: GeneratorRun): Promise<void> {
  const { sql, org, query, onProgress } = run;
  const { seed, companies: C } = run.options;
  const anchor = sql.anchor;
  const P = COMPANY_PREFIXES.length;
  const X = COMPANY_SUFFIXES.length;
  onProgress("companies", 0, C);
  await query(`
    CREATE TEMP TABLE seed_companies ON COMMIT DROP AS
    WITH combos AS (
      SELECT p, x, (row_number() OVER (ORDER BY md5('${seed}:company-name:' || p || ':' || x)) - 1)::int AS r
      FROM generate_series(0, ${P - 1}) p, generate_series(0, ${X - 1}) x
    ), named AS (
      SELECT i AS idx, ${sql.uuid("company", "i")} AS id,
             ${at(textArray(COMPANY_PREFIXES), "c.p")} || ' ' || ${at(textArray(COMPANY_SUFFIXES), "c.x")}
               || CASE WHEN i >= ${P * X} THEN ' ' || (i / ${P * X} + 1) ELSE '' END AS name,
             ${anchor} - interval '365 days' - ${secondsToInterval(sql.pick(sql.hash("i", SALT.companySignup), 120 * 86400))} AS signed_up_at
      FROM generate_series(0, ${C - 1}) i JOIN combos c ON c.r = i % ${P * X}
    )
    SELECT named.*, trim(both '-' from lower(regexp_replace(name, '[^A-Za-z0-9]+', '-', 'g'))) || '.example.com' AS domain
    FROM named`);
  await query(`CREATE UNIQUE INDEX ON seed_companies (idx)`);
  await query(`
    INSERT INTO companies (id, organization_id, name, signed_up_at, created_at)
    SELECT id, ${org}, name, signed_up_at::timestamptz(3), signed_up_at::timestamptz(3) FROM seed_companies ORDER BY idx`);
  onProgress("companies", C, C);
}
