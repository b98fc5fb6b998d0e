import { Arg, Args, Authorized, Float, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { Role } from "../access";
import { CurrentScope } from "../auth";
import { Company } from "../companies";
import { User } from "../users";
import { DEFAULT_TOP_SIZE, ProfilePeriod, TopListArgs, resolvePeriod } from "./profile.inputs";
import type { TopListOptions } from "./profile.repository";
import type { ProfilesScope } from "./profiles.scope";
import { CompanyProfile, TopEvent, TopPage, UserProfile, type ProfileFigures } from "./profile.types";

const PERIOD_DESCRIPTION = "Default: LAST_30_DAYS in UTC.";

/** The options of a top-list request, always in one shape (loaders key on their JSON). */
function topListOptions(profile: UserProfile | CompanyProfile, args: TopListArgs): TopListOptions {
  return { period: profile.period, first: args.first ?? DEFAULT_TOP_SIZE, search: args.search ?? null };
}

function averageSeconds(figures: ProfileFigures): number | null {
  return figures.sessionCount === 0 ? null : figures.sessionSeconds / figures.sessionCount;
}

@Resolver(() => User)
export class UserProfileFieldResolver {
  @FieldResolver(() => UserProfile, {
    nullable: true,
    description: "The user's activity over a period; readable by the organization's admins and by the user themselves.",
  })
  profile(@Root() user: User, @Arg("period", () => ProfilePeriod, { nullable: true, description: PERIOD_DESCRIPTION }) period: ProfilePeriod | null): UserProfile {
    // The user was read through the viewer's scope; the figures are scoped reads too.
    return new UserProfile(user.id, resolvePeriod(period));
  }
}

@Resolver(() => Company)
export class CompanyProfileFieldResolver {
  @Authorized(Role.ADMIN)
  @FieldResolver(() => CompanyProfile, { nullable: true, description: "The company's activity over a period (admins only)." })
  profile(@Root() company: Company, @Arg("period", () => ProfilePeriod, { nullable: true, description: PERIOD_DESCRIPTION }) period: ProfilePeriod | null): CompanyProfile {
    return new CompanyProfile(company.id, resolvePeriod(period));
  }
}

@Resolver(() => UserProfile)
export class UserProfileResolver {
  @FieldResolver(() => Int, { description: "Activities in the period." })
  async totalEvents(@Root() profile: UserProfile, @CurrentScope() scope: ProfilesScope): Promise<number> {
    return (await scope.profileLoaders.profileFiguresByUserId.load({ key: profile.key, period: profile.period })).totalEvents;
  }

  @FieldResolver(() => Int, { description: "Sessions whose first activity lies in the period." })
  async sessionCount(@Root() profile: UserProfile, @CurrentScope() scope: ProfilesScope): Promise<number> {
    return (await scope.profileLoaders.profileFiguresByUserId.load({ key: profile.key, period: profile.period })).sessionCount;
  }

  @FieldResolver(() => Float, { nullable: true, description: "Total session time (first to last activity) divided by sessionCount; null without sessions." })
  async averageSessionSeconds(@Root() profile: UserProfile, @CurrentScope() scope: ProfilesScope): Promise<number | null> {
    return averageSeconds(await scope.profileLoaders.profileFiguresByUserId.load({ key: profile.key, period: profile.period }));
  }

  @FieldResolver(() => [TopEvent], { description: "Most frequent (category, action) pairs: count descending, then category and action. search matches either." })
  topEvents(@Root() profile: UserProfile, @Args() args: TopListArgs, @CurrentScope() scope: ProfilesScope) {
    return scope.profileLoaders.topEventsByUserId.load({ key: profile.key, ...topListOptions(profile, args) });
  }

  @FieldResolver(() => [TopPage], { description: "Most viewed pages: views descending, then title. search matches content name or slug, or the label." })
  topPages(@Root() profile: UserProfile, @Args() args: TopListArgs, @CurrentScope() scope: ProfilesScope) {
    return scope.profileLoaders.topPagesByUserId.load({ key: profile.key, ...topListOptions(profile, args) });
  }
}

@Resolver(() => CompanyProfile)
export class CompanyProfileResolver {
  @FieldResolver(() => Int, { description: "The company's users who count in traffic." })
  userCount(@Root() profile: CompanyProfile, @CurrentScope() scope: ProfilesScope) {
    return scope.profileLoaders.trafficUserCountByCompanyId.load(profile.key);
  }

  @FieldResolver(() => Int, { description: "Activities in the period." })
  async totalEvents(@Root() profile: CompanyProfile, @CurrentScope() scope: ProfilesScope): Promise<number> {
    return (await scope.profileLoaders.profileFiguresByCompanyId.load({ key: profile.key, period: profile.period })).totalEvents;
  }

  @FieldResolver(() => Int, { description: "Sessions whose first activity lies in the period." })
  async sessionCount(@Root() profile: CompanyProfile, @CurrentScope() scope: ProfilesScope): Promise<number> {
    return (await scope.profileLoaders.profileFiguresByCompanyId.load({ key: profile.key, period: profile.period })).sessionCount;
  }

  @FieldResolver(() => Float, { nullable: true, description: "Total session time (first to last activity) divided by sessionCount; null without sessions." })
  async averageSessionSeconds(@Root() profile: CompanyProfile, @CurrentScope() scope: ProfilesScope): Promise<number | null> {
    return averageSeconds(await scope.profileLoaders.profileFiguresByCompanyId.load({ key: profile.key, period: profile.period }));
  }

  @FieldResolver(() => [TopEvent], { description: "Most frequent (category, action) pairs: count descending, then category and action. search matches either." })
  topEvents(@Root() profile: CompanyProfile, @Args() args: TopListArgs, @CurrentScope() scope: ProfilesScope) {
    return scope.profileLoaders.topEventsByCompanyId.load({ key: profile.key, ...topListOptions(profile, args) });
  }

  @FieldResolver(() => [TopPage], { description: "Most viewed pages: views descending, then title. search matches content name or slug, or the label." })
  topPages(@Root() profile: CompanyProfile, @Args() args: TopListArgs, @CurrentScope() scope: ProfilesScope) {
    return scope.profileLoaders.topPagesByCompanyId.load({ key: profile.key, ...topListOptions(profile, args) });
  }
}
