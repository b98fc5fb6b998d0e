import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger, QueryRunner } from "typeorm";

/**
 * Counts the SQL statements each request runs. TypeORM calls logQuery in the caller's async
 * context, so the count lands on the request that issued the statement.
 */
export interface StatementTally {
  statements: number;
}

const current = new AsyncLocalStorage<StatementTally>();

/** Runs `fn` with a fresh tally and returns the tally alongside its result. */
export function countStatements<T>(fn: () => T): { result: T; tally: StatementTally } {
  const tally = { statements: 0 };
  return { result: current.run(tally, fn), tally };
}

/** The tally of the request whose async chain this is, if any. */
export function currentStatementTally(): StatementTally | undefined {
  return current.getStore();
}

type StatementListener = (sql: string) => void;
const listeners = new Set<StatementListener>();

/**
 * Records the text of every statement a counted request runs until `stop()` (tests snapshot the
 * SQL of hot paths with it, so a change of statement shape shows up in review). Background work
 * (job queues, lease and retention sweeps, webhook delivery) runs outside any request and is
 * left out, so a sweep that happens to run meanwhile does not change the snapshot.
 */
export function recordStatements(): { statements: string[]; stop(): void } {
  const statements: string[] = [];
  const listener: StatementListener = (sql) => statements.push(sql);
  listeners.add(listener);
  return { statements, stop: () => listeners.delete(listener) };
}

/** Counts one statement on the current request's tally and shows it to the recorders. */
export function noteStatement(sql: string): void {
  const tally = current.getStore();
  if (!tally) return;
  tally.statements++;
  for (const listener of listeners) listener(sql);
}

export class StatementCountingLogger implements Logger {
  constructor(private readonly onSlowOrError?: (message: string, detail: Record<string, unknown>) => void) {}

  logQuery(query: string): void {
    noteStatement(query);
  }
  logQueryError(error: string | Error, query: string): void {
    this.onSlowOrError?.("query failed", { error: String(error), query });
  }
  logQuerySlow(time: number, query: string): void {
    this.onSlowOrError?.("slow query", { ms: time, query });
  }
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(_level: "log" | "info" | "warn", _message: unknown, _queryRunner?: QueryRunner): void {}
}

/** Runs `fn` outside any request's tally (background bookkeeping). */
export function withoutStatementTally<T>(fn: () => T): T {
  return current.exit(fn);
}
