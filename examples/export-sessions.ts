/**
 * An automation that exports sessions to a CSV file it can trust:
 *
 * 1. asks for a sessions export with an idempotency key, retrying the mutation with the same
 *    key when the network fails (a retry answers the same export, never a second one);
 * 2. waits for the export: with an admin token it registers a webhook endpoint on its own
 *    receiver for this run, and takes the `export.completed` / `export.failed` delivery whose
 *    Standard Webhooks signature verifies (the `standardwebhooks` package); otherwise, or when
 *    no delivery arrives in time, it polls `export(id)`;
 * 3. downloads the CSV from the signed URL and checks its SHA-256 against the export's `sha256`;
 *    a file that does not match is deleted and the run fails.
 *
 * Run it against a gateway (`npm start` prints the demo tokens):
 *   GATEWAY_URL=http://127.0.0.1:4000/graphql TOKEN=sg_… npm run example:export
 * Environment: GATEWAY_URL (default http://127.0.0.1:4000/graphql), TOKEN (required), OUT_DIR
 * (default .), IDEMPOTENCY_KEY (default: a new UUID), WAIT (`webhook`, the default, or `poll`),
 * WEBHOOK_PORT (the receiver's port on WEBHOOK_HOST, default 127.0.0.1; default: any free port),
 * WEBHOOK_PUBLIC_URL (the receiver's URL as the gateway reaches it; default http://host:port/).
 * A gateway refuses loopback and private webhook targets unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true;
 * the automation then polls.
 *
 * Its documents are examples/operations/*.graphql, typed by codegen into examples/generated/ and
 * sent by hash (persisted-client.ts), so it also runs where TRUSTED_DOCUMENTS=enforce.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { createHash, randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { ClientError } from "graphql-request";
import { Webhook } from "standardwebhooks";
import {
  ExportStateDocument,
  RegisterExportWebhookDocument,
  RemoveExportWebhookDocument,
  RequestSessionsExportDocument,
  WhoAmIDocument,
  type ExportStateFragment,
  type SessionColumn,
} from "./generated/graphql";
import { PersistedClient, errorCode } from "./persisted-client";

export interface ExportRunOptions {
  /** The gateway's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  gatewayUrl: string;
  /** An API token or JWT. */
  token: string;
  /** Where the CSV file is written (created if missing). */
  outDir: string;
  /** Sent with the export request; the same key (and arguments) answers the same export. Default: a new UUID. */
  idempotencyKey?: string;
  /** `webhook` (default): wait for a delivery when the token may register endpoints, else poll. */
  wait?: "webhook" | "poll";
  /** Columns of the export (default: the gateway's default columns). */
  columns?: SessionColumn[];
  /** The receiver's listening address (default 127.0.0.1, any free port). */
  webhookHost?: string;
  webhookPort?: number;
  /** The receiver as the gateway reaches it (default http://host:port/). */
  webhookPublicUrl?: string;
  /** How long to wait for a delivery before polling instead (default 60 s). */
  webhookTimeoutMs?: number;
  /** How long to wait for the export to finish in all (default 10 min). */
  timeoutMs?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface ExportRunResult {
  exportId: string;
  idempotencyKey: string;
  /** How the automation learnt that the export had finished. */
  via: "webhook" | "poll" | "already finished";
  /** The downloaded file, its SHA-256 (verified against the export's) and size. */
  file: string;
  sha256: string;
  bytes: number;
  rowCount: number;
}

const FINISHED = new Set(["COMPLETED", "FAILED", "CANCELED", "EXPIRED"]);

export async function runExport(options: ExportRunOptions): Promise<ExportRunResult> {
  const log = options.log ?? (() => undefined);
  const client = new PersistedClient(options.gatewayUrl, options.token);
  const idempotencyKey = options.idempotencyKey ?? randomUUID();
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);

  // Register before asking for the export, so the delivery cannot come before the endpoint.
  const { viewer } = await client.request(WhoAmIDocument, {});
  const webhook = options.wait !== "poll" && viewer.role === "ADMIN" ? await listen(client, options, log) : null;
  if (options.wait !== "poll" && !webhook) log(`waiting by polling (webhooks need an admin token and a reachable receiver; this token is ${viewer.role})`);
  try {
    const requested = await withRetries(() => client.request(RequestSessionsExportDocument, { columns: options.columns, idempotencyKey }), log);
    log(`export ${requested.exportSessions.id} ${requested.exportSessions.status} (idempotency key ${idempotencyKey})`);
    let via: ExportRunResult["via"] = "already finished";
    let done = requested.exportSessions;
    if (!FINISHED.has(done.status)) {
      const delivered = webhook ? await webhook.finished(done.id, Math.min(options.webhookTimeoutMs ?? 60_000, deadline - Date.now())) : false;
      if (delivered) log(`webhook ${delivered} verified`);
      else if (webhook) log("no delivery in time: polling");
      via = delivered ? "webhook" : "poll";
      done = await poll(client, done.id, deadline);
    }
    if (done.status !== "COMPLETED" || !done.url || !done.sha256) throw new Error(`export ${done.id} ended ${done.status}: ${done.error ?? "no file"}`);
    const file = path.join(options.outDir, done.fileName);
    const { sha256, bytes } = await download(done.url, file);
    if (sha256 !== done.sha256) {
      fs.rmSync(file, { force: true });
      throw new Error(`export ${done.id}: the downloaded file's SHA-256 is ${sha256}, the export says ${done.sha256}; file deleted`);
    }
    log(`${file}: ${bytes} bytes, ${done.rowCount} rows, SHA-256 verified`);
    return { exportId: done.id, idempotencyKey, via, file, sha256, bytes, rowCount: done.rowCount ?? 0 };
  } finally {
    await webhook?.close();
  }
}

