/**
 * The README's `npm start` contract, on the compiled gateway as a real process with no
 * DATABASE_URL: embedded PostgreSQL, migrations, demo seed, one token per role in
 * demo-tokens.json, a clean exit on SIGTERM, and a second start that reuses the data.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort } from "../src/db/embedded-postgres";
import { GraphQLClient } from "./support/client";
import { ViewerDocument } from "./generated/graphql";
import { TRICKY_LABELS } from "../src/seed/demo";

const MAIN = path.resolve("dist/main.js");
jest.setTimeout(90_000);

interface Started {
  child: ChildProcess;
  output: () => string;
  url: string;
  readyMs: number;
}

async function start(dataDir: string, port: number, pgPort: number, extraEnv: NodeJS.ProcessEnv = {}): Promise<Started> {
  if (!fs.existsSync(MAIN)) throw new Error("dist/main.js is missing: `npm test` builds it first (npm run build)");
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), HOST: "127.0.0.1", ...extraEnv };
  delete env.DATABASE_URL;
  // As `npm start` runs it: jest's NODE_ENV=test changes library defaults (Apollo's signal handlers).
  delete env.NODE_ENV;
  const began = Date.now();
  const child = spawn(process.execPath, [MAIN], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited early:\n${output}`);
    if (Date.now() - began > 60_000) throw new Error(`gateway did not answer within 60 s:\n${output}`);
    const answered = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"{ __typename }"}' }).then((r) => r.ok, () => false);
    if (answered) return { child, output: () => output, url, readyMs: Date.now() - began };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** True when nothing listens on `port` (a stopped server released it). */
function portRefused(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => { socket.destroy(); resolve(false); });
    socket.once("error", () => resolve(true));
  });
}

async function stop(started: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => started.child.once("exit", (code) => resolve(code)));
  started.child.kill("SIGTERM");
  return await exited;
}

describe("npm start on the embedded default", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sessiongraph-start-"));
  fs.chmodSync(dataDir, 0o755);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("seeds the demo, prints and writes a token per role, stops cleanly, and reuses the data", async () => {
    const [port, pgPort] = [await freePort(), await freePort()];
    const first = await start(dataDir, port, pgPort);
    let tokens: Record<string, string>;
    try {
      tokens = JSON.parse(fs.readFileSync(path.join(dataDir, "demo-tokens.json"), "utf8"));
      expect(Object.keys(tokens).sort()).toEqual(["ADMIN", "DEVELOPER", "MEMBER", "OTHER_ORG_ADMIN"]);
      for (const token of Object.values(tokens)) expect(first.output()).toContain(token);
      expect(first.output()).toContain(`${first.url}/graphql`);

      const roles: Record<string, { role: string; org: string }> = {};
      for (const [name, token] of Object.entries(tokens)) {
        const { viewer } = await new GraphQLClient(first.url, token).data(ViewerDocument);
        roles[name] = { role: viewer.role, org: viewer.organization.name };
      }
      expect(roles).toEqual({
        ADMIN: { role: "ADMIN", org: "Acme Demo" },
        DEVELOPER: { role: "DEVELOPER", org: "Acme Demo" },
        MEMBER: { role: "MEMBER", org: "Acme Demo" },
        OTHER_ORG_ADMIN: { role: "ADMIN", org: "Other Org" },
      });

      // The demo data covers every status and the labels exports must survive.
      const admin = new GraphQLClient(first.url, tokens.ADMIN);
      const statuses = new Set<string>();
      const sessions = await admin.raw<{ sessions: { nodes: { status: string }[] } }>({ query: "{ sessions(first: 500, filter: { includeRemoved: true }) { nodes { status } } }" });
      sessions.body.data!.sessions.nodes.forEach((s) => statuses.add(s.status));
      expect(statuses.size).toBe(12);
      const labels = await admin.raw<{ activities: { nodes: { label: string | null }[] } }>({ query: "{ activities(first: 500) { nodes { label } } }" });
      const seen = new Set(labels.body.data!.activities.nodes.map((a) => a.label));
      for (const label of TRICKY_LABELS) expect(seen).toContain(label);

      // Dated relative to the first start: the README's profile example (default period, the
      // last 30 days) shows figures, and the seeded content events made content progress.
      const member = new GraphQLClient(first.url, tokens.MEMBER);
      const profile = await member.raw<{ viewer: { user: { profile: { totalEvents: number; sessionCount: number }; contentProgress: { contentId: string; completedAt: string | null }[] } } }>({
        query: "{ viewer { user { profile { totalEvents sessionCount } contentProgress { contentId completedAt } } } }",
      });
      expect(profile.body.errors).toBeUndefined();
      const me = profile.body.data!.viewer.user;
      expect(me.profile.totalEvents).toBeGreaterThan(0);
      expect(me.profile.sessionCount).toBeGreaterThan(0);
      expect(me.contentProgress.length).toBeGreaterThan(0);
      expect(me.contentProgress.some((p) => p.completedAt !== null)).toBe(true);

      // Search finds what the row shows as who ran it.
      const ci = await admin.raw<{ sessions: { nodes: { runner: { kind: string; label: string } }[] } }>({ query: '{ sessions(filter: { search: "ci pipeline" }) { nodes { runner { kind label } } } }' });
      expect(ci.body.data!.sessions.nodes.length).toBeGreaterThan(0);
      for (const row of ci.body.data!.sessions.nodes) expect(row.runner).toEqual({ kind: "API_TOKEN", label: "CI pipeline" });

      // The demo member's UPLOADED session is a Live Conversation, which they may cancel.
      const uploaded = await member.raw<{ sessions: { nodes: { id: string; testType: string | null }[] } }>({ query: "{ sessions(filter: { statuses: [UPLOADED] }) { nodes { id testType } } }" });
      expect(uploaded.body.data!.sessions.nodes).toEqual([{ id: expect.any(String), testType: "Live Conversation" }]);
      const canceled = await member.raw<{ cancelSession: { status: string } }>({ query: `mutation { cancelSession(id: "${uploaded.body.data!.sessions.nodes[0].id}") { status } }` });
      expect(canceled.body.data!.cancelSession.status).toBe("CANCELED");
    } finally {
      expect(await stop(first)).toBe(0);
    }
    // The embedded server went down with the gateway: its port is free again.
    expect(await portRefused(pgPort)).toBe(true);

    const second = await start(dataDir, port, pgPort);
    try {
      expect(second.output()).not.toContain(tokens.ADMIN);
      const { viewer } = await new GraphQLClient(second.url, tokens.ADMIN).data(ViewerDocument);
      expect(viewer.role).toBe("ADMIN");
      const count = await gateway2Count(second.url, tokens.ADMIN);
      expect(count).toBeGreaterThan(0);
      console.log(`npm start: first answer after ${first.readyMs} ms on a new data dir, ${second.readyMs} ms on a second start`);
    } finally {
      expect(await stop(second)).toBe(0);
    }
  });
});

