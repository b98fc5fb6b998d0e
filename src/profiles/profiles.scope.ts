import type { ProfileLoaders } from "./profile.loaders";

/** What the profiles feature needs from a request. */
export interface ProfilesScope {
  profileLoaders: ProfileLoaders;
}
