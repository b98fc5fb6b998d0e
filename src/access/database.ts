/**
 * The database handle as code outside src/access holds it: the gateway's DataSource, a
 * transaction's EntityManager, or a request's routed handle (read-routing.ts), typed so that it
 * offers nothing to run SQL with. Code outside access hands it to access (a ViewerAccess,
 * systemQuery, streamStatements); only access turns it back into something that runs statements.
 * Together with the import rules (.dependency-cruiser.cjs: no pg or TypeORM outside access and
 * db), this is what keeps SQL inside src/access and src/db.
 */
import { DataSource, type EntityManager } from "typeorm";
import { runStatement, type Planning, type Queryable, type StatementResult } from "../db/prepared";

export type Database = { readonly manager: unknown } | { readonly connection: unknown };

/**
 * A handle that decides per statement which server runs a scoped read (read-routing.ts). Its
 * `primary` runs everything else: writes, transactions, locks, export streams, system queries.
 */
export abstract class RoutedHandle {
  abstract readonly primary: DataSource;
  /** Runs one read where the request's route says (a replica, or the primary). */
  abstract read<R>(sql: string, values: unknown[], planning: Planning): Promise<StatementResult<R>>;
  get manager(): EntityManager {
    return this.primary.manager;
  }
}

/** The EntityManager behind a handle (for statements, entity metadata and transactions): a routed handle's primary. */
export function managerOf(database: Database): EntityManager {
  if (database instanceof RoutedHandle) return database.primary.manager;
  return database instanceof DataSource ? database.manager : (database as EntityManager);
}

/** The handle as the statement runners of src/db take it: always the primary (writes, system queries). */
export const queryable = (database: Database): Queryable => managerOf(database);

/**
 * Runs a scoped read: on a routed handle where its route says (a replica for a read request),
 * otherwise like runStatement. Writes never come here: they run on queryable(database).
 */
export async function runRead<R = Record<string, unknown>>(database: Database, sql: string, values: unknown[], planning: Planning): Promise<StatementResult<R>> {
  if (database instanceof RoutedHandle) return await database.read<R>(sql, values, planning);
  return await runStatement<R>(managerOf(database), sql, values, planning);
}
