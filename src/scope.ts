import type { EntityManager } from "typeorm";
import { ApiTokenRepository, type Viewer } from "./auth";
import type { Loaders, ScopeSettings, ViewerScope } from "./context";
import { ExportService, type DownloadLinks, type ExportQueue, type ObjectStorage } from "./exports";
import { OrganizationRepository } from "./organizations";
import { CompanyRepository, createCompanyLoaders, type CompanyLoaders } from "./companies";
import { UserRepository, createUserLoaders, type UserLoaders } from "./users";
import { SessionRepository, createSessionLoaders, type SessionLoaders } from "./sessions";
import {
  ActivityRepository,
  ActivityTracker,
  ContentProgressRepository,
  createActivityLoaders,
  createContentProgressLoaders,
  type ActivityLoaders,
  type ContentProgressLoaders,
} from "./activities";
import { ProfileRepository, createProfileLoaders, type ProfileLoaders } from "./profiles";
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
export function createViewerScope(manager: EntityManager, viewer: Viewer, services: ScopeServices): ViewerScope {
  return new RequestScope(manager, viewer, services);
}

/*
 * Each repository and loader is built on first use and kept for the request. A request reads a
 * few of them; building all of them up front cost 25 µs per request, more than some whole
 * resolvers.
 */
class RequestScope implements ViewerScope {
  #organizations?: OrganizationRepository;
  #apiTokens?: ApiTokenRepository;
  #exports?: ExportService;
  #companies?: CompanyRepository;
  #users?: UserRepository;
  #sessions?: SessionRepository;
  #activities?: ActivityRepository;
  #contentProgress?: ContentProgressRepository;
  #tracker?: ActivityTracker;
  #profiles?: ProfileRepository;
  #folded?: FoldedReads<ViewerScope>;
  readonly loaders: Loaders;

  constructor(
    private readonly manager: EntityManager,
    readonly viewer: Viewer,
    private readonly services: ScopeServices,
  ) {
    this.loaders = new RequestLoaders(this);
  }

  get settings(): ScopeSettings {
    return this.services.settings;
  }
  get links(): DownloadLinks {
    return this.services.links;
  }
  get organizations(): OrganizationRepository {
    return (this.#organizations ??= new OrganizationRepository(this.manager, this.viewer));
  }
  get apiTokens(): ApiTokenRepository {
    return (this.#apiTokens ??= new ApiTokenRepository(this.manager, this.viewer));
  }
  get exports(): ExportService {
    const { exportQueue, storage, settings } = this.services;
    return (this.#exports ??= new ExportService(this.manager, this.viewer, exportQueue, storage, settings.exportWaitMs));
  }
  get companies(): CompanyRepository {
    return (this.#companies ??= new CompanyRepository(this.manager, this.viewer));
  }
  get users(): UserRepository {
    return (this.#users ??= new UserRepository(this.manager, this.viewer));
  }
  get sessions(): SessionRepository {
    return (this.#sessions ??= new SessionRepository(this.manager, this.viewer));
  }
  get activities(): ActivityRepository {
    return (this.#activities ??= new ActivityRepository(this.manager, this.viewer));
  }
  get contentProgress(): ContentProgressRepository {
    return (this.#contentProgress ??= new ContentProgressRepository(this.manager, this.viewer));
  }
  get tracker(): ActivityTracker {
    return (this.#tracker ??= new ActivityTracker(this.manager, this.viewer, this.services.settings));
  }
  /** Not part of ViewerScope: only the profile loaders read it. */
  get profiles(): ProfileRepository {
    return (this.#profiles ??= new ProfileRepository(this.manager, this.viewer));
  }
  get folded(): FoldedReads<ViewerScope> {
    return (this.#folded ??= new FoldedReads(relationGraph, this));
  }
}

/** The request's loaders, each feature's made together on first use of any of them. */
class RequestLoaders implements Loaders {
  #companies?: CompanyLoaders;
  #users?: UserLoaders;
  #sessions?: SessionLoaders;
  #activities?: ActivityLoaders;
  #contentProgress?: ContentProgressLoaders;
  #profiles?: ProfileLoaders;

  constructor(private readonly scope: RequestScope) {}

  private get companyLoaders(): CompanyLoaders {
    return (this.#companies ??= createCompanyLoaders(this.scope.companies));
  }
  private get userLoaders(): UserLoaders {
    return (this.#users ??= createUserLoaders(this.scope.users));
  }
  private get sessionLoaders(): SessionLoaders {
    return (this.#sessions ??= createSessionLoaders(this.scope.sessions));
  }
  private get activityLoaders(): ActivityLoaders {
    return (this.#activities ??= createActivityLoaders(this.scope.activities));
  }
  private get contentProgressLoaders(): ContentProgressLoaders {
    return (this.#contentProgress ??= createContentProgressLoaders(this.scope.contentProgress));
  }
  private get profileLoaders(): ProfileLoaders {
    return (this.#profiles ??= createProfileLoaders(this.scope.profiles));
  }

  get companiesById() { return this.companyLoaders.companiesById; }
  get usersById() { return this.userLoaders.usersById; }
  get usersOfCompany() { return this.userLoaders.usersOfCompany; }
  get sessionsById() { return this.sessionLoaders.sessionsById; }
  get sessionsOfUser() { return this.sessionLoaders.sessionsOfUser; }
  get sessionsOfCompany() { return this.sessionLoaders.sessionsOfCompany; }
  get attachmentsBySessionId() { return this.sessionLoaders.attachmentsBySessionId; }
  get activitiesOfUser() { return this.activityLoaders.activitiesOfUser; }
  get activitiesOfSession() { return this.activityLoaders.activitiesOfSession; }
  get activitiesOfCompany() { return this.activityLoaders.activitiesOfCompany; }
  get contentProgressByUserId() { return this.contentProgressLoaders.contentProgressByUserId; }
  get profileFiguresByUserId() { return this.profileLoaders.profileFiguresByUserId; }
  get topEventsByUserId() { return this.profileLoaders.topEventsByUserId; }
  get topPagesByUserId() { return this.profileLoaders.topPagesByUserId; }
  get profileFiguresByCompanyId() { return this.profileLoaders.profileFiguresByCompanyId; }
  get topEventsByCompanyId() { return this.profileLoaders.topEventsByCompanyId; }
  get topPagesByCompanyId() { return this.profileLoaders.topPagesByCompanyId; }
  get trafficUserCountByCompanyId() { return this.profileLoaders.trafficUserCountByCompanyId; }
}
