/**
 * TRUSTED_DOCUMENTS over real HTTP, with the committed manifest (examples/generated/
 * persisted-documents.json): in `enforce`, members and developers run manifest documents sent
 * by hash and nothing else, admins (of any organization) run anything; Apollo's automatic
 * persisted queries are no way around it; `log` serves everything and counts what enforce would
 * refuse; `off` is Apollo as before. Bad settings and manifests stop the start.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash, randomUUID } from "node:crypto";
import { loadConfig, ConfigError } from "../src/config/config";
import { ErrorCode } from "../src/shared/errors";
import { loadTrustedDocuments } from "../src/http/trusted-documents";
import { runExport } from "../examples/export-sessions";
import { WhoAmIDocument } from "../examples/generated/graphql";
import { ExportsDocument } from "./generated/graphql";
import { GraphQLClient } from "./support/client";
import { startTestGateway, type TestGateway } from "./support/gateway";
import { useWorld, type Caller } from "./support/world";

jest.setTimeout(60_000);
const MANIFEST = "examples/generated/persisted-documents.json";
const manifest = JSON.parse(fs.readFileSync(MANIFEST, "utf8")) as Record<string, string>;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const WHO_AM_I = (WhoAmIDocument as { __meta__?: { hash: string } }).__meta__!.hash;

const t = useWorld({ sessionsPerUser: 1, activitiesPerSession: 0 }, { trustedDocuments: "enforce", exportWaitMs: 0 });
let logGateway: TestGateway;
let offGateway: TestGateway;
beforeAll(async () => {
  logGateway = await startTestGateway({ trustedDocuments: "log" });
  offGateway = await startTestGateway();
});
afterAll(async () => {
  await logGateway?.close();
  await offGateway?.close();
});

const client = (caller: Caller, gateway: TestGateway = t.gateway) =>
  new GraphQLClient(gateway.url, caller === "anonymous" ? null : t.world.tokens[caller]);
const byHash = (hash: string, query?: string) => ({ ...(query ? { query } : {}), extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
/** A document no client ships: not in the manifest. */
const UNKNOWN = "query Unlisted { viewer { role organization { id } } }";

const BELOW_ADMIN: Caller[] = ["asMember", "asDeveloper"];
const ADMINS: Caller[] = ["asAdmin", "asOtherOrgAdmin"];
const ROLE: Record<Exclude<Caller, "anonymous">, string> = { asAdmin: "ADMIN", asDeveloper: "DEVELOPER", asMember: "MEMBER", asOtherOrgAdmin: "ADMIN" };

describe("TRUSTED_DOCUMENTS=enforce", () => {
  it.each([...BELOW_ADMIN, ...ADMINS])("%s runs a manifest document sent by hash alone", async (caller) => {
    const { status, body } = await client(caller).raw(byHash(WHO_AM_I));
    expect(status).toBe(200);
    expect(body).toEqual(expect.objectContaining({ data: { viewer: { role: ROLE[caller as keyof typeof ROLE] } } }));
    expect(body.errors).toBeUndefined();
  });

  it.each(BELOW_ADMIN)("%s is refused any other document, 403 DOCUMENT_NOT_TRUSTED, before it runs", async (caller) => {
    for (const body of [{ query: UNKNOWN }, { query: manifest[WHO_AM_I] }, byHash(sha256(UNKNOWN))]) {
      const response = await client(caller).raw(body);
      expect(response.status).toBe(403);
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: ErrorCode.DOCUMENT_NOT_TRUSTED }) })]);
    }
  });

  it("a refused mutation changes nothing", async () => {
    const before = (await client("asAdmin").data(ExportsDocument, { first: 1 })).exports.totalCount;
    const refused = await client("asMember").raw({ query: "mutation { exportSessions(columns: [SESSION_ID]) { id } }" });
    expect(refused.status).toBe(403);
    expect((await client("asAdmin").data(ExportsDocument, { first: 1 })).exports.totalCount).toBe(before);
  });

  it("anonymous callers are held to the manifest too: an unknown document is refused, a trusted one answers UNAUTHENTICATED", async () => {
    expect((await client("anonymous").raw({ query: UNKNOWN })).body.errors?.[0].extensions?.code).toBe(ErrorCode.DOCUMENT_NOT_TRUSTED);
    expect((await client("anonymous").raw(byHash(WHO_AM_I))).body.errors?.[0].extensions?.code).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it.each(ADMINS)("%s keeps Sandbox: any document, as text", async (caller) => {
    const { status, body } = await client(caller).raw({ query: UNKNOWN });
    expect(status).toBe(200);
    expect(body.data).toEqual({ viewer: { role: "ADMIN", organization: { id: expect.any(String) } } });
  });

  it("automatic persisted queries are no way around it: a member can neither register a document nor run one an admin registered", async () => {
    const query = `query Registered${randomUUID().replace(/-/g, "")} { viewer { role } }`;
    const hash = sha256(query);
    const registering = await client("asMember").raw(byHash(hash, query));
    expect(registering.status).toBe(403);
    expect(registering.body.errors?.[0].extensions?.code).toBe(ErrorCode.DOCUMENT_NOT_TRUSTED);
    // Nothing was registered: the admin's hash alone is not found.
    expect((await client("asAdmin").raw(byHash(hash))).body.errors?.[0].extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    // An admin registers it (hash and text), then runs it by hash alone.
    expect((await client("asAdmin").raw(byHash(hash, query))).body.data).toEqual({ viewer: { role: "ADMIN" } });
    expect((await client("asAdmin").raw(byHash(hash))).body.data).toEqual({ viewer: { role: "ADMIN" } });
    // The member sending that hash is still refused.
    const cached = await client("asMember").raw(byHash(hash));
    expect(cached.status).toBe(403);
    expect(cached.body.errors?.[0].extensions?.code).toBe(ErrorCode.DOCUMENT_NOT_TRUSTED);
  });

  it("a manifest hash with a different text is refused with a client error, not run", async () => {
    const { status, body } = await client("asMember").raw(byHash(WHO_AM_I, UNKNOWN));
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
  });

  it("counts what it refused", () => {
    expect(t.gateway.trustedDocuments.untrusted).toBeGreaterThanOrEqual(10);
  });

  it("the typed client example runs unchanged as a developer (its documents are the manifest's)", async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "sessiongraph-trusted-"));
    try {
      const result = await runExport({ gatewayUrl: `${t.gateway.url}/graphql`, token: t.world.tokens.asDeveloper, outDir, wait: "poll" });
      expect(result.sha256).toBe(sha256(fs.readFileSync(result.file) as unknown as string));
      expect(result.rowCount).toBe(1);
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });
});

