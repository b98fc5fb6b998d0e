export { createSchema, resolvers } from "./schema";
export { OperationExecutor } from "./compiled-execution";
export { requestContextFactory, type RequestContext, type RequestCredentials } from "./request-context";
export { RequestScope, type ScopeServices, type ScopeSettings } from "./request-scope";
export { relationGraph } from "./relation-graph";