/** Live node processes whose parent is `pid` (a cluster's workers). */
const nodeExecutable = fs.realpathSync(process.execPath);

function childProcesses(pid: number): number[] {
  return fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number).filter((p) => {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, "utf8");
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // The same executable as ours (not the comm name: Node 24 names its main thread "MainThread").
      return Number(ppid) === pid && state !== "Z" && fs.readlinkSync(`/proc/${p}/exe`) === nodeExecutable;
    } catch {
      return false;
    }
  });
}

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

describe("WORKERS=2 (node cluster)", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sessiongraph-cluster-"));
  fs.chmodSync(dataDir, 0o755);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("serves from two workers on one port, replaces a worker that dies, and stops everything on SIGTERM", async () => {
    const [port, pgPort] = [await freePort(), await freePort()];
    const started = await start(dataDir, port, pgPort, { WORKERS: "2", WORKER_STOP_SECONDS: "3" });
    let workers: number[] = [];
    try {
      // The first worker may answer before the second is up; the banner waits for both.
      for (const began = Date.now(); !started.output().includes("is ready"); ) {
        if (Date.now() - began > 30_000) throw new Error(`no banner:\n${started.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(started.output()).toContain("(2 workers)");
      workers = childProcesses(started.child.pid!);
      expect(workers).toHaveLength(2);
      const tokens = JSON.parse(fs.readFileSync(path.join(dataDir, "demo-tokens.json"), "utf8"));
      const counts = await Promise.all(Array.from({ length: 20 }, () => gateway2Count(started.url, tokens.ADMIN)));
      expect(new Set(counts).size).toBe(1);
      expect(counts[0]).toBeGreaterThan(0);

      // A worker killed outright is replaced; the other keeps answering meanwhile. A request on a
      // connection the dead worker held fails, as with any crashed server, and is retried.
      process.kill(workers[0], "SIGKILL");
      // Each try is bounded and on a new connection, as a client retrying after an error would:
      // a pooled keep-alive connection the killed worker held may never answer.
      const viewerRole = async () => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await viewerRoleOnNewConnection(started.url, tokens.ADMIN);
          } catch (error) {
            if (attempt === 3) throw error;
          }
        }
      };
      for (const began = Date.now(); childProcesses(started.child.pid!).filter((p) => p !== workers[0]).length < 2; ) {
        if (Date.now() - began > 30_000) throw new Error(`no replacement worker:\n${started.output()}`);
        expect(await viewerRole()).toBe("ADMIN");
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(started.output()).toContain("worker exited; starting another");
      workers = childProcesses(started.child.pid!);
      expect(await gateway2Count(started.url, tokens.ADMIN)).toBe(counts[0]);
      // A worker that cannot stop (here: frozen with SIGSTOP) is killed after WORKER_STOP_SECONDS,
      // so SIGTERM still brings everything down; the other worker stops on its own.
      process.kill(workers[1], "SIGSTOP");
    } finally {
      const began = Date.now();
      expect(await stop(started)).toBe(0);
      expect(Date.now() - began).toBeLessThan(20_000);
    }
    expect(started.output()).toContain("worker did not stop in time; killing it");
    for (const pid of workers) expect(alive(pid)).toBe(false);
    expect(await portRefused(pgPort)).toBe(true);
  });
});

/** `viewer.role` asked on a connection of its own (no keep-alive pool), failing after 5 s. */
function viewerRoleOnNewConnection(url: string, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/graphql`, { method: "POST", agent: false, timeout: 5_000, headers: { "content-type": "application/json", authorization: `Bearer ${token}` } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => {
        try {
          resolve(JSON.parse(body).data.viewer.role);
        } catch (error) {
          reject(error);
        }
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("no answer in 5 s")));
    req.on("error", reject);
    req.end(JSON.stringify({ query: "{ viewer { role } }" }));
  });
}

async function gateway2Count(url: string, token: string): Promise<number> {
  const { body } = await new GraphQLClient(url, token).raw<{ sessions: { totalCount: number } }>({ query: "{ sessions { totalCount } }" });
  return body.data!.sessions.totalCount;
}
