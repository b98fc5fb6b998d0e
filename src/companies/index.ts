export { Company } from "./company.entity";
export { CompanyFilter } from "./company.inputs";
export { CompanyRepository } from "./company.repository";
export { createCompanyLoaders, type CompanyLoaders } from "./company.loaders";
export { CompanyResolver, CompanyConnection } from "./company.resolver";
export type { CompaniesScope } from "./companies.scope";
