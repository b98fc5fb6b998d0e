import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Authorized, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { Role } from "../access";
import { CurrentScope, apiTokenCache } from "../auth";
import { ApiToken } from "../api-tokens";
import { ConnectionType, PageArgs } from "../shared/connection";
import { Company } from "../companies";
import { User } from "./user.entity";
import { UserFilter } from "./user.inputs";
import { DeletedUserData, SignUpSource, SignUpOrFirstSeen } from "./user.types";
import type { UsersScope } from "./users.scope";

export const UserConnection = ConnectionType(User, "User");

@Resolver(() => User)
export class UserResolver {
  @Authorized()
  @Query(() => User, { nullable: true, description: "Null when absent or outside the caller's scope." })
  user(@Arg("id", () => ID) id: string, @CurrentScope() scope: UsersScope, @Info() info: GraphQLResolveInfo) {
    return scope.reads.byId<User>("User", id, info);
  }

  @Authorized()
  @Query(() => UserConnection, { description: "Users by last and first name. Admins: the organization's; others: themselves." })
  users(
    @Arg("filter", () => UserFilter, { nullable: true }) filter: UserFilter | null,
    @Args() page: PageArgs,
    @CurrentScope() scope: UsersScope,
    @Info() info: GraphQLResolveInfo,
  ) {
    return scope.users.page(filter, page, scope.reads.projection("User", info));
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => User, { description: "Admins: excludes a user from traffic (their data counts in no company profile or aggregate), or includes them again." })
  async setUserExcludedFromTraffic(
    @Arg("userId", () => ID) userId: string,
    @Arg("excluded") excluded: boolean,
    @CurrentScope() scope: UsersScope,
  ): Promise<User> {
    const user = await scope.users.setExcludedFromTraffic(userId, excluded);
    scope.userLoaders.usersById.clear(userId).prime(userId, user);
    return user;
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => DeletedUserData, {
    description: "Admins: permanently deletes a user and their sessions, activities, attachments, API tokens, content progress and the exports that held only their data, in one transaction. A second call answers NOT_FOUND.",
  })
  async deleteUserData(@Arg("userId", () => ID) userId: string, @CurrentScope() scope: UsersScope): Promise<DeletedUserData> {
    const { exportFiles, ...deleted } = await scope.users.deleteWithData(userId);
    scope.userLoaders.usersById.clear(userId);
    apiTokenCache.forget({ userId });
    for (const key of exportFiles) await scope.storedFiles.delete(key);
    return deleted;
  }

  @FieldResolver(() => String, { nullable: true, description: "Visible to admins, and to the user themselves." })
  email(@Root() user: User, @CurrentScope() { viewer }: UsersScope): string | null {
    return viewer.role === Role.ADMIN || viewer.userId === user.id ? user.email : null;
  }

  @FieldResolver(() => SignUpOrFirstSeen, { nullable: true, description: "Sign-up time, or the first-seen time where sign-up is unknown." })
  signUpOrFirstSeen(@Root() user: User): SignUpOrFirstSeen | null {
    if (user.signedUpAt) return { at: user.signedUpAt, source: SignUpSource.SIGN_UP };
    if (user.firstSeenAt) return { at: user.firstSeenAt, source: SignUpSource.FIRST_SEEN };
    return null;
  }

  @FieldResolver(() => Date, { nullable: true, description: "Sign-up time, or the first-seen time where sign-up is unknown." })
  signUpOrFirstSeenAt(@Root() user: User): Date | null {
    return user.signedUpAt ?? user.firstSeenAt;
  }
}

@Resolver(() => Company)
export class CompanyUserCountResolver {
  @FieldResolver(() => Int, { description: "Number of the company's users the caller may read." })
  userCount(@Root() company: Company, @CurrentScope() scope: UsersScope) {
    return scope.userLoaders.usersOfCompany.count(company.id);
  }
}

@Resolver(() => ApiToken)
export class ApiTokenOwnerResolver {
  @FieldResolver(() => User, { nullable: true, description: "The user the token acts for." })
  owner(@Root() token: ApiToken, @CurrentScope() scope: UsersScope) {
    return scope.userLoaders.usersById.load(token.ownerId);
  }
}
