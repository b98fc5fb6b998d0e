import { Arg, Authorized, Mutation, Resolver } from "type-graphql";
import { CurrentScope } from "../auth";
import type { ActivitiesScope } from "./activities.scope";
import { ActivityInput } from "./activity.inputs";
import { TrackResult } from "./track.types";

@Resolver()
export class TrackActivitiesResolver {
  @Authorized()
  @Mutation(() => TrackResult, {
    description:
      "Stores tracked events and sessionizes them. Any authenticated caller, for its own user; admins also for other users of their organization. " +
      "More events than TRACK_BATCH_LIMIT fails the whole call (BAD_USER_INPUT); otherwise each invalid event is rejected on its own and the valid ones are stored.",
  })
  async trackActivities(
    @Arg("events", () => [ActivityInput]) events: ActivityInput[],
    @CurrentScope() scope: ActivitiesScope,
  ): Promise<TrackResult> {
    return await scope.tracker.track(events);
  }
}
