import type { ReadPlanner, Viewer } from "../access";
import type { OrganizationRepository } from "../organizations";
import type { UserLoaders } from "./user.loaders";
import type { UserRepository } from "./user.repository";

/** Files kept in object storage, by key (export CSVs). */
export interface StoredFiles {
  /** Deletes one file; a missing file is fine. */
  delete(key: string): Promise<void>;
}

/** What the users feature needs from a request. */
export interface UsersScope {
  viewer: Viewer;
  users: UserRepository;
  userLoaders: UserLoaders;
  organizations: OrganizationRepository;
  reads: ReadPlanner;
  /** Where a deleted user's export files are removed from, after the rows that named them. */
  storedFiles: StoredFiles;
}
