/**
 * API tokens: created by admins and developers (acting with at most their own role), shown
 * once, stored as a hash, listed and revoked within scope; a revoked token opens nothing.
 */
import { createHash } from "node:crypto";
import { ErrorCode } from "../../src/shared/errors";
import { ApiTokensDocument, CreateApiTokenDocument, RevokeApiTokenDocument, Role, SessionIdsDocument, ViewerDocument } from "../generated/graphql";
import { GraphQLClient } from "../support/client";
import { describeScoped } from "../support/scoped";
import { idsOf, useWorld, type Caller } from "../support/world";

const t = useWorld({ sessionsPerUser: 2, activitiesPerSession: 0 });
/** The token each world user was given, by owner. */
let worldTokens: Record<string, string> = {};

beforeAll(async () => {
  const rows: { id: string; owner_id: string }[] = await t.gateway.dataSource.query(
    `SELECT id, owner_id FROM api_tokens WHERE organization_id = ANY($1::uuid[])`, [[t.world.organizationId, t.world.otherOrganizationId]]);
  worldTokens = Object.fromEntries(rows.map((r) => [r.owner_id, r.id]));
});

const tokenOf = (key: keyof typeof t.world.users) => worldTokens[t.world.users[key].id];

// Runs first, before the tests below add tokens.
describeScoped("apiTokens", () => t.world, {
  read: async (client) => {
    const { body } = await client.request(ApiTokensDocument, { first: 100 });
    return { ids: body.data?.apiTokens.nodes.map((n) => n.id) ?? [], errors: body.errors };
  },
  expected: () => ({
    asAdmin: [tokenOf("admin"), tokenOf("developer"), tokenOf("member")],
    asDeveloper: [tokenOf("developer")],
    asMember: [tokenOf("member")],
    asOtherOrgAdmin: [tokenOf("otherAdmin")],
  }),
});

describe("createApiToken", () => {
  it("shows the secret once, stores only its SHA-256, and the token acts as its owner", async () => {
    const { createApiToken } = await t.world.clients.asAdmin.data(CreateApiTokenDocument, { label: "nightly export" });
    expect(createApiToken.apiToken).toMatchObject({ label: "nightly export", role: "ADMIN", revokedAt: null, active: true, owner: { id: t.world.users.admin.id } });
    const [row] = await t.gateway.dataSource.query(`SELECT secret_hash FROM api_tokens WHERE id = $1`, [createApiToken.apiToken.id]);
    expect(row.secret_hash).toBe(createHash("sha256").update(createApiToken.token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(createApiToken.token);
    const viewer = await new GraphQLClient(t.gateway.url, createApiToken.token).data(ViewerDocument);
    expect(viewer.viewer).toMatchObject({ role: "ADMIN", authenticatedBy: "API_TOKEN", user: { id: t.world.users.admin.id } });
  });

  it("lets an admin issue a token that acts with a lower role and reads only that role's scope", async () => {
    const { createApiToken } = await t.world.clients.asAdmin.data(CreateApiTokenDocument, { label: "member-level", role: Role.MEMBER });
    const client = new GraphQLClient(t.gateway.url, createApiToken.token);
    expect((await client.data(ViewerDocument)).viewer.role).toBe("MEMBER");
    const sessions = await client.data(SessionIdsDocument, { first: 100 });
    expect(sessions.sessions.edges.map((e) => e.node.id).sort()).toEqual(idsOf(t.world.sessions, "admin"));
  });

  it("lets a developer create a developer token, never an admin one", async () => {
    const made = await t.world.clients.asDeveloper.data(CreateApiTokenDocument, { label: "ci" });
    expect(made.createApiToken.apiToken.role).toBe("DEVELOPER");
    const { body } = await t.world.clients.asDeveloper.request(CreateApiTokenDocument, { label: "escalate", role: Role.ADMIN });
    expect(body.errors![0].extensions!.code).toBe(ErrorCode.FORBIDDEN);
  });

  const refused: [Caller, string][] = [["asMember", ErrorCode.FORBIDDEN], ["anonymous", ErrorCode.UNAUTHENTICATED]];
  it.each(refused)("refuses %s with %s", async (caller, code) => {
    const { body } = await t.world.clients[caller].request(CreateApiTokenDocument, { label: "nope" });
    expect(body.errors![0].extensions!.code).toBe(code);
  });

  it.each([
    ["an empty label", { label: "   " }],
    ["a label of 101 characters", { label: "x".repeat(101) }],
    ["an expiry in the past", { label: "old", expiresAt: "2020-01-01T00:00:00Z" }],
  ])("answers BAD_USER_INPUT for %s", async (_what, variables) => {
    const { body } = await t.world.clients.asAdmin.request(CreateApiTokenDocument, variables);
    expect(body.errors![0].extensions!.code).toBe(ErrorCode.BAD_USER_INPUT);
  });

  it("makes a token with an expiry stop working after it", async () => {
    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    const { createApiToken } = await t.world.clients.asAdmin.data(CreateApiTokenDocument, { label: "short-lived", expiresAt });
    const client = new GraphQLClient(t.gateway.url, createApiToken.token);
    expect((await client.data(ViewerDocument)).viewer.role).toBe("ADMIN");
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const { body } = await client.request(ViewerDocument);
    expect(body.errors![0].extensions!.code).toBe(ErrorCode.UNAUTHENTICATED);
  });
});

describe("revokeApiToken", () => {
  it("stops a token from working, and revoking again keeps the first revocation time", async () => {
    const { createApiToken } = await t.world.clients.asDeveloper.data(CreateApiTokenDocument, { label: "to revoke" });
    const client = new GraphQLClient(t.gateway.url, createApiToken.token);
    expect((await client.data(ViewerDocument)).viewer.role).toBe("DEVELOPER");
    const first = await t.world.clients.asAdmin.data(RevokeApiTokenDocument, { id: createApiToken.apiToken.id });
    expect(first.revokeApiToken).toMatchObject({ id: createApiToken.apiToken.id, active: false });
    const { body } = await client.request(ViewerDocument);
    expect(body.errors![0].extensions!.code).toBe(ErrorCode.UNAUTHENTICATED);
    const again = await t.world.clients.asDeveloper.data(RevokeApiTokenDocument, { id: createApiToken.apiToken.id });
    expect(again.revokeApiToken.revokedAt).toBe(first.revokeApiToken.revokedAt);
  });

  const outOfScope: [Caller, "admin" | "developer"][] = [
    ["asDeveloper", "admin"],
    ["asMember", "developer"],
    ["asOtherOrgAdmin", "admin"],
  ];
  it.each(outOfScope)("answers NOT_FOUND when %s revokes the %s's token, which keeps working", async (caller, owner) => {
    const { body } = await t.world.clients[caller].request(RevokeApiTokenDocument, { id: tokenOf(owner) });
    expect(body.errors![0].extensions!.code).toBe(ErrorCode.NOT_FOUND);
    const ownerClient = owner === "admin" ? t.world.clients.asAdmin : t.world.clients.asDeveloper;
    expect((await ownerClient.data(ViewerDocument)).viewer.user.id).toBe(t.world.users[owner].id);
  });

  it("refuses a caller without credentials", async () => {
    const { body } = await t.world.clients.anonymous.request(RevokeApiTokenDocument, { id: tokenOf("member") });
    expect(body.errors![0].extensions!.code).toBe(ErrorCode.UNAUTHENTICATED);
  });
});
