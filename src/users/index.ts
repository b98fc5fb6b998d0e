export { User } from "./user.entity";
export { UserFilter } from "./user.inputs";
export { UserRepository, userConditions, userOrder } from "./user.repository";
export { createUserLoaders, type UserLoaders } from "./user.loaders";
export { UserResolver, CompanyUserCountResolver, ApiTokenOwnerResolver, UserConnection } from "./user.resolver";
export { ViewerResolver } from "./viewer.resolver";
export { userFields } from "./user.fields";
export type { UsersScope, StoredFiles } from "./users.scope";
