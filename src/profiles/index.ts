export { PeriodPreset, ProfilePeriod, TopListArgs, resolvePeriod, type ResolvedPeriod } from "./profile.inputs";
export { UserProfile, CompanyProfile, TopEvent, TopPage } from "./profile.types";
export { ProfileRepository } from "./profile.repository";
export { createProfileLoaders, type ProfileLoaders } from "./profile.loaders";
export { UserProfileFieldResolver, CompanyProfileFieldResolver, UserProfileResolver, CompanyProfileResolver } from "./profile.resolver";
export type { ProfilesScope } from "./profiles.scope";
