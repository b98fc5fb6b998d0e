import { relationLoaders } from "../access";
import type { ActivityRepository } from "./activity.repository";

export function createActivityLoaders(activities: ActivityRepository) {
  return {
    activitiesOfUser: relationLoaders(activities.table, "user_id"),
    activitiesOfSession: relationLoaders(activities.table, "session_id"),
    activitiesOfCompany: relationLoaders(activities.table, "company_id"),
  };
}
export type ActivityLoaders = ReturnType<typeof createActivityLoaders>;
