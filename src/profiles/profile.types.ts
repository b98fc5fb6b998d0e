import { Field, Int, ObjectType } from "type-graphql";
import { DateScalar } from "../shared/scalars";
import { PeriodPreset, type ResolvedPeriod } from "./profile.inputs";

/** Whose figures a profile sums: one user's, or one company's users' (excluded users left out). */
export type ProfileOwner = "user" | "company";

/** The period part every profile shows; field resolvers read `key` and `period` to load figures. */
@ObjectType({ simpleResolvers: true }) // never referenced as a type, so not emitted: its fields join each profile type
abstract class ProfileBase {
  /** The user's or company's id. */
  key!: string;
  period!: ResolvedPeriod;

  @Field(() => PeriodPreset, { nullable: true, description: "The preset the period came from; null for a custom range." })
  get preset(): PeriodPreset | null {
    return this.period.preset;
  }

  @Field(() => DateScalar, { nullable: true, description: "First day of the period (included); null when unbounded." })
  get from(): string | null {
    return this.period.from;
  }

  @Field(() => DateScalar, { nullable: true, description: "Last day of the period (included); null when unbounded." })
  get to(): string | null {
    return this.period.to;
  }

  @Field({ description: "IANA time zone the days are read in." })
  get timeZone(): string {
    return this.period.timeZone;
  }
}

@ObjectType({
  simpleResolvers: true,
  description:
    "One user's activity over a period. Shows the user's own figures even when they are excluded from traffic. " +
    "A session counts in the period where its first activity lies, even when it runs past the period's end.",
})
export class UserProfile extends ProfileBase {
  constructor(key: string, period: ResolvedPeriod) {
    super();
    this.key = key;
    this.period = period;
  }
}

@ObjectType({
  simpleResolvers: true,
  description:
    "A company's activity over a period: the figures of its users who count in traffic (excluded users are left out of every figure). " +
    "A session counts in the period where its first activity lies, even when it runs past the period's end.",
})
export class CompanyProfile extends ProfileBase {
  constructor(key: string, period: ResolvedPeriod) {
    super();
    this.key = key;
    this.period = period;
  }
}

@ObjectType({ simpleResolvers: true, description: "An event kind (category and action) with its number of occurrences in the period." })
export class TopEvent {
  @Field() category!: string;
  @Field() action!: string;
  @Field(() => Int) count!: number;
}

@ObjectType({
  simpleResolvers: true,
  description:
    'A page with its number of views ("View" activities on a "Page" or on a content page) in the period. ' +
    "On a content page the page is the content (id, name, slug); elsewhere it is the activity's label.",
})
export class TopPage {
  @Field(() => String, { nullable: true, description: "The content's name on a content page, else the label." })
  title!: string | null;
  @Field(() => String, { nullable: true }) contentId!: string | null;
  @Field(() => String, { nullable: true }) contentName!: string | null;
  @Field(() => String, { nullable: true }) contentSlug!: string | null;
  @Field(() => String, { nullable: true, description: "The label of a page view outside content pages; null on content pages." })
  label!: string | null;
  @Field(() => Int) views!: number;
}

/** Per (period, key) figures from one batched statement. */
export interface ProfileFigures {
  totalEvents: number;
  sessionCount: number;
  /** Sum of (last activity − first activity) over the counted sessions. */
  sessionSeconds: number;
}
