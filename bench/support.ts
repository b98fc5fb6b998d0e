/** Shared bench plumbing: the database (embedded unless DATABASE_URL), the data set, a gateway process. */
import "reflect-metadata";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DataSource } from "typeorm";
import { loadConfig } from "../src/config/config";
import { openDatabase } from "../src/db/data-source";
import { entities } from "../src/entities";
import { freePort, startEmbeddedPostgres, type EmbeddedPostgres } from "../src/db/embedded-postgres";
import { generateDataset, type GenerateOptions } from "../src/seed/generate";
import { issueApiToken } from "../src/api-tokens";
import { Role } from "../src/access";

export const FULL_SIZE: GenerateOptions = { companies: 100, users: 20_000, sessions: 400_000, activities: 4_000_000, seed: 1 };

export interface BenchDatabase {
  url: string;
  dataSource: DataSource;
  close(): Promise<void>;
}

/** The configured database, or the embedded one under DATA_DIR (joining it if a gateway runs it). */
export async function openBenchDatabase(): Promise<BenchDatabase> {
  const config = loadConfig();
  let embedded: EmbeddedPostgres | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, "postgres"), port: config.embeddedPostgresPort });
    url = embedded.url;
  }
  const dataSource = await openDatabase({ url, entities });
  return {
    url,
    dataSource,
    async close() {
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}

/** The generated organization at `size` (created by the project's own generator when missing) and an ADMIN token for it. */
export async function benchData(db: BenchDatabase, size = FULL_SIZE): Promise<{ organizationId: string; adminToken: string }> {
  const started = Date.now();
  const result = await generateDataset(db.dataSource, size, (phase, done, total) => {
    if (done === total) process.stderr.write(`  seed: ${phase} ${total}\n`);
  });
  if (Date.now() - started > 5_000) process.stderr.write(`  seed took ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  const { secret } = await issueApiToken(db.dataSource.manager, {
    organizationId: result.organizationId, ownerId: result.adminUserId, label: "bench", role: Role.ADMIN,
    expiresAt: new Date(Date.now() + 3_600_000),
  });
  return { organizationId: result.organizationId, adminToken: secret };
}

export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  /** SQL statements the process has sent so far (bench/count-statements.ts; only with `countStatements`). */
  statements(): Promise<number>;
  /** Resident set size now, from /proc, in bytes. */
  rss(): number;
  stop(): Promise<void>;
}

export interface GatewayProcessOptions {
  /** node's own flags (e.g. `--cpu-prof`, which NODE_OPTIONS does not accept). */
  execArgv?: string[];
  /** Load bench/count-statements.ts into the gateway (needs dist-bench built). */
  countStatements?: boolean;
  /** The node executable; default: the one running the bench. */
  node?: string;
  /** The gateway's entry point; default dist/main.js (another build inside this checkout, for A/B). */
  main?: string;
}

/** `node dist/main.js` on the bench database, loopback only, with its own data dir. */
export async function startGatewayProcess(databaseUrl: string, env: Record<string, string> = {}, options: GatewayProcessOptions = {}): Promise<GatewayProcess> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sessiongraph-bench-"));
  const preload = options.countStatements ? ["-r", path.resolve("dist-bench/bench/count-statements.js")] : [];
  const child = spawn(options.node ?? process.execPath, [...(options.execArgv ?? []), ...preload, path.resolve(options.main ?? "dist/main.js")], {
    env: {
      // As deployed (docker/Dockerfile), and as PostGraphile runs in bench:graphql.
      ...process.env, NODE_ENV: "production", DATABASE_URL: databaseUrl, DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", SEED_DEMO: "false", LOG_LEVEL: "warn",
      // Its own export queue: jobs a stopped bench gateway left behind never delay this one.
      EXPORT_QUEUE: `bench-${path.basename(dataDir).slice(-8)}`,
      ...env,
    },
    stdio: ["ignore", "ignore", "inherit", ...(options.countStatements ? ["ipc" as const] : [])],
  });
  const url = `http://127.0.0.1:${port}`;
  for (const began = Date.now(); ; ) {
    if (child.exitCode !== null) throw new Error("gateway exited during start");
    if (Date.now() - began > 60_000) throw new Error("gateway did not start within 60 s");
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    statements: () => statementCount(child),
    rss() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
    },
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Asks a process running bench/count-statements.ts how many statements it has sent. */
export function statementCount(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    if (!child.send) return reject(new Error("the process was started without an IPC channel"));
    const onMessage = (message: { statements?: number }) => {
      if (typeof message.statements !== "number") return;
      child.off("message", onMessage);
      resolve(message.statements);
    };
    child.on("message", onMessage);
    child.send("statements");
  });
}

export async function graphql<T>(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** The middle value (the mean of the two middle ones for an even count). */
export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The machine's 1-minute load average, as /proc/loadavg prints it. */
export const loadAverage = () => fs.readFileSync("/proc/loadavg", "utf8").split(" ")[0];

/** CPU time (user + system, ms) each of `pids` has used so far, from /proc; a process gone counts 0. */
export function cpuMs(pids: number[]): Map<number, number> {
  // /proc/<pid>/stat counts in clock ticks, 100 per second on Linux.
  const TICK_MS = 10;
  const used = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      // Fields after the command name, which is in parentheses and may hold spaces.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      used.set(pid, (Number(fields[11]) + Number(fields[12])) * TICK_MS);
    } catch {
      used.set(pid, 0);
    }
  }
  return used;
}

/** `pid` and every process below it (a cluster's workers). */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Exited while listed.
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(parents.get(tree[i]) ?? []));
  return tree;
}
