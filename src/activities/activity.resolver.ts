import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Authorized, FieldResolver, Info, Query, Resolver, Root } from "type-graphql";
import { CurrentScope } from "../auth";
import type { ViewerScope } from "../context";
import { ConnectionType, PageArgs } from "../shared/connection";
import { Company } from "../companies";
import { User } from "../users";
import { Session } from "../sessions";
import { projectionOf } from "../shared/projection";
import { activityFields } from "./activity.fields";
import { Activity } from "./activity.entity";
import { ActivityFilter } from "./activity.inputs";

export const ActivityConnection = ConnectionType(Activity, "Activity");

@Resolver(() => Activity)
export class ActivityResolver {
  @Authorized()
  @Query(() => ActivityConnection, { description: "Activities, newest first. Admins: the organization's; others: their own." })
  activities(
    @Arg("filter", () => ActivityFilter, { nullable: true }) filter: ActivityFilter | null,
    @Args() page: PageArgs,
    @CurrentScope() scope: ViewerScope,
    @Info() info: GraphQLResolveInfo,
  ) {
    return scope.activities.page(filter, page, projectionOf(info, activityFields, { connection: true }));
  }

  @FieldResolver(() => User, { nullable: true })
  user(@Root() activity: Activity, @CurrentScope() scope: ViewerScope, @Info() info: GraphQLResolveInfo) {
    return scope.folded.related("Activity", "user", activity, {}, info);
  }

  @FieldResolver(() => Company, { nullable: true })
  company(@Root() activity: Activity, @CurrentScope() scope: ViewerScope, @Info() info: GraphQLResolveInfo) {
    return scope.folded.related("Activity", "company", activity, {}, info);
  }

  @FieldResolver(() => Session, { nullable: true })
  session(@Root() activity: Activity, @CurrentScope() scope: ViewerScope, @Info() info: GraphQLResolveInfo) {
    return scope.folded.related("Activity", "session", activity, {}, info);
  }
}

@Resolver(() => User)
export class UserActivitiesResolver {
  @FieldResolver(() => ActivityConnection, { description: "The user's activities the caller may read, newest first." })
  activities(@Root() user: User, @Args() page: PageArgs, @CurrentScope() scope: ViewerScope, @Info() info: GraphQLResolveInfo) {
    return scope.folded.related("User", "activities", user, page, info);
  }
}

@Resolver(() => Session)
export class SessionActivitiesResolver {
  @FieldResolver(() => ActivityConnection, { description: "The session's activities the caller may read, newest first." })
  activities(@Root() session: Session, @Args() page: PageArgs, @CurrentScope() scope: ViewerScope, @Info() info: GraphQLResolveInfo) {
    return scope.folded.related("Session", "activities", session, page, info);
  }
}

@Resolver(() => Company)
export class CompanyActivitiesResolver {
  @FieldResolver(() => ActivityConnection, { description: "The company's activities the caller may read, newest first." })
  activities(@Root() company: Company, @Args() page: PageArgs, @CurrentScope() scope: ViewerScope, @Info() info: GraphQLResolveInfo) {
    return scope.folded.related("Company", "activities", company, page, info);
  }
}
