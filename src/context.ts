/** The per-request context. Type-only imports: this file wires nothing. */
import type { Viewer } from "./auth/viewer";
import type { ApiTokenRepository } from "./auth/api-token.repository";
import type { Logger } from "./shared/logger";
import type { CompanyLoaders, CompanyRepository } from "./companies";
import type { UserLoaders, UserRepository } from "./users";
import type { SessionLoaders, SessionRepository } from "./sessions";
import type {
  ActivityLoaders,
  ActivityRepository,
  ActivityTracker,
  ContentProgressLoaders,
  ContentProgressRepository,
} from "./activities";
import type { ProfileLoaders } from "./profiles";
import type { FoldedReads } from "./auth/folded-reads";
import type { OrganizationRepository } from "./organizations";
import type { DownloadLinks } from "./exports/download-links";
import type { ExportService } from "./exports/export.service";

export type Loaders = CompanyLoaders & UserLoaders & SessionLoaders & ActivityLoaders & ContentProgressLoaders & ProfileLoaders;

/** The configuration that features need at request time. */
export interface ScopeSettings {
  /** Minutes of inactivity after which a tracked activity opens a new session. */
  sessionGapMinutes: number;
  /** Most events one trackActivities call accepts. */
  trackBatchLimit: number;
  /** How long an export mutation waits for its job. */
  exportWaitMs: number;
}

/** Everything an authenticated request may read, already bound to its viewer. */
export interface ViewerScope {
  viewer: Viewer;
  settings: ScopeSettings;
  /** Signed download links, minted fresh on each read. */
  links: DownloadLinks;
  organizations: OrganizationRepository;
  apiTokens: ApiTokenRepository;
  exports: ExportService;
  companies: CompanyRepository;
  users: UserRepository;
  sessions: SessionRepository;
  activities: ActivityRepository;
  contentProgress: ContentProgressRepository;
  /** trackActivities: validation, storage and sessionization of tracked events. */
  tracker: ActivityTracker;
  /** Born with the request, never shared: caches and scope are per viewer. */
  loaders: Loaders;
  /** Root lookups that fetch their nested reads in the same statement, priming `loaders`. */
  folded: FoldedReads<ViewerScope>;
}

export interface RequestContext {
  requestId: string;
  logger: Logger;
  /** Null for a request without credentials; resolvers reach it only through @CurrentScope. */
  scope: ViewerScope | null;
}
