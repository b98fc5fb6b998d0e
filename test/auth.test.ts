/** API tokens and JWTs: good credentials authenticate, every bad one gets UNAUTHENTICATED and no data. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, base64url, exportJWK, generateKeyPair } from "jose";
import { issueApiToken } from "../src/api-tokens";
import { Role } from "../src/access";
import { ViewerDocument, SessionIdsDocument } from "./generated/graphql";
import { GraphQLClient } from "./support/client";
import { startTestGateway, TEST_JWT_SECRET } from "./support/gateway";
import { useWorld } from "./support/world";

const t = useWorld({ sessionsPerUser: 1 });


const key = new TextEncoder().encode(TEST_JWT_SECRET);

function jwt(claims: { sub?: string; iss?: string; aud?: string; exp?: number | string }, secret = key, alg = "HS256") {
  const builder = new SignJWT({}).setProtectedHeader({ alg }).setIssuedAt();
  if (claims.sub) builder.setSubject(claims.sub);
  builder.setIssuer(claims.iss ?? "sessiongraph").setAudience(claims.aud ?? "sessiongraph");
  if (claims.exp !== undefined) builder.setExpirationTime(claims.exp);
  return builder.sign(secret);
}

async function expectUnauthenticated(token: string | null, rawHeader?: string) {
  const res = await fetch(`${t.gateway.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(rawHeader ? { authorization: rawHeader } : token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: "{ viewer { role } sessions { nodes { id } } }" }),
  });
  const body = (await res.json()) as { data?: unknown; errors: { extensions: { code: string } }[] };
  expect(body.data ?? null).toBeNull();
  expect(body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
  expect(JSON.stringify(body)).not.toMatch(/stack|\.ts:|node_modules/);
  return res.status;
}

describe("API tokens", () => {
  it("authenticate with the owner's organization and role", async () => {
    const data = await t.world.clients.asDeveloper.data(ViewerDocument);
    expect(data.viewer).toMatchObject({ role: "DEVELOPER", authenticatedBy: "API_TOKEN", user: { id: t.world.users.developer.id } });
  });

  it("store only a hash of the secret and record their last use", async () => {
    const [row] = await t.gateway.dataSource.query(`SELECT secret_hash, last_used_at FROM api_tokens WHERE owner_id = $1`, [t.world.users.developer.id]);
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.secret_hash).not.toContain(t.world.tokens.asDeveloper);
    for (let i = 0; i < 20 && !row.last_used_at; i++) {
      await new Promise((r) => setTimeout(r, 50));
      [row.last_used_at] = (await t.gateway.dataSource.query(`SELECT last_used_at FROM api_tokens WHERE owner_id = $1`, [t.world.users.developer.id])).map((r: { last_used_at: Date }) => r.last_used_at);
    }
    expect(row.last_used_at).toBeInstanceOf(Date);
  });

  it("never act above their owner's role", async () => {
    const { secret } = await issueApiToken(t.gateway.dataSource.manager, { organizationId: t.world.organizationId, ownerId: t.world.users.member.id, label: "escalation attempt", role: Role.ADMIN });
    const client = new GraphQLClient(t.gateway.url, secret);
    expect((await client.data(ViewerDocument)).viewer.role).toBe("MEMBER");
    const sessions = await client.data(SessionIdsDocument, { first: 500 });
    expect(sessions.sessions.edges.map((e) => e.node.id).sort()).toEqual([...t.world.sessions.member].sort());
  });

  it("refuse unknown, revoked and expired tokens", async () => {
    const m = t.gateway.dataSource.manager;
    const revoked = await issueApiToken(m, { organizationId: t.world.organizationId, ownerId: t.world.users.admin.id, label: "revoked", role: Role.ADMIN });
    await t.gateway.dataSource.query(`UPDATE api_tokens SET revoked_at = now() WHERE id = $1`, [revoked.id]);
    const expired = await issueApiToken(m, { organizationId: t.world.organizationId, ownerId: t.world.users.admin.id, label: "expired", role: Role.ADMIN, expiresAt: new Date(Date.now() - 1000) });
    for (const token of ["sg_unknown", `${t.world.tokens.asAdmin}x`, revoked.secret, expired.secret, "not-a-token"]) {
      expect(await expectUnauthenticated(token)).toBe(401);
    }
    expect(await expectUnauthenticated(null, `Basic ${Buffer.from("a:b").toString("base64")}`)).toBe(401);
  });

  it("without credentials, answer UNAUTHENTICATED and no data", async () => {
    await expectUnauthenticated(null);
  });
});

describe("JWTs", () => {
  it("authenticate a known user with a valid HS256 token", async () => {
    const token = await jwt({ sub: t.world.users.admin.id, exp: "5m" });
    const data = await new GraphQLClient(t.gateway.url, token).data(ViewerDocument);
    expect(data.viewer).toMatchObject({ role: "ADMIN", authenticatedBy: "JWT", user: { id: t.world.users.admin.id } });
  });

  it("refuse tampered, unsigned, mis-addressed, expired and unknown-subject tokens", async () => {
    const good = await jwt({ sub: t.world.users.admin.id, exp: "5m" });
    const [header, payload, signature] = good.split(".");
    const otherSub = base64url.encode(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(base64url.decode(payload))), sub: t.world.users.otherAdmin.id }));
    const unsignedHeader = base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }));
    const bad = [
      `${header}.${otherSub}.${signature}`, // payload swapped, signature kept
      `${header}.${payload}.${signature.slice(0, -2)}AA`, // signature altered
      `${unsignedHeader}.${payload}.`, // alg: none
      await jwt({ sub: t.world.users.admin.id, exp: "5m", iss: "someone-else" }),
      await jwt({ sub: t.world.users.admin.id, exp: "5m", aud: "another-api" }),
      await jwt({ sub: t.world.users.admin.id, exp: Math.floor(Date.now() / 1000) - 60 }),
      await jwt({ sub: t.world.users.admin.id }), // no expiry
      await jwt({ sub: "00000000-0000-4000-8000-000000000000", exp: "5m" }),
      await jwt({ sub: "not-a-uuid", exp: "5m" }),
      await jwt({ sub: t.world.users.admin.id, exp: "5m" }, new TextEncoder().encode("a-different-secret-of-sufficient-length-000")),
      await jwt({ sub: t.world.users.admin.id, exp: "5m" }, key, "HS512"), // algorithm not pinned
    ];
    for (const token of bad) expect(await expectUnauthenticated(token)).toBe(401);
  });
});

describe("JWTs verified against a JWKS endpoint", () => {
  let jwks: http.Server;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
  let publicJwk: Record<string, unknown>;
  let jwksGateway: Awaited<ReturnType<typeof startTestGateway>>;

  beforeAll(async () => {
    const pair = await generateKeyPair("RS256");
    privateKey = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
    jwks = http.createServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
    const { port } = jwks.address() as AddressInfo;
    jwksGateway = await startTestGateway({ jwtJwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`, jwtSecret: "" });
  });
  afterAll(async () => {
    await jwksGateway?.close();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  it("accepts an RS256 token signed by the published key", async () => {
    const token = await new SignJWT({}).setProtectedHeader({ alg: "RS256", kid: "k1" }).setSubject(t.world.users.developer.id)
      .setIssuer("sessiongraph").setAudience("sessiongraph").setExpirationTime("5m").sign(privateKey);
    const data = await new GraphQLClient(jwksGateway.url, token).data(ViewerDocument);
    expect(data.viewer).toMatchObject({ role: "DEVELOPER", authenticatedBy: "JWT" });
  });

  it("refuses an HS256 token keyed with the public key (algorithm confusion)", async () => {
    const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
    const token = await new SignJWT({}).setProtectedHeader({ alg: "HS256", kid: "k1" }).setSubject(t.world.users.admin.id)
      .setIssuer("sessiongraph").setAudience("sessiongraph").setExpirationTime("5m").sign(secret);
    const { status, body } = await new GraphQLClient(jwksGateway.url, token).raw({ query: "{ viewer { role } }" });
    expect(status).toBe(401);
    expect(body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });
});
