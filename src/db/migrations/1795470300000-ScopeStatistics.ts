import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Tells the planner that a row's organization follows from its parent key (a user's sessions
 * are all in the user's organization). Every scoped read filters on both, and without these
 * statistics PostgreSQL multiplies the two selectivities: it expects only part of a user's
 * sessions, fewer than a page, and sorts them all instead of walking the (user_id, launched_at)
 * index to the page's end. Reads by id keep a generic plan (db/prepared.ts), and that plan
 * only walks the index with these statistics (Q3's statement: bench/RESULTS.md).
 *
 * ANALYZE builds them now; autovacuum's analyses keep them current.
 */
const STATISTICS: [name: string, table: string, columns: string[]][] = [
  ["sessions_scope_dependencies", "sessions", ["organization_id", "user_id", "company_id"]],
  ["activities_scope_dependencies", "activities", ["organization_id", "user_id", "session_id", "company_id"]],
  ["users_scope_dependencies", "users", ["organization_id", "company_id"]],
];

export class ScopeStatistics1795470300000 implements MigrationInterface {
  name = "ScopeStatistics1795470300000";

  async up(q: QueryRunner): Promise<void> {
    for (const [name, table, columns] of STATISTICS) {
      await q.query(`CREATE STATISTICS ${name} (dependencies) ON ${columns.join(", ")} FROM ${table}`);
      await q.query(`ANALYZE ${table}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [name] of STATISTICS) await q.query(`DROP STATISTICS ${name}`);
  }
}
