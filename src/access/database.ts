/**
 * The database handle as code outside src/access holds it: the gateway's DataSource or a
 * transaction's EntityManager, typed so that it offers nothing to run SQL with. Code outside
 * access hands it to access (a ViewerAccess, systemQuery, streamStatements); only access turns
 * it back into something that runs statements. Together with the import rules
 * (.dependency-cruiser.cjs: no pg or TypeORM outside access and db), this is what keeps SQL
 * inside src/access and src/db.
 */
import { DataSource, type EntityManager } from "typeorm";
import type { Queryable } from "../db/prepared";

export type Database = { readonly manager: unknown } | { readonly connection: unknown };

/** The EntityManager behind a handle (for statements, entity metadata and transactions). */
export function managerOf(database: Database): EntityManager {
  return database instanceof DataSource ? database.manager : (database as EntityManager);
}

/** The handle as the statement runners of src/db take it. */
export const queryable = (database: Database): Queryable => managerOf(database);
