import { idLoader, relationLoaders } from "../access";
import type { UserRepository } from "./user.repository";

export function createUserLoaders(users: UserRepository) {
  return {
    usersById: idLoader(users.table),
    usersOfCompany: relationLoaders(users.table, "company_id"),
  };
}
export type UserLoaders = ReturnType<typeof createUserLoaders>;
