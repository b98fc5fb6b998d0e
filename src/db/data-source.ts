import "reflect-metadata";
import { DataSource, type EntitySchema } from "typeorm";
import { migrations } from "./migrations";
import { StatementCountingLogger } from "./statement-counter";
import "./pg-types";
import type { Logger } from "../shared/logger";

export interface DataSourceOptions {
  url: string;
  /** Every entity class (src/entities.ts): entities live with their features, above this room. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: (Function | EntitySchema)[];
  logger?: Logger;
  /** Pool size; defaults to 10 connections. */
  poolSize?: number;
  /** PostgreSQL statement_timeout of every pooled connection, ms; 0 or absent: none. */
  statementTimeoutMs?: number;
}

export type { DataSource } from "typeorm";

/** How long a request waits for a pooled connection (or a new one) before failing. */
const CONNECT_TIMEOUT_MS = 5000;

/** The application's data source. Schema changes only ever come from migrations. */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: "postgres",
    url: options.url,
    entities: options.entities,
    migrations,
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
    uuidExtension: "pgcrypto",
    installExtensions: false,
    migrationsRun: false,
    logging: true,
    maxQueryExecutionTime: 1000,
    logger: new StatementCountingLogger((message, detail) => options.logger?.warn(message, detail)),
    poolSize: options.poolSize ?? 10,
    extra: {
      application_name: "sessiongraph",
      // While the database is down, fail fast instead of queueing behind a dead pool.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    },
  });
}

/** Initializes the data source and applies pending migrations. */
export async function openDatabase(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: "each" });
  return dataSource;
}
