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
