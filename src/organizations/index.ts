export { Organization } from "./organization.entity";
export { OrganizationRepository } from "./organization.repository";
