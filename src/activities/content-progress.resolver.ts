import { Arg, Authorized, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import { Role } from "../access";
import { CurrentScope } from "../auth";
import { NotFoundError, assertFound } from "../shared/errors";
import { User } from "../users";
import { ContentProgress } from "./content-progress.entity";
import type { ActivitiesScope } from "./activities.scope";

@Resolver(() => User)
export class UserContentProgressResolver {
  @FieldResolver(() => [ContentProgress], { description: "The user's progress per piece of content, in the order first seen (what the caller may read)." })
  contentProgress(@Root() user: User, @CurrentScope() scope: ActivitiesScope) {
    return scope.contentProgressLoaders.contentProgressByUserId.load(user.id);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => User, {
    description:
      "Clears the user's content progress so every piece of content behaves as unseen again, and records the time in contentResetAt; " +
      "events dated at or before it never create progress again. Activity history, sessions and profiles are untouched.",
  })
  async resetUserContent(@Arg("userId", () => ID) userId: string, @CurrentScope() scope: ActivitiesScope): Promise<User> {
    const user = assertFound(await scope.userLoaders.usersById.load(userId), "User", userId);
    if (!(await scope.contentProgress.reset(user.id))) throw new NotFoundError("User", userId);
    scope.contentProgressLoaders.contentProgressByUserId.clear(user.id);
    return assertFound(await scope.userLoaders.usersById.clear(user.id).load(user.id), "User", userId);
  }
}