describe("TRUSTED_DOCUMENTS=log", () => {
  it("serves every document, counts those enforce would refuse (members' and developers', not admins'), and logs them rate-limited", async () => {
    const before = logGateway.trustedDocuments.untrusted;
    for (const caller of BELOW_ADMIN) {
      expect((await client(caller, logGateway).raw({ query: UNKNOWN })).body.data).toEqual({ viewer: { role: ROLE[caller as keyof typeof ROLE], organization: { id: expect.any(String) } } });
      expect((await client(caller, logGateway).raw(byHash(WHO_AM_I))).body.data).toEqual({ viewer: { role: ROLE[caller as keyof typeof ROLE] } });
    }
    expect((await client("asAdmin", logGateway).raw({ query: UNKNOWN })).status).toBe(200);
    expect(logGateway.trustedDocuments.untrusted - before).toBe(2);
    const lines = logGateway.logs.filter((line) => line.includes("untrusted document"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(sha256(UNKNOWN));
  });
});

describe("TRUSTED_DOCUMENTS=off (default)", () => {
  it("is Apollo as before: any text runs, a hash alone is Apollo's PERSISTED_QUERY_NOT_FOUND until registered, nothing is counted", async () => {
    expect(loadConfig({}).trustedDocuments).toBe("off");
    expect((await client("asMember", offGateway).raw({ query: UNKNOWN })).body.data).toEqual({ viewer: { role: "MEMBER", organization: { id: expect.any(String) } } });
    const query = `query Off${randomUUID().replace(/-/g, "")} { viewer { role } }`;
    expect((await client("asMember", offGateway).raw(byHash(sha256(query)))).body.errors?.[0].extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect((await client("asMember", offGateway).raw(byHash(sha256(query), query))).body.data).toEqual({ viewer: { role: "MEMBER" } });
    expect(offGateway.trustedDocuments.untrusted).toBe(0);
  });
});

describe("settings", () => {
  it("refuses an unknown mode, a missing manifest and a manifest whose keys are not its texts' SHA-256", () => {
    expect(() => loadConfig({ TRUSTED_DOCUMENTS: "strict" })).toThrow(new ConfigError('TRUSTED_DOCUMENTS must be off, log or enforce, got "strict"'));
    expect(() => loadTrustedDocuments("no/such/manifest.json")).toThrow(/TRUSTED_DOCUMENTS_MANIFEST no\/such\/manifest.json cannot be read/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sessiongraph-manifest-"));
    try {
      const bad = path.join(dir, "bad.json");
      fs.writeFileSync(bad, JSON.stringify({ [sha256("query A { viewer { role } }")]: "query B { viewer { role } }" }));
      expect(() => loadTrustedDocuments(bad)).toThrow(/is not a document keyed by the SHA-256 of its text/);
      expect(loadTrustedDocuments(MANIFEST).get(WHO_AM_I)).toBe(manifest[WHO_AM_I]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a gateway set to enforce without its manifest does not start", async () => {
    await expect(startTestGateway({ trustedDocuments: "enforce", trustedDocumentsManifest: "no/such/manifest.json" })).rejects.toThrow(ConfigError);
  });
});
