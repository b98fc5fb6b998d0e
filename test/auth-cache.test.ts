/**
 * The in-process API token cache: a repeated request skips the token lookup; revoking through
 * this gateway or deleting the owner takes effect at once; a revocation written elsewhere (another
 * instance) takes effect within AUTH_CACHE_SECONDS; expiry is checked on every use.
 */
import { issueApiToken } from "../src/api-tokens";
import { Role } from "../src/access";
import { ErrorCode } from "../src/shared/errors";
import { RevokeApiTokenDocument, ViewerDocument } from "./generated/graphql";
import { GraphQLClient } from "./support/client";
import { useWorld } from "./support/world";

const t = useWorld({ sessionsPerUser: 1, activitiesPerSession: 0 }, { authCacheSeconds: 1 });

async function freshToken(expiresAt?: Date): Promise<{ id: string; client: GraphQLClient }> {
  const { id, secret } = await issueApiToken(t.gateway.dataSource.manager, {
    organizationId: t.world.organizationId, ownerId: t.world.users.developer.id, label: "cached", role: Role.DEVELOPER, expiresAt,
  });
  return { id, client: new GraphQLClient(t.gateway.url, secret) };
}

const statements = async (client: GraphQLClient) => {
  const { body } = await client.request(ViewerDocument);
  expect(body.errors).toBeUndefined();
  return body.extensions!.sqlStatements!;
};
const code = async (client: GraphQLClient) => (await client.request(ViewerDocument)).body.errors?.[0]?.extensions?.code;

describe("API token cache", () => {
  it("skips the token lookup on a repeated request", async () => {
    const { client } = await freshToken();
    const first = await statements(client);
    expect(await statements(client)).toBe(first - 1);
  });

  it("forgets a token revoked through this gateway at once", async () => {
    const { id, client } = await freshToken();
    await statements(client);
    await t.world.clients.asAdmin.data(RevokeApiTokenDocument, { id });
    expect(await code(client)).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it("honours a revocation written elsewhere within AUTH_CACHE_SECONDS", async () => {
    const { id, client } = await freshToken();
    await statements(client);
    await t.gateway.dataSource.query(`UPDATE api_tokens SET revoked_at = now() WHERE id = $1`, [id]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await code(client)).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it("refuses a cached token once it expires", async () => {
    const { client } = await freshToken(new Date(Date.now() + 400));
    await statements(client);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await code(client)).toBe(ErrorCode.UNAUTHENTICATED);
  });
});
