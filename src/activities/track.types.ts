import { Field, ID, Int, ObjectType } from "type-graphql";

@ObjectType({ simpleResolvers: true, description: "An event that was stored." })
export class TrackedActivity {
  @Field(() => Int, { description: "Position of the event in the `events` argument." })
  index!: number;

  @Field(() => ID)
  activityId!: string;

  @Field(() => ID, { description: "The session the activity belongs to when the call answered (a later event may merge it into an earlier one)." })
  sessionId!: string;

  @Field({ description: "True when an event with the same eventId was already stored for this user (by an earlier call or earlier in this batch): nothing was stored again, and activityId is the original's." })
  duplicate!: boolean;
}

@ObjectType({ simpleResolvers: true, description: "An event that was not stored, and why." })
export class TrackRejection {
  @Field(() => Int, { description: "Position of the event in the `events` argument." })
  index!: number;

  @Field({ description: "Stable code: BAD_USER_INPUT (a field is missing, too long, contains NUL or a time out of range; a blank or over-200-character eventId), FORBIDDEN (another user's id from a non-admin), NOT_FOUND (no such user in the organization)." })
  code!: string;

  @Field(() => String, { nullable: true, description: "The input field at fault, when there is one." })
  field!: string | null;

  @Field()
  reason!: string;
}

@ObjectType({ simpleResolvers: true, description: "What trackActivities stored: valid events are kept even when others in the batch are rejected." })
export class TrackResult {
  @Field(() => Int, { description: "Entries in `accepted`, duplicates included." })
  acceptedCount!: number;

  @Field(() => [TrackedActivity], { description: "Stored events, in input order." })
  accepted!: TrackedActivity[];

  @Field(() => [TrackRejection], { description: "Rejected events, in input order." })
  rejected!: TrackRejection[];
}
