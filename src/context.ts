/** The per-request context. Type-only imports: this file wires nothing. */
import type { Viewer } from "./auth/viewer";
import type { Logger } from "./shared/logger";
import type { CompanyLoaders, CompanyRepository } from "./companies";
import type { UserLoaders, UserRepository } from "./users";
import type { SessionLoaders, SessionRepository } from "./sessions";
import type { ActivityLoaders, ActivityRepository } from "./activities";
import type { ProfileLoaders } from "./profiles";
import type { OrganizationRepository } from "./organizations";

export type Loaders = CompanyLoaders & UserLoaders & SessionLoaders & ActivityLoaders & ProfileLoaders;

/** The configuration that features need at request time. */
export interface ScopeSettings {
  /** Minutes of inactivity after which a tracked activity opens a new session. */
  sessionGapMinutes: number;
  /** Most events one trackActivities call accepts. */
  trackBatchLimit: number;
}

/** Everything an authenticated request may read, already bound to its viewer. */
export interface ViewerScope {
  viewer: Viewer;
  settings: ScopeSettings;
  organizations: OrganizationRepository;
  companies: CompanyRepository;
  users: UserRepository;
  sessions: SessionRepository;
  activities: ActivityRepository;
  /** Born with the request, never shared: caches and scope are per viewer. */
  loaders: Loaders;
}

export interface RequestContext {
  requestId: string;
  logger: Logger;
  /** Null for a request without credentials; resolvers reach it only through @CurrentScope. */
  scope: ViewerScope | null;
}