/** Network failures and 503s are retried with the same idempotency key; answers with errors are not. */
async function withRetries<T>(work: () => Promise<T>, log: (line: string) => void, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const transient = !(error instanceof ClientError) || error.response.status === 503;
      if (!transient || attempt >= attempts) throw error;
      log(`attempt ${attempt} failed (${error instanceof Error ? error.message.split("\n")[0] : String(error)}); retrying with the same idempotency key`);
      await sleep(250 * 2 ** attempt);
    }
  }
}

async function poll(client: PersistedClient, id: string, deadline: number): Promise<ExportStateFragment> {
  for (let delay = 200; ; delay = Math.min(delay * 2, 5000)) {
    const { export: state } = await client.request(ExportStateDocument, { id });
    if (!state) throw new Error(`export ${id} is not visible to this token`);
    if (FINISHED.has(state.status)) return state;
    if (Date.now() > deadline) throw new Error(`export ${id} still ${state.status} at the deadline`);
    await sleep(delay);
  }
}

/** Streams the signed URL to `file`, hashing on the way; the hash is node:crypto's SHA-256. */
async function download(url: string, file: string): Promise<{ sha256: string; bytes: number }> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`download answered ${response.status}: ${await response.text()}`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const hash = createHash("sha256");
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), tap, fs.createWriteStream(file));
  return { sha256: hash.digest("hex"), bytes };
}

interface WebhookWait {
  /** Resolves with the delivery's webhook-id once a verified delivery about `exportId` arrives; false after `timeoutMs`. */
  finished(exportId: string, timeoutMs: number): Promise<string | false>;
  close(): Promise<void>;
}

/**
 * A receiver for this run and its endpoint. Deliveries whose signature does not verify answer
 * 400 and are ignored; verified ones answer 204. Null when the gateway refuses the endpoint.
 */
async function listen(client: PersistedClient, options: ExportRunOptions, log: (line: string) => void): Promise<WebhookWait | null> {
  const seen = new Map<string, string>(); // exportId → webhook-id
  const waiters = new Set<() => void>();
  let verifier: Webhook | null = null;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      try {
        if (!verifier) throw new Error("not registered yet");
        const event = verifier.verify(Buffer.concat(chunks).toString("utf8"), req.headers as Record<string, string>) as { type: string; data: { exportId: string } };
        seen.set(event.data.exportId, String(req.headers["webhook-id"]));
        res.writeHead(204).end();
        for (const wake of waiters) wake();
      } catch (error) {
        log(`delivery refused: ${error instanceof Error ? error.message : String(error)}`);
        res.writeHead(400, { "content-type": "text/plain" }).end("signature not verified");
      }
    });
  });
  const host = options.webhookHost ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(options.webhookPort ?? 0, host, resolve));
  const closeServer = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  const { port } = server.address() as AddressInfo;
  const url = options.webhookPublicUrl ?? `http://${host}:${port}/`;
  let endpointId: string;
  try {
    const { createWebhookEndpoint } = await client.request(RegisterExportWebhookDocument, { url });
    verifier = new Webhook(createWebhookEndpoint.secret);
    endpointId = createWebhookEndpoint.endpoint.id;
  } catch (error) {
    await closeServer();
    if (errorCode(error) === undefined) throw error;
    log(`webhook endpoint ${url} refused (${errorCode(error)}): polling`);
    return null;
  }
  log(`webhook endpoint ${endpointId} → ${url}`);
  return {
    async finished(exportId, timeoutMs) {
      const until = Date.now() + timeoutMs;
      while (!seen.has(exportId) && Date.now() < until) {
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, until - Date.now());
          waiters.add(wake);
        });
      }
      return seen.get(exportId) ?? false;
    },
    async close() {
      try {
        await client.request(RemoveExportWebhookDocument, { id: endpointId });
      } finally {
        await closeServer();
      }
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (require.main === module) {
  const env = process.env;
  if (!env.TOKEN) {
    console.error("TOKEN is required: an API token or JWT (npm start prints demo tokens).");
    process.exit(2);
  }
  if (env.WAIT && env.WAIT !== "webhook" && env.WAIT !== "poll") {
    console.error("WAIT is `webhook` or `poll`.");
    process.exit(2);
  }
  runExport({
    gatewayUrl: env.GATEWAY_URL ?? "http://127.0.0.1:4000/graphql",
    token: env.TOKEN,
    outDir: env.OUT_DIR ?? ".",
    idempotencyKey: env.IDEMPOTENCY_KEY || undefined,
    wait: env.WAIT as ExportRunOptions["wait"],
    webhookHost: env.WEBHOOK_HOST || undefined,
    webhookPort: env.WEBHOOK_PORT ? Number(env.WEBHOOK_PORT) : undefined,
    webhookPublicUrl: env.WEBHOOK_PUBLIC_URL || undefined,
    log: (line) => console.error(line),
  }).then(
    (result) => console.log(JSON.stringify(result)),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
