/**
 * Hostile credentials: forged, expired, unsigned, mis-addressed JWTs and unknown or revoked API
 * tokens all answer UNAUTHENTICATED with no data and no leak; repeated failures from one
 * address answer RATE_LIMITED until the window has passed (test/hardening/proxies.test.ts: the
 * limit shared by instances, and the client's address behind proxies).
 */
import { SignJWT, base64url } from "jose";
import { issueApiToken } from "../../src/api-tokens";
import { Role } from "../../src/access";
import { TEST_JWT_SECRET, startTestGateway, type TestGateway } from "../support/gateway";
import { buildWorld, useWorld } from "../support/world";
import { expectRefused, expectServing, postJson } from "./hostile";

const t = useWorld({ sessionsPerUser: 1 });
const key = new TextEncoder().encode(TEST_JWT_SECRET);
const QUERY = { query: "{ viewer { role } sessions { nodes { id } } }" };

function jwt(claims: Record<string, unknown>, options: { secret?: Uint8Array; alg?: string; iss?: string; aud?: string; exp?: string | number | null } = {}) {
  const builder = new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? "HS256" }).setIssuedAt();
  builder.setIssuer(options.iss ?? "sessiongraph").setAudience(options.aud ?? "sessiongraph");
  if (options.exp !== null) builder.setExpirationTime(options.exp ?? "5m");
  return builder.sign(options.secret ?? key);
}

describe("hostile credentials", () => {
  it("every forged, stale or unknown credential answers 401 UNAUTHENTICATED", async () => {
    const sub = t.world.users.admin.id;
    const good = await jwt({ sub });
    const [header, payload, signature] = good.split(".");
    const decoded = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
    const enc = (o: unknown) => base64url.encode(JSON.stringify(o));
    const m = t.gateway.dataSource.manager;
    const revoked = await issueApiToken(m, { organizationId: t.world.organizationId, ownerId: sub, label: "revoked", role: Role.ADMIN });
    await t.gateway.dataSource.query(`UPDATE api_tokens SET revoked_at = now() WHERE id = $1`, [revoked.id]);
    const expired = await issueApiToken(m, { organizationId: t.world.organizationId, ownerId: sub, label: "expired", role: Role.ADMIN, expiresAt: new Date(Date.now() - 1000) });

    const cases: [string, string][] = [
      ["tampered payload", `${header}.${enc({ ...decoded, sub: t.world.users.otherAdmin.id })}.${signature}`],
      ["tampered role claim", `${header}.${enc({ ...decoded, role: "ADMIN", org: "x" })}.${signature}`],
      ["altered signature", `${header}.${payload}.${signature.slice(0, -3)}AAA`],
      ["no signature", `${header}.${payload}.`],
      ["alg none", `${enc({ alg: "none", typ: "JWT" })}.${payload}.`],
      ["alg None (case)", `${enc({ alg: "None" })}.${payload}.`],
      ["alg HS512 with the right secret", await jwt({ sub }, { alg: "HS512" })],
      ["wrong secret", await jwt({ sub }, { secret: new TextEncoder().encode("another-secret-that-is-long-enough-for-hs256-xx") })],
      ["wrong issuer", await jwt({ sub }, { iss: "evil" })],
      ["wrong audience", await jwt({ sub }, { aud: "other-api" })],
      ["expired", await jwt({ sub }, { exp: Math.floor(Date.now() / 1000) - 5 })],
      ["no expiry", await jwt({ sub }, { exp: null })],
      ["not yet valid", await new SignJWT({ sub }).setProtectedHeader({ alg: "HS256" }).setIssuer("sessiongraph").setAudience("sessiongraph").setNotBefore("10m").setExpirationTime("20m").sign(key)],
      ["unknown subject", await jwt({ sub: "00000000-0000-4000-8000-000000000000" })],
      ["SQL in subject", await jwt({ sub: "' OR 1=1 --" })],
      ["crit header", `${enc({ alg: "HS256", crit: ["x"], x: 1 })}.${payload}.${signature}`],
      ["garbage JWT", "a.b.c"],
      ["huge JWT (12 KB)", `${header}.${"A".repeat(12_000)}.${signature}`],
      ["unknown API token", "sg_0123456789abcdef0123456789abcdef"],
      ["API token with a suffix", `${t.world.tokens.asAdmin}x`],
      ["revoked API token", revoked.secret],
      ["expired API token", expired.secret],
      ["NUL in token", `sg_abc\u0000def`],
    ];
    for (const [name, token] of cases) {
      const answer = await postJson(t.gateway.url, QUERY, null, { authorization: `Bearer ${token}` }).catch((e: Error) => {
        // fetch refuses header values it cannot send (NUL): nothing reached the server.
        if (/invalid|header/i.test(e.message) && name === "NUL in token") return null;
        throw e;
      });
      if (answer) expectRefused(`credential: ${name}`, answer, 401, "UNAUTHENTICATED");
    }
    for (const [name, header] of [["Basic", "Basic YTpi"], ["empty Bearer", "Bearer "], ["two tokens", `Bearer ${good} ${good}`], ["lowercase scheme only", "bearer"]]) {
      expectRefused(`authorization: ${name}`, await postJson(t.gateway.url, QUERY, null, { authorization: header }), 401, "UNAUTHENTICATED");
    }
    // Past Node's 16 KB header cap the HTTP parser answers 431 before any of our code runs.
    const huge = await postJson(t.gateway.url, QUERY, null, { authorization: `Bearer ${header}.${"A".repeat(60_000)}.${signature}` });
    expect(huge.status).toBe(431);
    expect(huge.text).not.toMatch(/\n\s+at\s/);
    await expectServing(t.gateway.url, t.world.tokens.asAdmin);
  });
});

describe("repeated failures from one address", () => {
  let gateway: TestGateway;
  let adminToken: string;
  beforeAll(async () => {
    gateway = await startTestGateway({ authFailureLimit: 5, authFailureWindowSeconds: 2 });
    adminToken = (await buildWorld(gateway.dataSource, gateway.url, { sessionsPerUser: 1 })).tokens.asAdmin;
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it("answer RATE_LIMITED (429) once the limit is used, even for a good token, until the window passes", async () => {
    // Successes do not count.
    for (let i = 0; i < 8; i++) await expectServing(gateway.url, adminToken);
    for (let i = 0; i < 5; i++) expectRefused(`failure ${i + 1}`, await postJson(gateway.url, QUERY, "sg_wrong"), 401, "UNAUTHENTICATED");
    const limited = await postJson(gateway.url, QUERY, adminToken);
    expectRefused("rate limited good token", limited, 429, "RATE_LIMITED");
    expect(limited.json!.errors![0].extensions!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get("retry-after")).toBe(String(limited.json!.errors![0].extensions!.retryAfterSeconds));
    expectRefused("rate limited bad token", await postJson(gateway.url, QUERY, "sg_wrong"), 429, "RATE_LIMITED");
    // No credentials is not a guess: it keeps its plain answer.
    expectRefused("anonymous while limited", await postJson(gateway.url, QUERY, null), 401, "UNAUTHENTICATED");
    await new Promise((r) => setTimeout(r, 2100));
    await expectServing(gateway.url, adminToken);
  });
});
