import type { ActivityRepository } from "./activity.repository";

export function createActivityLoaders(activities: ActivityRepository) {
  const byUser = activities.table.relationLoaders("user_id");
  const bySession = activities.table.relationLoaders("session_id");
  const byCompany = activities.table.relationLoaders("company_id");
  return {
    activitiesOfUser: byUser,
    activitiesOfSession: bySession,
    activitiesOfCompany: byCompany,
  };
}
export type ActivityLoaders = ReturnType<typeof createActivityLoaders>;
