import { managerOf, type Database } from "./database";

/** What a pg Pool reports about itself (node-postgres: totalCount, idleCount, waitingCount). */
interface PgPoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * The request pool's connections: open, idle, and requests waiting for one (for metrics).
 * Zeros when the driver has no pool (not yet connected, or destroyed). Never throws.
 */
export function poolStats(database: Database): { total: number; idle: number; waiting: number } {
  const pool = (managerOf(database).connection.driver as unknown as { master?: PgPoolCounts }).master;
  if (!pool || typeof pool.totalCount !== "number") return { total: 0, idle: 0, waiting: 0 };
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}
