/**
 * The database handles of src/access. Features never hold one: they get a ViewerAccess (every
 * statement scoped to a viewer) or, for the few deliberate bypasses, call systemQuery.
 */
import { DataSource, type EntityManager } from "typeorm";
import type { Database } from "../db/prepared";

export type { Database } from "../db/prepared";

/** The EntityManager behind a handle (for entity metadata and transactions). */
export function managerOf(database: Database): EntityManager {
  return database instanceof DataSource ? database.manager : database;
}
