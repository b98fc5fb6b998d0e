/**
 * `npm run seed -- --companies N --users N --sessions N --activities N [--seed S]`
 *
 * Generates the organization `Generated (seed S)` into the configured database (DATABASE_URL,
 * or the embedded PostgreSQL under DATA_DIR exactly as `npm start` runs it), with a progress
 * bar per phase. Running it again with the same arguments is a quick no-op.
 */
import "reflect-metadata";
import path from "node:path";
import { Presets, SingleBar } from "cli-progress";
import { loadConfig } from "./config/config";
import { openDatabase, type DataSource } from "./db/data-source";
import { entities } from "./entities";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./db/embedded-postgres";
import { generateDataset, generatedOrganizationName, validateGenerateOptions, type GenerateOptions } from "./seed/generate";
import { issueApiToken } from "./api-tokens";
import { Role } from "./access";

export const USAGE = `Usage: npm run seed -- [options]

Generates one organization named "Generated (seed S)" with companies, users, sessions,
attachments and activities. The same options always produce the same rows; running again
with the same options changes nothing, other counts replace that organization.

Options:
  --companies N    companies (default 100)
  --users N        users; the first is an ADMIN, about 10% are DEVELOPERs (default 20000)
  --sessions N     sessions (default 400000)
  --activities N   activities (default 4000000)
  --seed S         seed, 0..2147483647 (default 1)
  -h, --help       show this help

Database: DATABASE_URL when set, otherwise the embedded PostgreSQL under DATA_DIR
(the one \`npm start\` uses; joined if the gateway is running).`;

export const DEFAULT_OPTIONS: GenerateOptions = { companies: 100, users: 20_000, sessions: 400_000, activities: 4_000_000, seed: 1 };

export class UsageError extends Error {}

/** Parses `--name N` and `--name=N`; returns null for --help. Throws UsageError on bad input. */
export function parseArgs(argv: string[]): GenerateOptions | null {
  const options: GenerateOptions = { ...DEFAULT_OPTIONS };
  const names = Object.keys(DEFAULT_OPTIONS) as (keyof GenerateOptions)[];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") return null;
    const match = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    const name = match?.[1] as keyof GenerateOptions | undefined;
    if (!match || !name || !names.includes(name)) throw new UsageError(`unknown argument "${arg}"`);
    const raw = match[2] ?? argv[++i];
    if (raw === undefined) throw new UsageError(`--${name} needs a value`);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(Number(raw))) {
      throw new UsageError(`--${name} must be a non-negative integer, got "${raw}"`);
    }
    options[name] = Number(raw);
  }
  const problems = validateGenerateOptions(options);
  if (problems.length > 0) throw new UsageError(problems.join("; "));
  return options;
}

const PHASES: Record<string, string> = {
  check: "checking",
  delete: "deleting old",
  companies: "companies",
  users: "users",
  plan: "planning",
  sessions: "sessions",
  attachments: "attachments",
  activities: "activities",
  counts: "counting",
  indexes: "indexes",
  finalize: "finishing",
};

/** A bar per phase on a terminal; a line every few seconds (and at each phase's end) otherwise. */
function progressReporter(started: number): { report: (phase: string, done: number, total: number) => void; stop: () => void } {
  const label = (phase: string) => (PHASES[phase] ?? phase).padEnd(12);
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  if (process.stdout.isTTY) {
    let bar: SingleBar | null = null;
    let current = "";
    const stop = () => {
      bar?.stop();
      bar = null;
    };
    return {
      report(phase, done, total) {
        if (phase !== current) {
          stop();
          current = phase;
          if (total === 0) return;
          bar = new SingleBar(
            { format: `${label(phase)} {bar} {percentage}% | {value}/{total} | {duration_formatted}`, hideCursor: true, formatValue: (v) => v.toLocaleString("en-US") },
            Presets.shades_classic,
          );
          bar.start(Math.max(total, 1), done);
        }
        bar?.setTotal(Math.max(total, 1));
        bar?.update(done);
      },
      stop,
    };
  }
  let lastLine = 0;
  let current = "";
  return {
    report(phase, done, total) {
      const now = Date.now();
      const finished = done >= total;
      if (phase === current && !finished && now - lastLine < 5000) return;
      if (phase !== current && done === 0 && total > 0) {
        current = phase;
        return; // the phase's first line comes with progress or its end
      }
      current = phase;
      lastLine = now;
      const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
      console.log(`[${elapsed().padStart(7)}] ${label(phase)} ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} (${percent}%)`);
    },
    stop() {},
  };
}

