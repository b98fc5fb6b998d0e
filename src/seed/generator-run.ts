/** What each entity's generator receives from `generateDataset`. */
import type { Sql } from "./sql";

export interface GenerateOptions {
  companies: number;
  users: number;
  sessions: number;
  activities: number;
  seed: number;
}

export type GenerateProgress = (phase: string, done: number, total: number) => void;

/** Rows per INSERT statement (and per progress step). */
export const ACTIVITY_CHUNK = 100_000;
export const SESSION_CHUNK = 50_000;

/**
 * One run of the generator, inside its transaction. The entity generators run in order and
 * hand rows on through temporary tables (`seed_companies`, `seed_users`, `seed_sessions`...),
 * which are dropped at commit.
 */
export interface GeneratorRun {
  readonly options: GenerateOptions;
  readonly sql: Sql;
  /** The generated organization's id as a SQL literal. */
  readonly org: string;
  readonly onProgress: GenerateProgress;
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs a statement and returns how many rows it wrote. */
  write(text: string, params?: unknown[]): Promise<number>;
}
