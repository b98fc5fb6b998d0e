import { Field, ID, InputType } from "type-graphql";
import { ArrayMaxSize, MaxLength, ValidateNested } from "class-validator";
import { DateRangeInput } from "../shared/date-range";
import { SessionStatus } from "./session-status";

@InputType({ description: "Every field narrows the list; an export given the same filter holds the same rows." })
export class SessionFilter {
  @Field(() => String, { nullable: true, description: "Case-insensitive text in app id, app name, the runner's username, or who ran it as the row shows it (the user's email, an API token's label, an anonymous run's label); % and _ match literally." })
  @MaxLength(200)
  search?: string;

  @Field(() => DateRangeInput, { nullable: true, description: "Launch date range, whole days, both ends included." })
  @ValidateNested()
  dateRange?: DateRangeInput;

  @Field(() => String, { nullable: true, description: "IANA time zone the date range is read in; UTC by default." })
  @MaxLength(64)
  timeZone?: string;

  @Field(() => [ID], { nullable: true, description: "Sessions of these users (admins; others only ever see their own)." })
  @ArrayMaxSize(500)
  userIds?: string[];

  @Field(() => [String], { nullable: true, description: 'Device types, e.g. "iPhone 15".' })
  @ArrayMaxSize(100)
  deviceTypes?: string[];

  @Field(() => [String], { nullable: true, description: 'OS versions, e.g. "17.4".' })
  @ArrayMaxSize(100)
  osVersions?: string[];

  @Field(() => [SessionStatus], { nullable: true })
  statuses?: SessionStatus[];

  @Field(() => Boolean, { nullable: true, description: "Only sessions with session units pending above zero." })
  pendingUnitsOnly?: boolean;

  @Field(() => Boolean, { nullable: true, description: "Include sessions removed from the dashboard (replaced, refunded, hidden)." })
  includeRemoved?: boolean;
}
