import { Authorized, Field, FieldResolver, ObjectType, Query, Resolver, registerEnumType } from "type-graphql";
import { Role } from "../access";
import { CurrentScope } from "../auth";
import type { UsersScope } from "./users.scope";
import { Organization } from "../organizations";
import { User } from "./user.entity";

export enum AuthMethod {
  API_TOKEN = "API_TOKEN",
  JWT = "JWT",
}
registerEnumType(AuthMethod, { name: "AuthMethod" });

@ObjectType("Viewer", { simpleResolvers: true, description: "The authenticated caller." })
export class ViewerType {
  @Field(() => Role, { description: "Effective role (an API token never acts above its owner)." }) role!: Role;
  @Field(() => AuthMethod) authenticatedBy!: AuthMethod;
}

@Resolver(() => ViewerType)
export class ViewerResolver {
  @Authorized()
  @Query(() => ViewerType)
  viewer(@CurrentScope() { viewer }: UsersScope): ViewerType {
    return { role: viewer.role, authenticatedBy: viewer.authenticatedBy as AuthMethod };
  }

  @FieldResolver(() => User)
  async user(@CurrentScope() scope: UsersScope) {
    return await scope.userLoaders.usersById.load(scope.viewer.userId);
  }

  @FieldResolver(() => Organization)
  organization(@CurrentScope() scope: UsersScope) {
    return scope.organizations.current();
  }
}
