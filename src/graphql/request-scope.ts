/**
 * The request scope: every feature's repositories and loaders, bound to one viewer for one
 * request. Each feature declares what it needs in its own terms (SessionsScope, UsersScope, …);
 * this class is the one place that provides all of them, so the features never import each
 * other's request needs, and nothing below src/graphql imports this file.
 *
 * Each part is built on first use and kept for the request: a request reads a few of them.
 * A new loader goes into its feature's create…Loaders; a new repository or loader group is one
 * getter here.
 */
import { ViewerAccess, type Database, type Viewer } from "../access";
import { ApiTokenRepository, type ApiTokensScope } from "../api-tokens";
import { OrganizationRepository } from "../organizations";
import { CompanyRepository, createCompanyLoaders, type CompaniesScope, type CompanyLoaders } from "../companies";
import { UserRepository, createUserLoaders, type UserLoaders, type UsersScope } from "../users";
import { SessionRepository, createSessionLoaders, type SessionLoaders, type SessionsScope } from "../sessions";
import {
  ActivityRepository,
  ActivityTracker,
  ContentProgressRepository,
  createActivityLoaders,
  createContentProgressLoaders,
  type ActivitiesScope,
  type ActivityLoaders,
  type ContentProgressLoaders,
  type TrackSettings,
} from "../activities";
import { ProfileRepository, createProfileLoaders, type ProfileLoaders, type ProfilesScope } from "../profiles";
import { ExportService, type DownloadLinks, type ExportQueue, type ExportsScope, type ObjectStorage } from "../exports";
import { WebhookRepository, type WebhooksScope } from "../webhooks";
import { FoldedReads } from "./folded-reads";
import { relationGraph, type GraphScope } from "./relation-graph";

/** The configuration that features need at request time. */
export interface ScopeSettings extends TrackSettings {
  /** How long an export mutation waits for its job. */
  exportWaitMs: number;
  /** Whether webhook endpoints may resolve to loopback, private or link-local addresses. */
  webhookAllowPrivateNetworks: boolean;
  /** Whether webhook endpoints must be https (production, unless private networks are allowed). */
  webhookRequireHttps: boolean;
}

/** What the gateway shares between requests: the database, settings and the services behind exports. */
export interface ScopeServices {
  database: Database;
  settings: ScopeSettings;
  links: DownloadLinks;
  exportQueue: ExportQueue;
  storage: ObjectStorage;
}

export class RequestScope implements GraphScope, ApiTokensScope, CompaniesScope, UsersScope, SessionsScope, ActivitiesScope, ProfilesScope, ExportsScope, WebhooksScope {
  /** Every statement of the request runs through it, scoped to the viewer. */
  readonly access: ViewerAccess;
  #organizations?: OrganizationRepository;
  #apiTokens?: ApiTokenRepository;
  #companies?: CompanyRepository;
  #companyLoaders?: CompanyLoaders;
  #users?: UserRepository;
  #userLoaders?: UserLoaders;
  #sessions?: SessionRepository;
  #sessionLoaders?: SessionLoaders;
  #activities?: ActivityRepository;
  #activityLoaders?: ActivityLoaders;
  #contentProgress?: ContentProgressRepository;
  #contentProgressLoaders?: ContentProgressLoaders;
  #tracker?: ActivityTracker;
  #profileLoaders?: ProfileLoaders;
  #exports?: ExportService;
  #webhooks?: WebhookRepository;
  #reads?: FoldedReads<GraphScope>;

  constructor(
    readonly viewer: Viewer,
    private readonly services: ScopeServices,
  ) {
    this.access = new ViewerAccess(services.database, viewer);
  }

  get links(): DownloadLinks {
    return this.services.links;
  }
  get storedFiles(): ObjectStorage {
    return this.services.storage;
  }
  /** Root lookups that fetch their nested reads in the same statement, priming the loaders. */
  get reads(): FoldedReads<GraphScope> {
    return (this.#reads ??= new FoldedReads(relationGraph, this));
  }
  get organizations(): OrganizationRepository {
    return (this.#organizations ??= new OrganizationRepository(this.access));
  }
  get apiTokens(): ApiTokenRepository {
    return (this.#apiTokens ??= new ApiTokenRepository(this.access));
  }
  get companies(): CompanyRepository {
    return (this.#companies ??= new CompanyRepository(this.access));
  }
  get companyLoaders(): CompanyLoaders {
    return (this.#companyLoaders ??= createCompanyLoaders(this.companies));
  }
  get users(): UserRepository {
    return (this.#users ??= new UserRepository(this.access));
  }
  get userLoaders(): UserLoaders {
    return (this.#userLoaders ??= createUserLoaders(this.users));
  }
  get sessions(): SessionRepository {
    return (this.#sessions ??= new SessionRepository(this.access));
  }
  get sessionLoaders(): SessionLoaders {
    return (this.#sessionLoaders ??= createSessionLoaders(this.sessions));
  }
  get activities(): ActivityRepository {
    return (this.#activities ??= new ActivityRepository(this.access));
  }
  get activityLoaders(): ActivityLoaders {
    return (this.#activityLoaders ??= createActivityLoaders(this.activities));
  }
  get contentProgress(): ContentProgressRepository {
    return (this.#contentProgress ??= new ContentProgressRepository(this.access));
  }
  get contentProgressLoaders(): ContentProgressLoaders {
    return (this.#contentProgressLoaders ??= createContentProgressLoaders(this.contentProgress));
  }
  get tracker(): ActivityTracker {
    return (this.#tracker ??= new ActivityTracker(this.access, this.services.settings));
  }
  get profileLoaders(): ProfileLoaders {
    return (this.#profileLoaders ??= createProfileLoaders(new ProfileRepository(this.access)));
  }
  get exports(): ExportService {
    return (this.#exports ??= new ExportService(this.access, this.services.exportQueue, this.services.settings.exportWaitMs));
  }
  get webhooks(): WebhookRepository {
    return (this.#webhooks ??= new WebhookRepository(this.access, {
      allowPrivateNetworks: this.services.settings.webhookAllowPrivateNetworks,
      requireHttps: this.services.settings.webhookRequireHttps,
    }));
  }
}
