import type { CompanyRepository } from "./company.repository";

export function createCompanyLoaders(companies: CompanyRepository) {
  return { companiesById: companies.table.idLoader() };
}
export type CompanyLoaders = ReturnType<typeof createCompanyLoaders>;
