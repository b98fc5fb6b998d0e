import type { ReadPlanner, Viewer } from "../access";
import type { UserLoaders } from "../users";
import type { ActivityTracker } from "./activity-ingest.service";
import type { ActivityLoaders } from "./activity.loaders";
import type { ActivityRepository } from "./activity.repository";
import type { ContentProgressLoaders } from "./content-progress.loaders";
import type { ContentProgressRepository } from "./content-progress.repository";

/** What the activities feature (activities, content progress, trackActivities) needs from a request. */
export interface ActivitiesScope {
  viewer: Viewer;
  activities: ActivityRepository;
  activityLoaders: ActivityLoaders;
  contentProgress: ContentProgressRepository;
  contentProgressLoaders: ContentProgressLoaders;
  /** trackActivities: validation, storage and sessionization of tracked events. */
  tracker: ActivityTracker;
  /** resetUserContent answers the user as it now stands. */
  userLoaders: Pick<UserLoaders, "usersById">;
  reads: ReadPlanner;
}
