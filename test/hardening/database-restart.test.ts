/**
 * PostgreSQL stopped and started again under a querying client, against a real embedded
 * server of this file's own: during the outage readiness is false and requests fail fast with
 * SERVICE_UNAVAILABLE (no driver text); the gateway never exits and serves again within
 * seconds of the database coming back.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { Client } from "pg";
import { freePort } from "../../src/db/embedded-postgres";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { buildWorld } from "../support/world";
import { leakIn, postJson, send } from "./hostile";

jest.setTimeout(120_000);

const QUERY = { query: "{ viewer { role } sessions(first: 5) { totalCount nodes { id } } }" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sample {
  at: number;
  ms: number;
  status: number;
  code: string | null;
  retryAfter: string | null;
  ok: boolean;
  leak: string | null;
}

/**
 * embedded-postgres is ESM-only, which jest's module runtime cannot import: a small Node
 * process runs the compiled src/db/embedded-postgres.ts and starts or stops the cluster on
 * command ("start" / "stop" lines on stdin, one "ok <url>" or "error <message>" line back).
 */
class PostgresProcess {
  private readonly child: ChildProcess;
  private buffer = "";
  private waiting: ((line: string) => void)[] = [];
  constructor(dataDir: string, port: number) {
    const script = `
      const { startEmbeddedPostgres } = require(${JSON.stringify(path.resolve("dist/db/embedded-postgres.js"))});
      let pg = null;
      const rl = require("node:readline").createInterface({ input: process.stdin });
      rl.on("line", async (cmd) => {
        try {
          if (cmd === "start") pg = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port}, persistent: true });
          if (cmd === "stop" && pg) { await pg.stop(); pg = null; }
          process.stdout.write("ok " + (pg ? pg.url : "") + "\\n");
        } catch (e) { process.stdout.write("error " + String(e).replace(/\\n/g, " ") + "\\n"); }
      });
      rl.on("close", async () => { if (pg) await pg.stop(); process.exit(0); });`;
    if (!fs.existsSync("dist/db/embedded-postgres.js")) throw new Error("dist/ is missing: npm test builds it first (npm run build)");
    this.child = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "inherit"] });
    // A helper that dies answers every pending command with an error instead of hanging.
    this.child.once("exit", (code) => {
      for (const resolve of this.waiting.splice(0)) resolve(`error helper exited with ${code}`);
    });
    this.child.stdout!.on("data", (d) => {
      this.buffer += d;
      let i: number;
      while ((i = this.buffer.indexOf("\n")) >= 0) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 1);
        this.waiting.shift()?.(line);
      }
    });
  }
  async command(cmd: "start" | "stop"): Promise<string> {
    const line = await new Promise<string>((resolve) => {
      this.waiting.push(resolve);
      this.child.stdin!.write(cmd + "\n");
    });
    if (!line.startsWith("ok")) throw new Error(`postgres ${cmd}: ${line}`);
    return line.slice(3);
  }
  async close(): Promise<void> {
    const exited = new Promise((r) => this.child.once("exit", r));
    this.child.stdin!.end();
    await exited;
  }
}

let dataDir: string;
let pg: PostgresProcess;
let gateway: TestGateway;
let token: string;
let databaseUrl: string;

beforeAll(async () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "sessiongraph-restart-"));
  fs.chmodSync(base, 0o755);
  dataDir = path.join(base, "pg");
  // Persistent: a throwaway cluster is deleted on stop, and this one must come back.
  pg = new PostgresProcess(dataDir, await freePort());
  const url = await pg.command("start");
  databaseUrl = url;
  gateway = await startTestGateway({ databaseUrl: url });
  token = (await buildWorld(gateway.dataSource, gateway.url, { sessionsPerUser: 2 })).tokens.asAdmin;
});

afterAll(async () => {
  await gateway?.close().catch(() => undefined);
  await pg?.close().catch(() => undefined);
  if (dataDir) fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
});

async function sample(started: number): Promise<Sample> {
  const t0 = Date.now();
  const answer = await postJson(gateway.url, QUERY, token);
  const code = (answer.json?.errors?.[0]?.extensions?.code as string | undefined) ?? null;
  return {
    at: t0 - started, ms: Date.now() - t0, status: answer.status, code, retryAfter: answer.headers.get("retry-after"),
    ok: answer.status === 200 && !answer.json?.errors, leak: leakIn(answer.text),
  };
}

