/**
 * The large-data generator behind `npm run seed`: one organization named `Generated (seed S)`
 * with N companies, users, sessions, attachments and activities, written by set-based SQL
 * (`INSERT ... SELECT ... FROM generate_series`) in chunks so progress can be reported.
 *
 * Deterministic: every id comes from `md5(seed:kind:index)` (organizations, companies and users
 * shaped as v4 UUIDs; sessions, attachments and activities as time-ordered v7 UUIDs, see
 * Sql.uuid7), every value from `hashint8extended(index, seed salt)` bits (never `random()`), and
 * every time is measured from a fixed anchor, so the same arguments give the same rows on every
 * machine.
 *
 * Time model (the product's sessionization rule, "a session starts after more than 30 minutes
 * of inactivity", holds by construction):
 * - the window is the 365 days before GENERATED_ANCHOR (longer only if a user has so many
 *   sessions that they would not fit);
 * - a user with n sessions has the window cut into n equal slots; session k is launched inside
 *   slot k and its whole life (queue, activities, completion) ends at least 31 minutes before
 *   slot k + 1 starts;
 * - only started sessions of users have activities; they are spaced by `step` plus a jitter
 *   below step / 2, with step <= 15 minutes, so consecutive activities are at most 22.5 minutes
 *   apart and all lie between started_at and completed_at (or the slot's end while in progress).
 *
 * Each entity has its generator (`<entity>.generator.ts`), run in the order of generateInTransaction;
 * what they pick from lives in words.ts, devices.ts, statuses.ts and activity-catalogue.ts, the SQL
 * building blocks in sql.ts. Every row is written once: sessions carry their activity span and
 * users their first and last seen time from the plan (activityAt), not from an UPDATE after the
 * load; into empty tables the secondary indexes are built after it (deferred-indexes.ts) and the
 * maintained counts counted once after it (deferred-counts.ts).
 */
import { systemQuery, systemTransaction, systemWrite, type Database } from "../access";
import { generateActivities } from "./activity.generator";
import { generateAttachments } from "./attachment.generator";
import { generateCompanies } from "./company.generator";
import { deferCounts } from "./deferred-counts";
import { DEFERRED_INDEX_TABLES, deferIndexesIfEmpty } from "./deferred-indexes";
import type { GenerateOptions, GenerateProgress, GeneratorRun } from "./generator-run";
import { deleteOrganizations, generatedIds, generateOrganization, holdsRequestedRows, organizationsNamed } from "./organization.generator";
import { planSessions, sessionsRunByUsers } from "./session-plan.generator";
import { generateSessions } from "./session.generator";
import { Sql } from "./sql";
import { planUsers, writeUsers } from "./user.generator";

export { ACTIVITY_CHUNK, SESSION_CHUNK, type GenerateOptions, type GenerateProgress } from "./generator-run";
export { GENERATED_ANCHOR } from "./sql";

export interface GenerateResult {
  organizationId: string;
  adminUserId: string;
  counts: { companies: number; users: number; sessions: number; activities: number };
}

export const MAX_SEED = 2_147_483_647;

/** The name of the organization a seed generates into. */
export function generatedOrganizationName(seed: number): string {
  return `Generated (seed ${seed})`;
}

/** Problems with the options, in words a CLI user can act on; empty when they are valid. */
export function validateGenerateOptions(options: GenerateOptions): string[] {
  const problems: string[] = [];
  for (const key of ["companies", "users", "sessions", "activities", "seed"] as const) {
    const value = options[key];
    if (!Number.isSafeInteger(value) || value < 0) problems.push(`${key} must be a non-negative integer, got ${value}`);
  }
  if (problems.length > 0) return problems;
  if (options.seed > MAX_SEED) problems.push(`seed must be at most ${MAX_SEED}`);
  if (options.users > 10_000_000 || options.sessions > 100_000_000 || options.activities > 2_000_000_000) {
    problems.push("counts are beyond what the generator supports (users <= 10M, sessions <= 100M, activities <= 2G)");
  }
  if (options.sessions > 0 && options.users === 0) problems.push("sessions need at least one user");
  if (options.activities > 0 && options.sessions === 0) problems.push("activities need at least one session");
  return problems;
}

