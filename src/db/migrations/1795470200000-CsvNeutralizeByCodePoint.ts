import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * sg_neutralize_formula() tests the first character's code point instead of matching a regular
 * expression: the same rule (a leading =, +, -, @, tab or CR) at a fraction of the cost, which a
 * COPY export pays on every text cell (bench/RESULTS.md, "Formula neutralisation in SQL").
 */
export class CsvNeutralizeByCodePoint1795470200000 implements MigrationInterface {
  name = "CsvNeutralizeByCodePoint1795470200000";

  async up(q: QueryRunner): Promise<void> {
    // '=' 61, '+' 43, '-' 45, '@' 64, tab 9, CR 13; ascii('') is 0 and ascii(NULL) is NULL.
    await q.query(`CREATE OR REPLACE FUNCTION sg_neutralize_formula(value text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN CASE WHEN ascii(value) IN (61, 43, 45, 64, 9, 13) THEN '''' || value ELSE value END`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION sg_neutralize_formula(value text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN CASE WHEN value ~ '^[=+\\-@\\t\\r]' THEN '''' || value ELSE value END`);
  }
}
