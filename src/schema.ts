import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { ApiTokenResolver, authChecker, requireScope } from "./auth";
import { installRelationResolvers } from "./auth/folded-reads";
import { relationGraph } from "./relation-graph";
import type { RequestContext } from "./context";
import { ExportResolver } from "./exports";
import { DateTimeScalar } from "./shared/scalars";
import { validateArguments } from "./shared/validate-arguments";
import { CompanyResolver } from "./companies";
import { ApiTokenOwnerResolver, CompanyUsersResolver, UserResolver, ViewerResolver } from "./users";
import { AttachmentResolver, CompanySessionsResolver, SessionResolver, UserSessionsResolver } from "./sessions";
import {
  ActivityResolver,
  CompanyActivitiesResolver,
  SessionActivitiesResolver,
  TrackActivitiesResolver,
  UserActivitiesResolver,
  UserContentProgressResolver,
} from "./activities";
import { CompanyProfileFieldResolver, CompanyProfileResolver, UserProfileFieldResolver, UserProfileResolver } from "./profiles";

/** Every resolver class; a schema test checks each root field's access was decided. */
export const resolvers = [
  ViewerResolver,
  ApiTokenResolver,
  ApiTokenOwnerResolver,
  CompanyResolver,
  UserResolver,
  CompanyUsersResolver,
  SessionResolver,
  AttachmentResolver,
  UserSessionsResolver,
  CompanySessionsResolver,
  ActivityResolver,
  UserActivitiesResolver,
  SessionActivitiesResolver,
  CompanyActivitiesResolver,
  TrackActivitiesResolver,
  UserContentProgressResolver,
  UserProfileFieldResolver,
  CompanyProfileFieldResolver,
  UserProfileResolver,
  CompanyProfileResolver,
  ExportResolver,
] as const;

/**
 * Object types declare `simpleResolvers: true`: a plain field is read by graphql-js's default
 * resolver, not wrapped by TypeGraphQL on every row (test/schema.test.ts keeps it so). Access is
 * decided on root fields; field resolvers keep TypeGraphQL's handling, except relation fields.
 */
export async function createSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    authChecker,
    authMode: "error",
    // class-validator runs on every argument and input (bounds such as first <= 500).
    validateFn: validateArguments,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    emitSchemaFile: false,
  });
  // Relation fields (a session's user, a company's sessions, …) resolve straight through the folded-read loaders.
  installRelationResolvers(schema, relationGraph, (context) => requireScope(context as RequestContext));
  return schema;
}
