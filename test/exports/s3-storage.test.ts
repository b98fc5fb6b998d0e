/**
 * S3 storage, against s3rver (an S3 API server in-process; it does not check signatures, see
 * STACK.md, so this proves the adapter's calls and the presigned URL flow, not AWS's signature
 * check): exports and attachments land in the bucket, `url` is the bucket's own presigned GET,
 * and the retention sweep deletes the object.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require("s3rver");
import { freePort } from "../../src/db/embedded-postgres";
import { createStorage } from "../../src/exports";
import { loadConfig } from "../../src/config/config";
import { ExportByIdDocument, ExportSessionsDocument, SessionAttachmentsDocument, SessionColumn } from "../generated/graphql";
import { column, download } from "../support/exports";
import { buildWorld, type World } from "../support/world";
import { startTestGateway, type TestGateway } from "../support/gateway";

let s3: { close(): Promise<void> };
let gateway: TestGateway;
let world: World;
let endpoint = "";
/** s3rver's own directory, removed with it. */
let s3Directory = "";
const BUCKET = "sessiongraph-test";

beforeAll(async () => {
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  s3Directory = fs.mkdtempSync(path.join(os.tmpdir(), "s3rver-"));
  s3 = new S3rver({ port, address: "127.0.0.1", silent: true, directory: s3Directory, configureBuckets: [{ name: BUCKET }] });
  await (s3 as unknown as { run(): Promise<unknown> }).run();
  gateway = await startTestGateway({
    exportStorage: "s3", s3Bucket: BUCKET, s3Endpoint: endpoint, s3ForcePathStyle: true, s3Region: "us-east-1",
    s3AccessKeyId: "S3RVER", s3SecretAccessKey: "S3RVER",
  });
  world = await buildWorld(gateway.dataSource, gateway.url, { sessionsPerUser: 2, activitiesPerSession: 0 });
});

afterAll(async () => {
  await gateway?.close();
  await s3?.close();
  if (s3Directory) fs.rmSync(s3Directory, { recursive: true, force: true });
});

async function storageKey(exportId: string): Promise<string> {
  const [{ storage_key }] = await gateway.dataSource.query(`SELECT storage_key FROM exports WHERE id = $1`, [exportId]);
  return storage_key;
}

describe("S3 storage", () => {
  it("writes the export to the bucket and hands out the bucket's presigned URL", async () => {
    const { exportSessions } = await world.clients.asAdmin.data(ExportSessionsDocument, { columns: [SessionColumn.SESSION_ID] });
    expect(exportSessions.status).toBe("COMPLETED");
    const url = new URL(exportSessions.url!);
    expect(url.origin).toBe(endpoint);
    // Each attempt writes under its own lease's key: exports/<export id>/<lease id>/<file name>.
    const key = await storageKey(exportSessions.id);
    expect(key).toMatch(new RegExp(`^exports/${exportSessions.id}/[0-9a-f-]{36}/${exportSessions.fileName.replace(/\./g, "\\.")}$`));
    expect(url.pathname).toBe(`/${BUCKET}/${key}`);
    expect(url.searchParams.get("X-Amz-Expires")).toBe("900");
    expect(url.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get("response-content-disposition")).toMatch(/^attachment; filename="/);
    const file = await download(exportSessions.url!);
    expect(file.status).toBe(200);
    expect(column(file.records, "Session ID")).toHaveLength(exportSessions.rowCount!);
    expect(file.bytes.length).toBe(exportSessions.bytes);
    // Nothing was written to local disk.
    expect(fs.existsSync(path.join(gateway.demoTokensFile, "..", "exports"))).toBe(false);
  });

  it("serves attachments through presigned URLs too", async () => {
    const sessionId = world.sessions.admin[0];
    const [{ storage_key }] = await gateway.dataSource.query(`SELECT storage_key FROM attachments WHERE session_id = $1`, [sessionId]);
    const writer = await gateway.storage.writer(storage_key);
    writer.stream.end("log line\n");
    await writer.commit();
    const data = await world.clients.asAdmin.data(SessionAttachmentsDocument, { id: sessionId });
    const link = data.session!.attachments[0].downloadUrl!;
    expect(new URL(link).origin).toBe(endpoint);
    const res = await fetch(link);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("log line\n");
  });

  it("deletes the object when the export expires", async () => {
    const { exportSessions } = await world.clients.asAdmin.data(ExportSessionsDocument, { columns: [SessionColumn.SESSION_ID] });
    const key = await storageKey(exportSessions.id);
    expect(await gateway.storage.size(key)).toBe(exportSessions.bytes);
    await gateway.dataSource.query(`UPDATE exports SET expires_at = now() - interval '1 second' WHERE id = $1`, [exportSessions.id]);
    await gateway.exportJobs.sweep();
    expect(await gateway.storage.size(key)).toBeNull();
    expect((await world.clients.asAdmin.data(ExportByIdDocument, { id: exportSessions.id })).export).toMatchObject({ status: "EXPIRED", url: null });
  });

  it("signs download URLs for S3_PUBLIC_ENDPOINT while writing through S3_ENDPOINT", async () => {
    // The same s3rver under two names: the gateway's (127.0.0.1) and the browsers' (localhost), as a
    // MinIO is `minio:9000` inside a compose network and `localhost:9000` outside.
    const publicEndpoint = endpoint.replace("127.0.0.1", "localhost");
    const storage = createStorage(loadConfig({}, {
      exportStorage: "s3", s3Bucket: BUCKET, s3Endpoint: endpoint, s3PublicEndpoint: publicEndpoint, s3ForcePathStyle: true, s3Region: "us-east-1",
      s3AccessKeyId: "S3RVER", s3SecretAccessKey: "S3RVER",
    }));
    const writer = await storage.writer("exports/public-endpoint/file.csv");
    writer.stream.end("a,b\n");
    await writer.commit();
    const link = await storage.presignGet!("exports/public-endpoint/file.csv", { fileName: "file.csv", contentType: "text/csv", expiresInSeconds: 60 });
    expect(new URL(link).origin).toBe(publicEndpoint);
    const res = await fetch(link);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("a,b\n");
  });
});
