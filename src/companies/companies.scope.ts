import type { ReadPlanner } from "../access";
import type { CompanyRepository } from "./company.repository";

/** What the companies feature needs from a request. */
export interface CompaniesScope {
  companies: CompanyRepository;
  reads: ReadPlanner;
}
