import type { EntityManager } from "typeorm";
import { ApiTokenRepository, type Viewer } from "./auth";
import type { ScopeSettings, ViewerScope } from "./context";
import { ExportService, type DownloadLinks, type ExportQueue, type ObjectStorage } from "./exports";
import { OrganizationRepository } from "./organizations";
import { CompanyRepository, createCompanyLoaders } from "./companies";
import { UserRepository, createUserLoaders } from "./users";
import { SessionRepository, createSessionLoaders } from "./sessions";
import {
  ActivityRepository,
  ActivityTracker,
  ContentProgressRepository,
  createActivityLoaders,
  createContentProgressLoaders,
} from "./activities";
import { ProfileRepository, createProfileLoaders } from "./profiles";
import { FoldedReads } from "./auth/folded-reads";
import { relationGraph } from "./relation-graph";

/** What the gateway shares between requests: settings and the services behind exports. */
export interface ScopeServices {
  settings: ScopeSettings;
  links: DownloadLinks;
  exportQueue: ExportQueue;
  storage: ObjectStorage;
}

/** Binds every repository and a fresh set of loaders to one viewer, for one request. */
export function createViewerScope(manager: EntityManager, viewer: Viewer, { settings, links, exportQueue, storage }: ScopeServices): ViewerScope {
  const companies = new CompanyRepository(manager, viewer);
  const users = new UserRepository(manager, viewer);
  const sessions = new SessionRepository(manager, viewer);
  const activities = new ActivityRepository(manager, viewer);
  const contentProgress = new ContentProgressRepository(manager, viewer);
  const scope: ViewerScope = {
    viewer,
    settings,
    links,
    organizations: new OrganizationRepository(manager, viewer),
    apiTokens: new ApiTokenRepository(manager, viewer),
    exports: new ExportService(manager, viewer, exportQueue, storage, settings.exportWaitMs),
    companies,
    users,
    sessions,
    activities,
    contentProgress,
    tracker: new ActivityTracker(manager, viewer, settings),
    loaders: {
      ...createCompanyLoaders(companies),
      ...createUserLoaders(users),
      ...createSessionLoaders(sessions),
      ...createActivityLoaders(activities),
      ...createContentProgressLoaders(contentProgress),
      ...createProfileLoaders(new ProfileRepository(manager, viewer)),
    },
    folded: undefined as unknown as FoldedReads<ViewerScope>,
  };
  scope.folded = new FoldedReads(relationGraph, scope);
  return scope;
}
