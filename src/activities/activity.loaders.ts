import type { ActivityRepository } from "./activity.repository";

export function createActivityLoaders(activities: ActivityRepository) {
  const byUser = activities.table.relationLoaders("user_id");
  const bySession = activities.table.relationLoaders("session_id");
  const byCompany = activities.table.relationLoaders("company_id");
  return {
    activitiesByUserId: byUser.pages,
    activityCountByUserId: byUser.counts,
    activitiesBySessionId: bySession.pages,
    activityCountBySessionId: bySession.counts,
    activitiesByCompanyId: byCompany.pages,
    activityCountByCompanyId: byCompany.counts,
  };
}
export type ActivityLoaders = ReturnType<typeof createActivityLoaders>;
