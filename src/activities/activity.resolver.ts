import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Authorized, FieldResolver, Info, Query, Resolver, Root } from "type-graphql";
import { CurrentScope } from "../auth";
import type { ViewerScope } from "../context";
import { ConnectionType, PageArgs } from "../shared/connection";
import { Company } from "../companies";
import { User, userFields } from "../users";
import { Session, sessionFields } from "../sessions";
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
    return scope.loaders.usersById.load(activity.userId, projectionOf(info, userFields));
  }

  @FieldResolver(() => Company, { nullable: true })
  company(@Root() activity: Activity, @CurrentScope() scope: ViewerScope) {
    return activity.companyId ? scope.loaders.companiesById.load(activity.companyId) : null;
  }

  @FieldResolver(() => Session, { nullable: true })
  session(@Root() activity: Activity, @CurrentScope() scope: ViewerScope, @Info() info: GraphQLResolveInfo) {
    return activity.sessionId ? scope.loaders.sessionsById.load(activity.sessionId, projectionOf(info, sessionFields)) : null;
  }
}

@Resolver(() => User)
export class UserActivitiesResolver {
  @FieldResolver(() => ActivityConnection, { description: "The user's activities the caller may read, newest first." })
  activities(@Root() user: User, @Args() page: PageArgs, @CurrentScope() scope: ViewerScope, @Info() info: GraphQLResolveInfo) {
    return scope.loaders.activitiesOfUser.page(user.id, page, projectionOf(info, activityFields, { connection: true }));
  }
}

@Resolver(() => Session)
export class SessionActivitiesResolver {
  @FieldResolver(() => ActivityConnection, { description: "The session's activities the caller may read, newest first." })
  activities(@Root() session: Session, @Args() page: PageArgs, @CurrentScope() scope: ViewerScope, @Info() info: GraphQLResolveInfo) {
    return scope.loaders.activitiesOfSession.page(session.id, page, projectionOf(info, activityFields, { connection: true }));
  }
}

@Resolver(() => Company)
export class CompanyActivitiesResolver {
  @FieldResolver(() => ActivityConnection, { description: "The company's activities the caller may read, newest first." })
  activities(@Root() company: Company, @Args() page: PageArgs, @CurrentScope() scope: ViewerScope, @Info() info: GraphQLResolveInfo) {
    return scope.loaders.activitiesOfCompany.page(company.id, page, projectionOf(info, activityFields, { connection: true }));
  }
}
