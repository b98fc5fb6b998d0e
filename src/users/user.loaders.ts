import type { UserRepository } from "./user.repository";

export function createUserLoaders(users: UserRepository) {
  const byCompany = users.table.relationLoaders("company_id");
  return {
    usersById: users.table.idLoader(),
    usersByCompanyId: byCompany.pages,
    userCountByCompanyId: byCompany.counts,
  };
}
export type UserLoaders = ReturnType<typeof createUserLoaders>;
