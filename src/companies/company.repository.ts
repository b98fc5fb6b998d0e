import type { EntityManager } from "typeorm";
import { ScopedTable, type Condition, type ListArgs, type Viewer } from "../auth";
import type { ConnectionValue, KeysetOrder } from "../shared/connection";
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
export class CompanyRepository {
  readonly table: ScopedTable<Company>;
  constructor(manager: EntityManager, viewer: Viewer) {
    this.table = new ScopedTable(manager, viewer, { entity: Company, table: "companies", order: companyOrder });
  }

  page(filter: CompanyFilter | null | undefined, args: ListArgs): Promise<ConnectionValue<Company>> {
    return this.table.page(filterConditions(filter), args);
  }
}
