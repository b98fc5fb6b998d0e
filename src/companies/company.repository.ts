import { ScopedRepository, type Condition, type ViewerAccess } from "../access";
import type { KeysetOrder } from "../shared/connection";
import { containsPattern } from "../shared/sql";
import { Company } from "./company.entity";
import type { CompanyFilter } from "./company.inputs";

export const companyOrder: KeysetOrder<Company> = {
  name: "companies", columns: ["name", "id"], direction: "ASC", types: ["text", "uuid"], values: (c) => [c.name, c.id],
};

function filterConditions(filter: CompanyFilter | null | undefined): Condition[] {
  const search = filter?.search;
  return search ? [(a, p) => `${a}.name ILIKE ${p.add(containsPattern(search))}`] : [];
}

/** Companies the viewer may read: the organization's for admins, their own for others. */
export class CompanyRepository extends ScopedRepository<Company, CompanyFilter> {
  constructor(access: ViewerAccess) {
    super(access, { entity: Company, table: "companies", order: companyOrder }, filterConditions);
  }
}