async function connect(): Promise<{ dataSource: DataSource; embedded: EmbeddedPostgres | null; where: string }> {
  const config = loadConfig();
  let embedded: EmbeddedPostgres | null = null;
  let url = config.databaseUrl;
  let where = "DATABASE_URL";
  if (!url) {
    const dataDir = path.join(config.dataDir, "postgres");
    try {
      embedded = await startEmbeddedPostgres({ dataDir, port: config.embeddedPostgresPort });
    } catch (error) {
      throw new Error(
        `could not start the embedded PostgreSQL in ${dataDir} on port ${config.embeddedPostgresPort} (${(error as Error).message}). ` +
          "Set DATABASE_URL to use another PostgreSQL.",
      );
    }
    url = embedded.url;
    where = `embedded PostgreSQL in ${dataDir}`;
  }
  try {
    return { dataSource: await openDatabase({ url, entities, poolSize: 2 }), embedded, where };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

export async function main(argv: string[]): Promise<number> {
  let options: GenerateOptions | null;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`seed: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (!options) {
    console.log(USAGE);
    return 0;
  }

  const { dataSource, embedded, where } = await connect();
  try {
    console.log(`Generating "${generatedOrganizationName(options.seed)}" into the ${where}`);
    const started = Date.now();
    const progress = progressReporter(started);
    let inserted = false;
    // Seconds per phase, in the order they ran: where a slow run spent its time.
    const phases = new Map<string, number>();
    let phase = "";
    let phaseStarted = started;
    const endPhase = (now: number) => {
      if (phase) phases.set(phase, (phases.get(phase) ?? 0) + (now - phaseStarted) / 1000);
    };
    const result = await generateDataset(dataSource, options, (next, done, total) => {
      if (next !== "check") inserted = true;
      if (next !== phase) {
        const now = Date.now();
        endPhase(now);
        phase = next;
        phaseStarted = now;
      }
      progress.report(next, done, total);
    }).finally(() => progress.stop());
    endPhase(Date.now());
    const seconds = (Date.now() - started) / 1000;
    const { counts } = result;
    // A fresh ADMIN token each run: secrets are stored hashed, so earlier ones cannot be shown again.
    const token = result.adminUserId
      ? (await issueApiToken(dataSource.manager, { organizationId: result.organizationId, ownerId: result.adminUserId, label: "npm run seed", role: Role.ADMIN })).secret
      : null;
    const rows = counts.companies + counts.users + counts.sessions + counts.activities;
    const n = (x: number) => x.toLocaleString("en-US");
    console.log(
      [
        inserted ? `Generated in ${seconds.toFixed(1)} s` : `Already present with these counts; nothing to do (${seconds.toFixed(1)} s)`,
        `  organization  ${result.organizationId}  "${generatedOrganizationName(options.seed)}"`,
        `  admin user    ${result.adminUserId || "(none)"}`,
        ...(token ? [`  admin token   ${token}`] : []),
        `  companies     ${n(counts.companies)}`,
        `  users         ${n(counts.users)}`,
        `  sessions      ${n(counts.sessions)}`,
        `  activities    ${n(counts.activities)}`,
        ...(inserted ? [`  rows/s        ${n(Math.round(rows / Math.max(seconds, 0.001)))} (${n(rows)} rows, attachments not counted)`] : []),
        ...(inserted ? [`  phases (s)    ${[...phases].map(([name, s]) => `${PHASES[name] ?? name} ${s.toFixed(1)}`).join(", ")}`] : []),
      ].join("\n"),
    );
    return 0;
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`seed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
