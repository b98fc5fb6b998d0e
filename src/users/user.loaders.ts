import type { UserRepository } from "./user.repository";

export function createUserLoaders(users: UserRepository) {
  const byCompany = users.table.relationLoaders("company_id");
  return {
    usersById: users.table.idLoader(),
    usersOfCompany: byCompany,
  };
}
export type UserLoaders = ReturnType<typeof createUserLoaders>;
