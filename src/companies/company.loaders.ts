import { idLoader } from "../access";
import type { CompanyRepository } from "./company.repository";

export function createCompanyLoaders(companies: CompanyRepository) {
  return { companiesById: idLoader(companies.table) };
}
export type CompanyLoaders = ReturnType<typeof createCompanyLoaders>;
