import type { EntityManager } from "typeorm";
import type { Viewer } from "./auth";
import type { ScopeSettings, ViewerScope } from "./context";
import { OrganizationRepository } from "./organizations";
import { CompanyRepository, createCompanyLoaders } from "./companies";
import { UserRepository, createUserLoaders } from "./users";
import { SessionRepository, createSessionLoaders } from "./sessions";
import { ActivityRepository, createActivityLoaders } from "./activities";
import { ProfileRepository, createProfileLoaders } from "./profiles";

/** Binds every repository and a fresh set of loaders to one viewer, for one request. */
export function createViewerScope(manager: EntityManager, viewer: Viewer, settings: ScopeSettings): ViewerScope {
  const companies = new CompanyRepository(manager, viewer);
  const users = new UserRepository(manager, viewer);
  const sessions = new SessionRepository(manager, viewer);
  const activities = new ActivityRepository(manager, viewer);
  return {
    viewer,
    settings,
    organizations: new OrganizationRepository(manager, viewer),
    companies,
    users,
    sessions,
    activities,
    loaders: {
      ...createCompanyLoaders(companies),
      ...createUserLoaders(users),
      ...createSessionLoaders(sessions),
      ...createActivityLoaders(activities),
      ...createProfileLoaders(new ProfileRepository(manager, viewer)),
    },
  };
}
