import type { EntityManager } from "typeorm";
import { ScopedRepository, anyOf, type Condition, type Viewer } from "../auth";
import type { KeysetOrder } from "../shared/connection";
import { containsPattern } from "../shared/sql";
import { User } from "./user.entity";
import type { UserFilter } from "./user.inputs";
import { validIds } from "../shared/ids";

export const userOrder: KeysetOrder<User> = {
  name: "users",
  columns: ["last_name", "first_name", "id"],
  direction: "ASC",
  types: ["text", "text", "uuid"],
  values: (u) => [u.lastName, u.firstName, u.id],
};

function filterConditions(filter: UserFilter | null | undefined): Condition[] {
  const f = filter ?? {};
  const search = f.search;
  const conditions: (Condition | null)[] = [
    search
      ? (a, p) => {
          const pattern = p.add(containsPattern(search));
          return `${a}.first_name ILIKE ${pattern} OR ${a}.last_name ILIKE ${pattern} OR ${a}.email ILIKE ${pattern} OR ${a}.username ILIKE ${pattern}`;
        }
      : null,
    anyOf("company_id", f.companyIds && validIds(f.companyIds, "filter.companyIds"), "uuid"),
    anyOf("role", f.roles, "role"),
  ];
  return conditions.filter((c): c is Condition => c !== null);
}

/** Users the viewer may read: the organization's for admins, themselves for others. */
export class UserRepository extends ScopedRepository<User, UserFilter> {
  constructor(manager: EntityManager, viewer: Viewer) {
    super(manager, viewer, { entity: User, table: "users", order: userOrder }, filterConditions);
  }
}
