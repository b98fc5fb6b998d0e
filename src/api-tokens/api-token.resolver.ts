import { Arg, Args, Authorized, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import { Role } from "../access";
import { CurrentScope } from "../auth";
import { ConnectionType, PageArgs } from "../shared/connection";
import { ApiToken } from "./api-token.entity";
import type { ApiTokensScope } from "./api-tokens.scope";

export const ApiTokenConnection = ConnectionType(ApiToken, "ApiToken");

@ObjectType({ simpleResolvers: true, description: "A new API token. `token` is the secret: shown this once, stored only as a hash." })
export class CreatedApiToken {
  @Field() token!: string;
  @Field(() => ApiToken) apiToken!: ApiToken;
}

@Resolver(() => ApiToken)
export class ApiTokenResolver {
  @Authorized()
  @Query(() => ApiTokenConnection, { description: "API tokens, newest first. Admins: the organization's; others: their own." })
  apiTokens(@Args() page: PageArgs, @CurrentScope() scope: ApiTokensScope) {
    return scope.apiTokens.page(page);
  }

  @Authorized(Role.ADMIN, Role.DEVELOPER)
  @Mutation(() => CreatedApiToken, { description: "Creates a token owned by the caller, acting with `role` (default and maximum: the caller's role)." })
  async createApiToken(
    @Arg("label") label: string,
    @Arg("role", () => Role, { nullable: true }) role: Role | null,
    @Arg("expiresAt", () => Date, { nullable: true }) expiresAt: Date | null,
    @CurrentScope() scope: ApiTokensScope,
  ): Promise<CreatedApiToken> {
    const { token, secret } = await scope.apiTokens.create({ label, role, expiresAt });
    return { token: secret, apiToken: token };
  }

  @Authorized()
  @Mutation(() => ApiToken, { description: "Revokes a token: admins any of the organization's, others their own. Requests with it fail from then on." })
  revokeApiToken(@Arg("id", () => ID) id: string, @CurrentScope() scope: ApiTokensScope) {
    return scope.apiTokens.revoke(id);
  }

  @FieldResolver(() => Boolean, { description: "Neither revoked nor expired." })
  active(@Root() token: ApiToken): boolean {
    return !token.revokedAt && (!token.expiresAt || token.expiresAt.getTime() > Date.now());
  }
}
