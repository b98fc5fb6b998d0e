import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Authorized, Info, Query, Resolver } from "type-graphql";
import { CurrentScope } from "../auth";
import { ConnectionType, PageArgs } from "../shared/connection";
import { Activity } from "./activity.entity";
import { ActivityFilter } from "./activity.inputs";
import type { ActivitiesScope } from "./activities.scope";

export const ActivityConnection = ConnectionType(Activity, "Activity");

@Resolver(() => Activity)
export class ActivityResolver {
  @Authorized()
  @Query(() => ActivityConnection, { description: "Activities, newest first. Admins: the organization's; others: their own." })
  activities(
    @Arg("filter", () => ActivityFilter, { nullable: true }) filter: ActivityFilter | null,
    @Args() page: PageArgs,
    @CurrentScope() scope: ActivitiesScope,
    @Info() info: GraphQLResolveInfo,
  ) {
    return scope.activities.page(filter, page, scope.reads.projection("Activity", info));
  }
}
