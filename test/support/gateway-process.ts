/**
 * The compiled gateway (dist/main.js; `npm test` builds it first) as a child process of its own
 * on the test database: what a second instance, or a cluster of workers, really is. Loopback
 * only; `stop()` sends SIGTERM to this child's pid and waits for it to exit.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../src/db/embedded-postgres";

const MAIN = path.resolve("dist/main.js");

export interface GatewayProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  /** SIGTERM to this child, then its exit code (killed with SIGKILL after 20 s). */
  stop(): Promise<number | null>;
}

export async function startGatewayProcess(env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): Promise<GatewayProcess> {
  if (!fs.existsSync(MAIN)) throw new Error("dist/main.js is missing: `npm test` builds it first (npm run build)");
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sessiongraph-child-"));
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL,
    DATA_DIR: dataDir,
    HOST: "127.0.0.1",
    PORT: String(port),
    SEED_DEMO: "false",
    EXPORT_QUEUE: `child-${randomUUID().slice(0, 8)}`,
    LOG_LEVEL: "warn",
    ...env,
  };
  delete childEnv.NODE_ENV;
  const child = spawn(process.execPath, [...nodeArgs, MAIN], { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const began = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited early:\n${output}`);
    if (Date.now() - began > 60_000) {
      child.kill("SIGKILL");
      throw new Error(`gateway did not answer within 60 s:\n${output}`);
    }
    // The banner comes once every worker is up (WORKERS > 1: the first answers before the last has started).
    if (/sessiongraph is ready/.test(output) && (await fetch(`${url}/healthz`).then((r) => r.ok, () => false))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      const code = await exited;
      clearTimeout(timer);
      fs.rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
