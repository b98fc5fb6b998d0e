import { Field, ID, InputType } from "type-graphql";
import { ArrayMaxSize, MaxLength, ValidateNested } from "class-validator";
import { DateRangeInput } from "../shared/date-range";

@InputType()
export class ActivityFilter {
  @Field(() => [ID], { nullable: true, description: "Activities of these users (admins; others only ever see their own)." })
  @ArrayMaxSize(500)
  userIds?: string[];

  @Field(() => [ID], { nullable: true })
  @ArrayMaxSize(500)
  companyIds?: string[];

  @Field(() => [ID], { nullable: true })
  @ArrayMaxSize(500)
  sessionIds?: string[];

  @Field(() => [String], { nullable: true, description: 'e.g. "Page", "Content - OTSession".' })
  @ArrayMaxSize(100)
  categories?: string[];

  @Field(() => [String], { nullable: true, description: 'e.g. "View", "Log In".' })
  @ArrayMaxSize(100)
  actions?: string[];

  @Field(() => DateRangeInput, { nullable: true, description: "Whole days, both ends included." })
  @ValidateNested()
  dateRange?: DateRangeInput;

  @Field(() => String, { nullable: true, description: "IANA time zone the date range is read in; UTC by default." })
  @MaxLength(64)
  timeZone?: string;
}

/** One tracked event for `trackActivities`; each is checked on its own (see track.validation.ts). */
@InputType({ description: "One tracked event. Organization and company always come from the user's record." })
export class ActivityInput {
  @Field(() => ID, { nullable: true, description: "The user who did it; the caller's own user when omitted. Only admins may name another user of their organization." })
  userId?: string | null;

  @Field({ description: "When it happened (UTC); at most a few minutes in the future." })
  occurredAt!: Date;

  @Field({ description: 'e.g. "Content - OTSession", "Page", "User".' })
  category!: string;

  @Field({ description: 'e.g. "View", "Log In", "Complete".' })
  action!: string;

  @Field(() => String, { nullable: true }) label?: string | null;
  @Field(() => String, { nullable: true, description: "The content page it happened on; events with one maintain the user's content progress." })
  contentId?: string | null;
  @Field(() => String, { nullable: true }) contentName?: string | null;
  @Field(() => String, { nullable: true }) contentSlug?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Client-chosen id, unique per user (at most 200 characters): an event whose id was already stored for its user is not stored again, and its `accepted` entry answers the original activity and session. Send one so a retry after a timeout cannot store an event twice.",
  })
  eventId?: string | null;
}
