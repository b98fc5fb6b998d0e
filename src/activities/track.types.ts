import { Field, ID, Int, ObjectType } from "type-graphql";

@ObjectType({ simpleResolvers: true, description: "An event that was stored." })
export class TrackedActivity {
  @Field(() => Int, { description: "Position of the event in the `events` argument." })
  index!: number;

  @Field(() => ID)
  activityId!: string;

  @Field(() => ID, { description: "The session the activity belongs to when the call answered (a later event may merge it into an earlier one)." })
  sessionId!: string;
}

@ObjectType({ simpleResolvers: true, description: "An event that was not stored, and why." })
export class TrackRejection {
  @Field(() => Int, { description: "Position of the event in the `events` argument." })
  index!: number;

  @Field({ description: "Stable code: BAD_USER_INPUT (a field is missing, too long, contains NUL or a time out of range), FORBIDDEN (another user's id from a non-admin), NOT_FOUND (no such user in the organization)." })
  code!: string;

  @Field(() => String, { nullable: true, description: "The input field at fault, when there is one." })
  field!: string | null;

  @Field()
  reason!: string;
}

@ObjectType({ simpleResolvers: true, description: "What trackActivities stored: valid events are kept even when others in the batch are rejected." })
export class TrackResult {
  @Field(() => Int)
  acceptedCount!: number;

  @Field(() => [TrackedActivity], { description: "Stored events, in input order." })
  accepted!: TrackedActivity[];

  @Field(() => [TrackRejection], { description: "Rejected events, in input order." })
  rejected!: TrackRejection[];
}
