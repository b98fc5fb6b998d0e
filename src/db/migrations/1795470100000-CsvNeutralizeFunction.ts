import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The formula neutralisation of export cells, for exports that PostgreSQL encodes itself
 * (COPY): the same rule as neutralizeFormula() in src/exports/csv-stream.ts. A plain SQL
 * function, so the planner inlines it.
 */
export class CsvNeutralizeFunction1795470100000 implements MigrationInterface {
  name = "CsvNeutralizeFunction1795470100000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION sg_neutralize_formula(value text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN CASE WHEN value ~ '^[=+\\-@\\t\\r]' THEN '''' || value ELSE value END`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION sg_neutralize_formula(text)`);
  }
}