async function ready(): Promise<boolean> {
  const res = await send(gateway.url, { path: "/readyz" });
  return res.status === 200;
}

it("fails fast while PostgreSQL is down and serves again within seconds after it returns", async () => {
  const started = Date.now();
  const samples: Sample[] = [];
  let running = true;
  // A client querying back to back through the whole outage.
  const client = (async () => {
    while (running) {
      samples.push(await sample(started));
      await sleep(50);
    }
  })();
  try {
    await outageAndRecovery(started, samples);
  } finally {
    running = false;
    await client.catch(() => undefined);
  }
  // Everything after recovery is served, and nothing ever leaked.
  for (let i = 0; i < 10; i++) expect((await sample(started)).ok).toBe(true);
  expect(samples.filter((s) => s.leak)).toEqual([]);
  expect(samples.filter((s) => s.status >= 500 && s.code !== "SERVICE_UNAVAILABLE")).toEqual([]);
  // Every request the outage failed, whenever it failed, is a 503 the client may retry.
  expect(samples.filter((s) => s.code === "SERVICE_UNAVAILABLE" && (s.status !== 503 || s.retryAfter !== "2"))).toEqual([]);
});

async function outageAndRecovery(started: number, samples: Sample[]): Promise<void> {

  await sleep(500);
  expect(samples.length).toBeGreaterThan(0);
  expect(samples.every((s) => s.ok)).toBe(true);

  // A request in flight at the fault: its statement waits on a lock when PostgreSQL stops.
  const locker = new Client({ connectionString: databaseUrl });
  await locker.connect();
  locker.on("error", () => undefined);
  const lockerPid: number = (await locker.query("SELECT pg_backend_pid() AS pid")).rows[0].pid;
  await locker.query("BEGIN");
  await locker.query("LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE");
  let inFlightDone = false;
  const inFlight = sample(started).finally(() => (inFlightDone = true));
  await sleep(300);
  expect(inFlightDone).toBe(false);

  // The lock holder's backend is paused through the stop: a fast shutdown ends every backend at
  // once, and the holder ending first would hand the lock to the request, whose one statement
  // could then finish before its own backend is ended. Paused, it holds the lock until the
  // request's backend has been ended mid-statement, which is the fault under test.
  process.kill(lockerPid, "SIGSTOP");
  let interrupted: Sample;
  let stopping: Promise<string>;
  let stoppedAt: number;
  try {
    stopping = pg.command("stop");
    stoppedAt = Date.now() - started;
    interrupted = await inFlight;
  } finally {
    process.kill(lockerPid, "SIGCONT");
  }
  await stopping;
  samples.push(interrupted);
  expect(interrupted).toMatchObject({ ok: false, leak: null, code: "SERVICE_UNAVAILABLE", status: 503, retryAfter: "2" });
  await locker.end().catch(() => undefined);
  await sleep(300);
  expect(await ready()).toBe(false);
  await sleep(2000);
  const during = samples.filter((s) => s.at > stoppedAt + 200);
  expect(during.length).toBeGreaterThan(3);
  for (const s of during) {
    expect(s).toMatchObject({ ok: false, leak: null, code: "SERVICE_UNAVAILABLE", status: 503 });
    // Fast: no request waits for the 5 s connection timeout while the server refuses connections.
    expect(s.ms).toBeLessThan(2000);
  }

  await pg.command("start");
  const backAt = Date.now() - started;
  let firstOk: number | null = null;
  while (firstOk === null && Date.now() - started - backAt < 30_000) {
    const s = await sample(started);
    samples.push(s);
    if (s.ok) firstOk = s.at + s.ms;
    else await sleep(50);
  }
  expect(firstOk).not.toBeNull();
  const recoveryMs = firstOk! - backAt;
  process.stderr.write(`database restart: outage ${backAt - stoppedAt} ms, first good answer ${recoveryMs} ms after PostgreSQL was back, ${samples.length} requests, ${samples.filter((s) => !s.ok).length} refused\n`);
  expect(recoveryMs).toBeLessThan(5000);
  expect(await ready()).toBe(true);
}