/**
 * Generates (or reuses) the organization `Generated (seed S)` with exactly the requested counts,
 * in one transaction. Reusing means the organization exists with these ids and counts; then
 * nothing is written. Otherwise an organization of that name is deleted first.
 */
export async function generateDataset(
  database: Database,
  options: GenerateOptions,
  onProgress: GenerateProgress = () => {},
): Promise<GenerateResult> {
  const problems = validateGenerateOptions(options);
  if (problems.length > 0) throw new RangeError(problems.join("; "));
  return await systemTransaction(database, GENERATOR, async (tx) => {
    const query = <T = Record<string, unknown>>(text: string, params?: unknown[]) => systemQuery<T>(tx, GENERATOR, text, params);
    const write = (text: string, params?: unknown[]) => systemWrite(tx, GENERATOR, text, params);
    // Large temp tables (the session plan) stay in memory; allowed only before this connection
    // first touches a temporary table, so a refusal is fine (the savepoint keeps the transaction).
    await query("SAVEPOINT temp_buffers");
    await query(`SET temp_buffers = '512MB'`).then(
      () => query("RELEASE SAVEPOINT temp_buffers"),
      () => query("ROLLBACK TO SAVEPOINT temp_buffers"),
    );
    await query(`SET LOCAL work_mem = '256MB'`);
    return await generateInTransaction(query, write, options, onProgress);
  });
}

/** Why the generator bypasses viewer scope: it writes one whole organization, for no viewer. */
const GENERATOR = "generator: writes one whole organization for no viewer";

async function generateInTransaction(query: GeneratorRun["query"], write: GeneratorRun["write"], options: GenerateOptions, onProgress: GenerateProgress): Promise<GenerateResult> {
  const { seed, companies: C, users: U, sessions: N, activities: A } = options;
  const sql = new Sql(seed);
  const name = generatedOrganizationName(seed);

  // Two runs of the same seed wait for each other instead of interleaving.
  await query(`SELECT pg_advisory_xact_lock(hashtext('sessiongraph:generate'), $1)`, [seed]);
  const { orgId, adminId } = await generatedIds(query, sql);
  const run: GeneratorRun = { options, sql, org: `'${orgId}'::uuid`, onProgress, query, write };
  const result = { organizationId: orgId, adminUserId: U > 0 ? adminId : "", counts: { companies: C, users: U, sessions: N, activities: A } };

  // Reuse when the organization is already there with these ids and counts.
  onProgress("check", 0, 1);
  const existing = await organizationsNamed(run, name);
  const complete = existing.length === 1 && existing[0] === orgId && (await holdsRequestedRows(run, orgId, adminId));
  onProgress("check", 1, 1);
  if (complete) return result;
  if (existing.length > 0) await deleteOrganizations(run, existing);

  // Every row below is consistent by construction (and the tests check it), so a superuser
  // skips the per-row foreign-key triggers for the rest of this transaction: each writes a row
  // lock (and WAL) for every referenced row, a large share of the load. Set only after the
  // deletes above, whose cascades are triggers too.
  const [{ superuser }] = await query<{ superuser: boolean }>(`SELECT current_setting('is_superuser') = 'on' AS superuser`);
  if (superuser) await query(`SET LOCAL session_replication_role = replica`);

  // Each step reads the temporary tables the steps before it left.
  const userSessions = sessionsRunByUsers(N);
  await generateOrganization(run, orgId, name);
  await generateCompanies(run);
  await planUsers(run, userSessions);
  const window = await planSessions(run, userSessions);
  await writeUsers(run, window);
  const deferred = await deferIndexesIfEmpty(run);
  const counts = deferred ? await deferCounts(run, DEFERRED_INDEX_TABLES) : null;
  await generateSessions(run, window);
  await generateAttachments(run);
  await generateActivities(run);
  await counts?.count();
  await deferred?.build();

  onProgress("finalize", 0, 1);
  for (const table of ["companies", "users", "sessions", "attachments", "activities"]) await query(`ANALYZE ${table}`);
  onProgress("finalize", 1, 1);
  return result;
}
