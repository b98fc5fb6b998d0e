import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { authChecker, requireScope } from "../auth";
import { ApiTokenResolver } from "../api-tokens";
import { ExportResolver } from "../exports";
import { WebhookResolver } from "../webhooks";
import { DateTimeScalar } from "../shared/scalars";
import { validateArguments } from "../shared/validate-arguments";
import { CompanyResolver } from "../companies";
import { ApiTokenOwnerResolver, CompanyUserCountResolver, UserResolver, ViewerResolver } from "../users";
import { AttachmentResolver, SessionResolver } from "../sessions";
import { ActivityResolver, TrackActivitiesResolver, UserContentProgressResolver } from "../activities";
import { CompanyProfileFieldResolver, CompanyProfileResolver, UserProfileFieldResolver, UserProfileResolver } from "../profiles";
import { addRelationFields } from "./relation-fields";
import { relationGraph } from "./relation-graph";
import type { RequestContext } from "./request-context";
import type { RequestScope } from "./request-scope";

/** Every resolver class; a schema test checks each root field's access was decided. */
export const resolvers = [
  ViewerResolver,
  ApiTokenResolver,
  ApiTokenOwnerResolver,
  CompanyResolver,
  UserResolver,
  CompanyUserCountResolver,
  SessionResolver,
  AttachmentResolver,
  ActivityResolver,
  TrackActivitiesResolver,
  UserContentProgressResolver,
  UserProfileFieldResolver,
  CompanyProfileFieldResolver,
  UserProfileResolver,
  CompanyProfileResolver,
  ExportResolver,
  WebhookResolver,
] as const;

/**
 * Object types declare `simpleResolvers: true`: a plain field is read by graphql-js's default
 * resolver, not wrapped by TypeGraphQL on every row (test/schema.test.ts keeps it so). Access is
 * decided on root fields; field resolvers keep TypeGraphQL's handling, and relation fields come
 * from the relation graph (relation-fields.ts).
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
  addRelationFields(schema, relationGraph, (context) => requireScope<RequestScope>(context as RequestContext).reads);
  return schema;
}
