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
