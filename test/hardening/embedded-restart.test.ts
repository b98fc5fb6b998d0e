/**
 * The embedded PostgreSQL, supervised: `npm start`'s gateway (the compiled process, no
 * DATABASE_URL) under a querying client while its postmaster is SIGKILLed, five times. Each
 * time the gateway starts the server again and serves within 5 s; meanwhile every request
 * answers either its data or 503 SERVICE_UNAVAILABLE with Retry-After. A gateway killed hard
 * leaves its server running: the next gateway takes it over and stops it on its own clean stop.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../src/db/embedded-postgres";
import { leakIn, postJson, send } from "./hostile";

const MAIN = path.resolve("dist/main.js");
const QUERY = { query: "{ viewer { role } sessions(first: 5) { nodes { id } } }" };
const KILLS = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
jest.setTimeout(120_000);

interface Gateway {
  child: ChildProcess;
  url: string;
  output: () => string;
}

async function startGateway(dataDir: string, pgPort: number): Promise<Gateway> {
  if (!fs.existsSync(MAIN)) throw new Error("dist/main.js is missing: `npm test` builds it first (npm run build)");
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), HOST: "127.0.0.1", LOG_LEVEL: "warn" };
  delete env.DATABASE_URL;
  delete env.NODE_ENV;
  const child = spawn(process.execPath, [MAIN], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const began = Date.now();
  while (!(await ready(url))) {
    if (child.exitCode !== null) throw new Error(`gateway exited early:\n${output}`);
    if (Date.now() - began > 60_000) throw new Error(`gateway not ready within 60 s:\n${output}`);
    await sleep(100);
  }
  return { child, url, output: () => output };
}

async function ready(url: string): Promise<boolean> {
  return await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false);
}

function postmasterPid(dataDir: string): number {
  return Number.parseInt(fs.readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0], 10);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portRefused(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

async function stop(gateway: Gateway, signal: NodeJS.Signals): Promise<number | null> {
  if (gateway.child.exitCode !== null || gateway.child.signalCode !== null) return gateway.child.exitCode;
  const exited = new Promise<number | null>((resolve) => gateway.child.once("exit", (code) => resolve(code)));
  gateway.child.kill(signal);
  return await exited;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sessiongraph-supervised-"));
fs.chmodSync(dataDir, 0o755);
const started: Gateway[] = [];
afterAll(async () => {
  for (const gateway of started) await stop(gateway, "SIGKILL");
  // Whatever a failed run left: the postmaster of this data directory.
  try {
    process.kill(postmasterPid(dataDir), "SIGKILL");
  } catch {
    // none left
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it(`starts its embedded PostgreSQL again within 5 s of each of ${KILLS} SIGKILLs, answering 503 meanwhile`, async () => {
  const pgPort = await freePort();
  const gateway = await startGateway(dataDir, pgPort);
  started.push(gateway);
  const token = JSON.parse(fs.readFileSync(path.join(dataDir, "demo-tokens.json"), "utf8")).ADMIN as string;
  const answers: { status: number; code: unknown; retryAfter: string | null; leak: string | null }[] = [];
  let running = true;
  const client = (async () => {
    while (running) {
      const answer = await postJson(gateway.url, QUERY, token);
      answers.push({ status: answer.status, code: answer.json?.errors?.[0]?.extensions?.code, retryAfter: answer.headers.get("retry-after"), leak: leakIn(answer.text) });
      await sleep(20);
    }
  })();
  const recoveries: number[] = [];
  try {
    for (let kill = 0; kill < KILLS; kill++) {
      const pid = postmasterPid(dataDir);
      process.kill(pid, "SIGKILL");
      const killedAt = Date.now();
      while (alive(pid)) await sleep(10);
      while (!(await ready(gateway.url))) {
        if (Date.now() - killedAt > 20_000) throw new Error(`not ready 20 s after kill ${kill + 1}:\n${gateway.output()}`);
        await sleep(50);
      }
      recoveries.push(Date.now() - killedAt);
      expect(postmasterPid(dataDir)).not.toBe(pid);
      const answer = await postJson(gateway.url, QUERY, token);
      expect(answer.json?.errors).toBeUndefined();
      await sleep(300);
    }
  } finally {
    running = false;
    await client;
  }
  process.stderr.write(`embedded PostgreSQL SIGKILLed ${KILLS} times: /readyz 200 again after ${recoveries.map((ms) => (ms / 1000).toFixed(2)).join(", ")} s; ${answers.length} requests, ${answers.filter((a) => a.status === 503).length} answered 503\n`);
  for (const ms of recoveries) expect(ms).toBeLessThan(5000);
  expect(answers.filter((a) => a.leak)).toEqual([]);
  expect(answers.filter((a) => !(a.status === 200 && a.code === undefined) && !(a.status === 503 && a.code === "SERVICE_UNAVAILABLE" && a.retryAfter === "2"))).toEqual([]);
  expect(gateway.output()).toContain("embedded PostgreSQL is back");
  expect(gateway.output()).not.toMatch(/\n\s+at /);

  expect(await stop(gateway, "SIGTERM")).toBe(0);
  expect(await portRefused(pgPort)).toBe(true);
});

it("takes over the server a gateway killed hard left running, and stops it on its own clean stop", async () => {
  const pgPort = await freePort();
  const first = await startGateway(dataDir, pgPort);
  started.push(first);
  const pid = postmasterPid(dataDir);
  await stop(first, "SIGKILL");
  // The crashed gateway's server keeps running.
  expect(alive(pid)).toBe(true);
  expect(await portRefused(pgPort)).toBe(false);

  const second = await startGateway(dataDir, pgPort);
  started.push(second);
  expect(postmasterPid(dataDir)).toBe(pid);
  const token = JSON.parse(fs.readFileSync(path.join(dataDir, "demo-tokens.json"), "utf8")).ADMIN as string;
  expect((await postJson(second.url, QUERY, token)).json?.errors).toBeUndefined();
  expect(second.output()).toContain("took over an embedded PostgreSQL");

  expect(await stop(second, "SIGTERM")).toBe(0);
  expect(alive(pid)).toBe(false);
  expect(await portRefused(pgPort)).toBe(true);
  expect((await send(second.url, { path: "/healthz" }).catch(() => null))).toBeNull();
});
