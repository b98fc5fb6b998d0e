/**
 * The typed client example (examples/export-sessions.ts) against a started gateway, as a user
 * runs it: with an admin token it learns of completion from a verified webhook; with a member
 * token it polls; the same idempotency key answers the same export; the file on disk is the
 * export's (SHA-256 recomputed here, rows read back by an independent CSV parser); and the
 * compiled CLI, configured by GATEWAY_URL and TOKEN, does the same in a child process.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash, randomUUID } from "node:crypto";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { parse } from "csv-parse/sync";
import { runExport, type ExportRunResult } from "../../examples/export-sessions";
import { ExportByIdDocument, WebhookEndpointsDocument } from "../generated/graphql";
import { Client } from "pg";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { buildWorld, type World } from "../support/world";

jest.setTimeout(120_000);
const run = promisify(execFile);

// Webhook delivery needs a database of its own: any gateway that delivers takes every owed
// message of its database (test/support/gateway.ts), and the other test files share one. This
// file creates a fresh database on the test cluster (migrated by the gateway's start), so its
// gateway delivers only this file's messages and no other file's.
const t = {} as { gateway: TestGateway; world: World };
let admin: Client;
const database = `sessiongraph_examples_${randomUUID().slice(0, 8)}`;
beforeAll(async () => {
  admin = new Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${database}`;
  // EXPORT_WAIT_MS=0: the mutation answers QUEUED, so the automation really waits.
  t.gateway = await startTestGateway({ databaseUrl: url.toString(), webhookConcurrency: 2, webhookAllowPrivateNetworks: true, exportWaitMs: 0 });
  t.world = await buildWorld(t.gateway.dataSource, t.gateway.url, { sessionsPerUser: 2, activitiesPerSession: 0 });
});
afterAll(async () => {
  await t.gateway?.close();
  await admin?.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin?.end();
});
let outDir: string;
beforeAll(() => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), "sessiongraph-example-"));
});
afterAll(() => {
  fs.rmSync(outDir, { recursive: true, force: true });
});

const endpoint = () => `${t.gateway.url}/graphql`;

/** What a user checks: the file hashes to the export's sha256 and holds its rows. */
async function expectVerifiedFile(result: ExportRunResult) {
  const { export: exported } = await t.world.clients.asAdmin.data(ExportByIdDocument, { id: result.exportId });
  expect(exported).toMatchObject({ status: "COMPLETED", idempotencyKey: result.idempotencyKey });
  const bytes = fs.readFileSync(result.file);
  expect(createHash("sha256").update(bytes).digest("hex")).toBe(exported!.sha256);
  expect(result).toMatchObject({ sha256: exported!.sha256, bytes: exported!.bytes, rowCount: exported!.rowCount });
  const records = parse(bytes.toString("utf8")) as string[][];
  expect(records.length - 1).toBe(exported!.rowCount);
  return { exported: exported!, records };
}

it("with an admin token: waits for the verified webhook, downloads, verifies the SHA-256, removes its endpoint", async () => {
  // The mutation reads the export once after queueing it (EXPORT_WAIT_MS=0): now and then the
  // job is already done by then, and the automation rightly does not wait. Ask again until it waits.
  let lines: string[] = [];
  let result: ExportRunResult | null = null;
  for (let attempt = 0; attempt < 5 && result?.via !== "webhook"; attempt++) {
    lines = [];
    result = await runExport({ gatewayUrl: endpoint(), token: t.world.tokens.asAdmin, outDir, log: (line) => lines.push(line) });
    expect(["webhook", "already finished"]).toContain(result.via);
  }
  if (!result) throw new Error("no run");
  expect(result.via).toBe("webhook");
  expect(lines.some((line) => /^webhook .+ verified$/.test(line))).toBe(true);
  const { records } = await expectVerifiedFile(result);
  // Admin scope: every session of the organization (four users, two each).
  expect(records.length - 1).toBe(8);
  // Every run removed the endpoint it registered.
  const { webhookEndpoints } = await t.world.clients.asAdmin.data(WebhookEndpointsDocument, { first: 10 });
  expect(webhookEndpoints!.totalCount).toBe(0);
});

it("the same idempotency key answers the same export: a second run downloads it again without a new one", async () => {
  const idempotencyKey = `nightly-${randomUUID()}`;
  const first = await runExport({ gatewayUrl: endpoint(), token: t.world.tokens.asAdmin, outDir, idempotencyKey, wait: "poll" });
  const again = await runExport({ gatewayUrl: endpoint(), token: t.world.tokens.asAdmin, outDir, idempotencyKey, wait: "poll" });
  expect(again.exportId).toBe(first.exportId);
  expect(again.via).toBe("already finished");
  expect(again.sha256).toBe(first.sha256);
  await expectVerifiedFile(again);
});

it("with a member token: polls (webhooks are for admins), and the file holds only the member's sessions", async () => {
  const lines: string[] = [];
  const result = await runExport({ gatewayUrl: endpoint(), token: t.world.tokens.asMember, outDir, log: (line) => lines.push(line) });
  expect(["poll", "already finished"]).toContain(result.via);
  expect(lines[0]).toMatch(/polling .*MEMBER/);
  const { records } = await expectVerifiedFile(result);
  expect(records.length - 1).toBe(2);
});

it("the compiled CLI, configured by GATEWAY_URL and TOKEN, prints the verified result; without TOKEN it says what is missing", async () => {
  await run(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.examples.json"]);
  const cli = path.resolve("dist-examples/examples/export-sessions.js");
  const env = { PATH: process.env.PATH ?? "", GATEWAY_URL: endpoint(), TOKEN: t.world.tokens.asDeveloper, OUT_DIR: outDir, IDEMPOTENCY_KEY: `cli-${randomUUID()}` };
  const { stdout } = await run(process.execPath, [cli], { env });
  const result = JSON.parse(stdout) as ExportRunResult;
  expect(result.idempotencyKey).toBe(env.IDEMPOTENCY_KEY);
  expect(["poll", "already finished"]).toContain(result.via);
  await expectVerifiedFile(result);

  const missing = await run(process.execPath, [cli], { env: { PATH: env.PATH } }).then(() => null, (error: { code: number; stderr: string }) => error);
  expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining("TOKEN is required") });
});
