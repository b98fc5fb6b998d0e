export { Activity } from "./activity.entity";
export { ActivityFilter } from "./activity.inputs";
export { ActivityRepository, activityConditions, activityOrder } from "./activity.repository";
export { createActivityLoaders, type ActivityLoaders } from "./activity.loaders";
export {
  ActivityResolver,
  UserActivitiesResolver,
  SessionActivitiesResolver,
  CompanyActivitiesResolver,
  ActivityConnection,
} from "./activity.resolver";
export { ActivityInput } from "./activity.inputs";
export { ContentProgress } from "./content-progress.entity";
export { ContentProgressRepository } from "./content-progress.repository";
export { createContentProgressLoaders, type ContentProgressLoaders } from "./content-progress.loaders";
export { UserContentProgressResolver } from "./content-progress.resolver";
export { ActivityTracker } from "./activity-ingest.service";
export { TrackActivitiesResolver } from "./track.resolver";
export { TrackResult, TrackedActivity, TrackRejection } from "./track.types";
export { TRACK_LIMITS } from "./track.validation";
export { activityFields } from "./activity.fields";
