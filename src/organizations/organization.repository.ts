import { ScopedTable, type ViewerAccess } from "../access";
import type { KeysetOrder } from "../shared/connection";
import { Organization } from "./organization.entity";

const organizationOrder: KeysetOrder<Organization> = {
  name: "organizations", columns: ["name", "id"], direction: "ASC", types: ["text", "uuid"], values: (o) => [o.name, o.id],
};

export class OrganizationRepository {
  readonly table: ScopedTable<Organization>;
  constructor(access: ViewerAccess) {
    this.table = new ScopedTable(access, { entity: Organization, table: "organizations", order: organizationOrder });
  }

  /** The viewer's own organization (the only one it can ever see). */
  async current(): Promise<Organization> {
    const [organization] = await this.table.byIds([this.table.viewer.organizationId]);
    return organization!;
  }
}
