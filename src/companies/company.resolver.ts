import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Authorized, ID, Info, Query, Resolver } from "type-graphql";
import { CurrentScope } from "../auth";
import type { CompaniesScope } from "./companies.scope";
import { ConnectionType, PageArgs } from "../shared/connection";
import { Company } from "./company.entity";
import { CompanyFilter } from "./company.inputs";

export const CompanyConnection = ConnectionType(Company, "Company");

@Resolver(() => Company)
export class CompanyResolver {
  @Authorized()
  @Query(() => Company, { nullable: true, description: "Null when absent or outside the caller's scope." })
  company(@Arg("id", () => ID) id: string, @CurrentScope() scope: CompaniesScope, @Info() info: GraphQLResolveInfo) {
    return scope.reads.byId<Company>("Company", id, info);
  }

  @Authorized()
  @Query(() => CompanyConnection, { description: "Companies by name. Admins: the organization's; others: their own." })
  companies(
    @Arg("filter", () => CompanyFilter, { nullable: true }) filter: CompanyFilter | null,
    @Args() page: PageArgs,
    @CurrentScope() scope: CompaniesScope,
  ) {
    return scope.companies.page(filter, page);
  }
}
